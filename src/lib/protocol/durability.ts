import * as Y from 'yjs';

/**
 * Whether everything in `update` is inside the durable snapshot the relay sent:
 * every struct is covered by its state vector and every deletion by its delete
 * set. A device keeps an edit in its "waiting" list until this is true.
 */
export function isUpdateDurable(update: Uint8Array, durable: Y.Snapshot): boolean {
	return Y.snapshotContainsUpdate(durable, update);
}

export function decodeDurableSnapshot(bytes: Uint8Array): Y.Snapshot {
	return Y.decodeSnapshot(bytes);
}
