import * as Y from 'yjs';
import type { DocumentStore } from './document-store';

export interface DocumentState {
	/** All stored updates merged into one, or null when the document has none. */
	update: Uint8Array | null;
	/** How many rows were merged; more than one means compaction would help. */
	rowCount: number;
	/** Highest seq read (0 when empty): the bound to hand to replaceUpdates. */
	maxSeq: number;
}

export interface CompactionResult {
	/** Rows folded. */
	before: number;
	/** Rows they became: always 1; rows appended during compaction are not counted. */
	after: number;
	/** Size of the merged update, so the relay can reset its size estimate. */
	bytes: number;
}

/**
 * Reads a document's log and merges it in memory. Merging is done on the update
 * encoding (Y.mergeUpdates), never by instantiating a Y.Doc, so it stays cheap for
 * the relay and never applies pending structs that a full doc would hold back.
 */
export async function loadDocumentState(store: DocumentStore, docName: string): Promise<DocumentState> {
	const rows = await store.readUpdates(docName);
	const last = rows[rows.length - 1];
	if (!last) return { update: null, rowCount: 0, maxSeq: 0 };
	const update = rows.length === 1 ? last.update : Y.mergeUpdates(rows.map((row) => row.update));
	return { update, rowCount: rows.length, maxSeq: last.seq };
}

/**
 * Folds a document's rows into one. Safe against concurrent appends: only rows up
 * to the seq that was read are replaced, so an update written meanwhile stays as
 * its own row after the merged one. Returns undefined when there was nothing to
 * fold (no rows, or already a single row).
 */
export async function compactDocument(store: DocumentStore, docName: string): Promise<CompactionResult | undefined> {
	const state = await loadDocumentState(store, docName);
	if (state.rowCount <= 1 || !state.update) return undefined;
	await store.replaceUpdates(docName, state.maxSeq, state.update);
	return { before: state.rowCount, after: 1, bytes: state.update.byteLength };
}
