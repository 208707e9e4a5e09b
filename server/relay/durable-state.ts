import * as Y from 'yjs';
import type { ChangeExtent, DeletedRun } from './change-extent';

/** Unstored peer changes kept one by one up to this many; more are merged into one. */
const MAX_UNSTORED_PEER_CHANGES = 64;

/**
 * What the store holds of one document, as far as this instance knows: what it
 * loaded, what it committed itself and what other instances said they
 * committed. A client's durable ack is this snapshot, never the document's own
 * state: that may hold a peer's change the peer has not stored yet, and never
 * will if it dies first.
 *
 * The state vector only grows over a gap-free run from what is already stored,
 * so the snapshot never claims a change that is not stored; a change stored
 * past a gap is claimed again once the gap is filled by a later commit.
 */
export class DurableState {
	private readonly stateVector: Map<number, number>;
	private deleteSet: Y.Snapshot['ds'];
	/** Changes applied from peers that the store did not hold when they arrived. */
	private unstoredPeerChanges: Uint8Array[] = [];

	constructor(loaded: Y.Snapshot) {
		this.stateVector = new Map(loaded.sv);
		// Copied: it grows in place, and the caller's (Y.emptySnapshot, say) is not ours to change.
		this.deleteSet = copyDeleteSet(loaded.ds);
	}

	/** A copy: the delete set kept here grows in place. */
	snapshot(): Y.Snapshot {
		return Y.createSnapshot(copyDeleteSet(this.deleteSet), new Map(this.stateVector));
	}

	/** Whether the store holds every struct and deletion of `update`. */
	contains(update: Uint8Array): boolean {
		return Y.snapshotContainsUpdate(this.snapshot(), update);
	}

	/** Whether the document may hold a peer's change that nobody has stored yet. */
	get hasUnstoredPeerChanges(): boolean {
		return this.unstoredPeerChanges.length > 0;
	}

	/** This instance committed changes of these extents (in the order they were made). */
	addCommitted(changes: readonly ChangeExtent[]): void {
		const runs = changes.length === 1 ? changes[0]!.runs : changes.flatMap((change) => change.runs);
		if (runs.length > 1) runs.sort((a, b) => a.client - b.client || a.clock - b.clock);
		for (const run of runs) {
			const stored = this.stateVector.get(run.client) ?? 0;
			if (run.clock <= stored && run.end > stored) this.stateVector.set(run.client, run.end);
		}
		// Deletions come after what is held, for the most part: appended in place, without
		// sorting the whole set again as Y.mergeDeleteSets does (once per document per commit).
		let inOrder = true;
		for (const change of changes) {
			for (const run of change.deletions) inOrder = appendRange(this.deleteSet, run) && inOrder;
		}
		if (!inOrder) this.deleteSet = Y.mergeDeleteSets([this.deleteSet]);
		this.forgetStoredPeerChanges();
	}

	/** Another instance committed everything in `snapshot`. */
	addStored(snapshot: Y.Snapshot): void {
		for (const [client, clock] of snapshot.sv) {
			if (clock > (this.stateVector.get(client) ?? 0)) this.stateVector.set(client, clock);
		}
		this.deleteSet = Y.mergeDeleteSets([this.deleteSet, snapshot.ds]);
		this.forgetStoredPeerChanges();
	}

	/** A peer's change was applied here; its own instance is expected to store it. */
	notePeerChange(update: Uint8Array): void {
		if (this.contains(update)) return;
		this.unstoredPeerChanges.push(update);
		if (this.unstoredPeerChanges.length > MAX_UNSTORED_PEER_CHANGES) {
			this.unstoredPeerChanges = [Y.mergeUpdates(this.unstoredPeerChanges)];
		}
	}

	private forgetStoredPeerChanges(): void {
		if (this.unstoredPeerChanges.length === 0) return;
		const snapshot = this.snapshot();
		this.unstoredPeerChanges = this.unstoredPeerChanges.filter((u) => !Y.snapshotContainsUpdate(snapshot, u));
	}
}

/** Its own lists of the same ranges (the ranges themselves are never changed in place). */
function copyDeleteSet(deleteSet: Y.Snapshot['ds']): Y.Snapshot['ds'] {
	const copy = Y.createDeleteSet();
	for (const [client, ranges] of deleteSet.clients) copy.clients.set(client, ranges.slice());
	return copy;
}

type DeleteRange = Y.Snapshot['ds']['clients'] extends Map<number, Array<infer R>> ? R : never;

/**
 * Adds one deleted run to `deleteSet` in place, joined to the last range of its
 * client when they touch. Returns false when it starts before that last range:
 * the caller sorts and merges then. Ranges are never changed in place (snapshots
 * handed out may share them): a grown one is replaced.
 */
function appendRange(deleteSet: Y.Snapshot['ds'], { client, clock, len }: DeletedRun): boolean {
	const held = deleteSet.clients.get(client);
	const range: DeleteRange = { clock, len };
	if (!held) {
		deleteSet.clients.set(client, [range]);
		return true;
	}
	const last = held[held.length - 1];
	if (!last || clock > last.clock + last.len) held.push(range);
	else if (clock >= last.clock) {
		const end = Math.max(last.clock + last.len, clock + len);
		if (end > last.clock + last.len) held[held.length - 1] = { clock: last.clock, len: end - last.clock };
	} else {
		held.push(range);
		return false;
	}
	return true;
}
