import * as Y from 'yjs';
import type { WriteBatch } from './document-store';

/** One row to append: a document and its bytes. */
export interface UpdateRow {
	docName: string;
	update: Uint8Array;
}

/**
 * A batch's entries as the rows to append, in order: an entry of several updates
 * becomes one row of them merged. The relay hands a group commit over unmerged,
 * so that this merging runs where the store writes (the SQLite store's write
 * thread) rather than on the thread that serves sockets.
 */
export function rowsOfBatch(entries: WriteBatch['updates']): UpdateRow[] {
	if (entries.every((entry) => 'update' in entry)) return entries as UpdateRow[];
	return entries.map((entry) =>
		'update' in entry ? entry : { docName: entry.docName, update: entry.updates.length === 1 ? entry.updates[0]! : Y.mergeUpdates([...entry.updates]) }
	);
}
