import type * as Y from 'yjs';
import { isDocKind, type DocKind } from './names';

/** Bumped only when a field is renamed or retyped; such a bump needs a migration. */
export const SCHEMA_VERSION = 1;

export interface DocMeta {
	schema: number;
	kind: DocKind;
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('meta');
}

export function initMeta(doc: Y.Doc, kind: DocKind): void {
	const meta = metaMap(doc);
	doc.transact(() => {
		if (meta.get('schema') !== SCHEMA_VERSION) meta.set('schema', SCHEMA_VERSION);
		if (meta.get('kind') !== kind) meta.set('kind', kind);
	});
}

/** Undefined until the document has been created (or while its first sync is still on the way). */
export function readMeta(doc: Y.Doc): DocMeta | undefined {
	const meta = metaMap(doc);
	const schema = meta.get('schema');
	const kind = meta.get('kind');
	if (typeof schema !== 'number' || typeof kind !== 'string' || !isDocKind(kind)) return undefined;
	return { schema, kind };
}
