import * as Y from 'yjs';
import type { ChangeExtent } from './change-extent';

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
		this.deleteSet = loaded.ds;
	}

	snapshot(): Y.Snapshot {
		return Y.createSnapshot(this.deleteSet, new Map(this.stateVector));
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
		const runs = changes.flatMap((change) => change.runs).sort((a, b) => a.client - b.client || a.clock - b.clock);
		for (const run of runs) {
			const stored = this.stateVector.get(run.client) ?? 0;
			if (run.clock <= stored && run.end > stored) this.stateVector.set(run.client, run.end);
		}
		this.deleteSet = Y.mergeDeleteSets([this.deleteSet, ...changes.map((change) => change.deletions)]);
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
