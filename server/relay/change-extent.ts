import * as Y from 'yjs';

/** A run of one client's structs, clocks `clock` up to (not including) `end`. */
export interface ClockRun {
	client: number;
	clock: number;
	end: number;
}

/** A run of one client's structs the change deleted: clocks `clock` to `clock + len`. */
export interface DeletedRun {
	client: number;
	clock: number;
	len: number;
}

/**
 * What one change added to a document: the runs of structs that were new to it
 * and what it deleted. Enough to say what a commit made durable, without
 * decoding the stored bytes again. Plain runs, not Yjs's delete set: extents wait
 * in the commit queue, and keeping a transaction's own maps alive that long only
 * gives the garbage collector more to copy.
 */
export interface ChangeExtent {
	runs: ClockRun[];
	deletions: DeletedRun[];
}

/**
 * The extent of a transaction that just ran. Yjs's own update for it is exactly
 * this: each client's structs from its clock before the transaction to its clock
 * after, and the transaction's delete set.
 */
export function extentOfTransaction(transaction: Y.Transaction): ChangeExtent {
	const runs: ClockRun[] = [];
	for (const [client, end] of transaction.afterState) {
		const clock = transaction.beforeState.get(client) ?? 0;
		if (end > clock) runs.push({ client, clock, end });
	}
	return { runs, deletions: deletedRuns(transaction.deleteSet) };
}

/** The extent of an encoded update (every struct and deletion it carries), by decoding it. */
export function extentOfUpdate(update: Uint8Array): ChangeExtent {
	const { structs, ds } = Y.decodeUpdate(update);
	const runs: ClockRun[] = [];
	for (const struct of structs) {
		if (!(struct instanceof Y.Skip)) runs.push({ client: struct.id.client, clock: struct.id.clock, end: struct.id.clock + struct.length });
	}
	return { runs, deletions: deletedRuns(ds) };
}

function deletedRuns(deleteSet: Y.Snapshot['ds']): DeletedRun[] {
	const runs: DeletedRun[] = [];
	for (const [client, ranges] of deleteSet.clients) for (const { clock, len } of ranges) runs.push({ client, clock, len });
	return runs;
}

/** Whether a transaction changed anything (Yjs emits an update for it exactly then). */
export function transactionChangedAnything(transaction: Y.Transaction): boolean {
	if (transaction.deleteSet.clients.size > 0) return true;
	for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
	return false;
}
