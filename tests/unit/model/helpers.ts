import * as Y from 'yjs';

/** Sends each doc's missing updates to the other, as two peers meeting through the relay would. */
export function exchange(a: Y.Doc, b: Y.Doc): void {
	const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, toB);
	Y.applyUpdate(a, toA);
}

/** A second replica of a doc, starting from everything the first one has. */
export function replicaOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/** How many updates a change emits; helpers promise one transaction per call. */
export function countUpdates(doc: Y.Doc, change: () => void): number {
	let count = 0;
	const onUpdate = (): void => {
		count++;
	};
	doc.on('update', onUpdate);
	try {
		change();
	} finally {
		doc.off('update', onUpdate);
	}
	return count;
}
