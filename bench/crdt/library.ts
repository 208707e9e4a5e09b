import type { DocContent, Edit, Kind } from './field-day';

/**
 * One CRDT library seen the way the benchmark uses it: build our documents,
 * save and load them, apply a rep's edits as the app would, and exchange what
 * a device changed offline. `D` is the library's document, `V` a version a
 * device remembers (what it had when it went offline).
 */
export interface CrdtLibrary<D, V> {
	readonly name: string;
	/** The document as the server holds it (created in one change). */
	create(content: DocContent): D;
	save(doc: D): Uint8Array;
	load(bytes: Uint8Array): D;
	version(doc: D): V;
	/** Applies one edit; returns the document to use from now on (immutable libraries return a new one). */
	edit(doc: D, edit: Exclude<Edit, { kind: 'create' }>): D;
	/** What the device sends on reconnect: its changes since `since`. */
	changesSince(doc: D, since: V): Uint8Array;
	/** The server merging a device's changes into its copy. */
	applyChanges(doc: D, changes: Uint8Array): D;
	/** The content as plain JSON, shaped alike for every library, to check both end up with the same documents. */
	read(doc: D, kind: Kind): PlainDoc;
	free(doc: D): void;
}

export interface PlainDoc {
	meta: Record<string, unknown>;
	fields: Record<string, unknown>;
	text: string | null;
	records: Array<Record<string, unknown>>;
	allocation: Record<string, unknown>;
}

/** Either library, for code that does not care which. */
export type AnyCrdtLibrary = CrdtLibrary<unknown, unknown>;

export const kindOf = (name: string): Kind => name.slice(0, name.indexOf(':')) as Kind;
