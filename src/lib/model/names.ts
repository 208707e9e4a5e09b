/** Document names: `<kind>:<id>`, the key every store, room and permission check uses. */

export const DOC_KINDS = ['account', 'visit', 'order', 'catalog', 'stock', 'inbox'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** A string known to be a well-formed document name; only `docName` and `asDocName` make one. */
export type DocName = string & { readonly __brand: 'DocName' };

export interface ParsedDocName {
	kind: DocKind;
	id: string;
}

export const MAX_ID_LENGTH = 128;
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** A name that is not `<kind>:<id>`; carries the offending name so the refusal can quote it. */
export class InvalidDocNameError extends Error {
	readonly docName: string;
	constructor(docName: string, reason: string) {
		super(`invalid document name ${JSON.stringify(docName)}: ${reason}`);
		this.name = 'InvalidDocNameError';
		this.docName = docName;
	}
}

export function isDocKind(value: string): value is DocKind {
	return (DOC_KINDS as readonly string[]).includes(value);
}

/** Ids end up in URLs, file names and SQL keys, hence the narrow alphabet and length cap. */
export function isValidId(id: string): boolean {
	return id.length > 0 && id.length <= MAX_ID_LENGTH && ID_PATTERN.test(id);
}

function problemWith(name: string): string | ParsedDocName {
	const colon = name.indexOf(':');
	if (colon < 0) return 'expected <kind>:<id>';
	const kind = name.slice(0, colon);
	const id = name.slice(colon + 1);
	if (!isDocKind(kind)) return `unknown kind ${JSON.stringify(kind)} (expected one of ${DOC_KINDS.join(', ')})`;
	if (id.length === 0) return 'empty id';
	if (id.length > MAX_ID_LENGTH) return `id longer than ${MAX_ID_LENGTH} characters`;
	if (!ID_PATTERN.test(id)) return 'id may only contain A-Z, a-z, 0-9, _ and -';
	return { kind, id };
}

export function parseDocName(name: string): ParsedDocName {
	const result = problemWith(name);
	if (typeof result === 'string') throw new InvalidDocNameError(name, result);
	return result;
}

export function tryParseDocName(name: string): ParsedDocName | undefined {
	const result = problemWith(name);
	return typeof result === 'string' ? undefined : result;
}

export function docName(kind: DocKind, id: string): DocName {
	const name = `${kind}:${id}`;
	parseDocName(name);
	return name as DocName;
}

/** Brands a name that arrived from outside (a URL, a frame, a store row) after checking it. */
export function asDocName(name: string): DocName {
	parseDocName(name);
	return name as DocName;
}
