import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { extentOfUpdate } from '../../../server/relay/change-extent';
import { DurableState } from '../../../server/relay/durable-state';
import { partsCover } from '../../../server/relay/update-coverage';

/** A device's doc and each update it makes, in order. */
function device(clientId: number) {
	const doc = new Y.Doc();
	doc.clientID = clientId;
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	return { doc, updates, text: doc.getText('notes') };
}

/** Applies `update` to `doc` and returns what the doc emitted for it. */
function applyAndCapture(doc: Y.Doc, update: Uint8Array): Uint8Array[] {
	const emitted: Uint8Array[] = [];
	const listen = (u: Uint8Array) => emitted.push(u);
	doc.on('update', listen);
	Y.applyUpdate(doc, update);
	doc.off('update', listen);
	return emitted;
}

describe('DurableState', () => {
	it('starts as what was loaded from the store', () => {
		const rep = device(1);
		rep.text.insert(0, 'stored');
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(rep.doc));
		const durable = new DurableState(Y.snapshot(server));
		expect(durable.contains(rep.updates[0]!)).toBe(true);
		rep.text.insert(6, ' later');
		expect(durable.contains(rep.updates[1]!)).toBe(false);
	});

	it('claims a change this instance committed, and says so in its snapshot', () => {
		const rep = device(1);
		const durable = new DurableState(Y.emptySnapshot);
		rep.text.insert(0, 'hello');
		rep.text.delete(0, 1);
		durable.addCommitted([extentOfUpdate(Y.mergeUpdates(rep.updates))]);
		for (const update of rep.updates) expect(Y.snapshotContainsUpdate(durable.snapshot(), update)).toBe(true);
	});

	it('never claims a change a peer applied until some instance says it is stored', () => {
		const rep = device(1);
		rep.text.insert(0, 'relayed by a peer');
		const durable = new DurableState(Y.emptySnapshot);
		durable.notePeerChange(rep.updates[0]!);
		expect(durable.hasUnstoredPeerChanges).toBe(true);
		expect(durable.contains(rep.updates[0]!)).toBe(false);
		expect(Y.snapshotContainsUpdate(durable.snapshot(), rep.updates[0]!)).toBe(false);

		const peer = new DurableState(Y.emptySnapshot);
		peer.addCommitted([extentOfUpdate(rep.updates[0]!)]);
		durable.addStored(peer.snapshot());
		expect(durable.contains(rep.updates[0]!)).toBe(true);
		expect(durable.hasUnstoredPeerChanges).toBe(false);
	});

	it('does not claim a change committed past a gap of unstored ones', () => {
		const rep = device(1);
		rep.text.insert(0, 'first');
		rep.text.insert(5, ' second');
		const [first, second] = rep.updates;
		const durable = new DurableState(Y.emptySnapshot);
		durable.addCommitted([extentOfUpdate(second!)]);
		expect(durable.contains(second!)).toBe(false);
		expect(durable.snapshot().sv.get(1) ?? 0).toBe(0);
		durable.addCommitted([extentOfUpdate(first!)]);
		expect(durable.contains(first!)).toBe(true);
		// The device still waits for `second`, sends it again, and that commit is claimed.
		durable.addCommitted([extentOfUpdate(second!)]);
		expect(durable.contains(second!)).toBe(true);
	});

	it('claims deletions committed in any order, and leaves the snapshot it started from as it was', () => {
		const rep = device(1);
		rep.text.insert(0, 'abcdefghij');
		const durable = new DurableState(Y.emptySnapshot);
		durable.addCommitted([extentOfUpdate(rep.updates[0]!)]);
		rep.text.delete(6, 2);
		rep.text.delete(1, 2);
		rep.text.delete(0, 1);
		const [, late, early, first] = rep.updates;
		durable.addCommitted([extentOfUpdate(late!), extentOfUpdate(early!)]);
		expect(durable.contains(late!)).toBe(true);
		expect(durable.contains(early!)).toBe(true);
		expect(durable.contains(first!)).toBe(false);
		durable.addCommitted([extentOfUpdate(first!)]);
		for (const update of rep.updates) expect(durable.contains(update)).toBe(true);
		expect(Y.equalDeleteSets(durable.snapshot().ds, Y.snapshot(rep.doc).ds)).toBe(true);
		expect(Y.emptySnapshot.ds.clients.size).toBe(0);
		expect(Y.emptySnapshot.sv.size).toBe(0);
	});

	it('merges many unstored peer changes and forgets them once stored', () => {
		const rep = device(1);
		for (let i = 0; i < 200; i++) rep.text.insert(i, 'x');
		const durable = new DurableState(Y.emptySnapshot);
		for (const update of rep.updates) durable.notePeerChange(update);
		expect(durable.hasUnstoredPeerChanges).toBe(true);
		durable.addCommitted([extentOfUpdate(Y.mergeUpdates(rep.updates))]);
		expect(durable.hasUnstoredPeerChanges).toBe(false);
	});
});

describe('partsCover', () => {
	it('is true when applying the update emitted all of it', () => {
		const rep = device(1);
		rep.text.insert(0, 'abc');
		rep.text.delete(1, 1);
		const update = Y.mergeUpdates(rep.updates);
		const emitted = applyAndCapture(new Y.Doc(), update);
		expect(partsCover(emitted, Y.decodeUpdate(update))).toBe(true);
	});

	it('is false when part of the update was already in the document', () => {
		const rep = device(1);
		rep.text.insert(0, 'known');
		const server = new Y.Doc();
		Y.applyUpdate(server, rep.updates[0]!);
		rep.text.insert(5, ' new');
		const resent = Y.mergeUpdates(rep.updates);
		const emitted = applyAndCapture(server, resent);
		expect(emitted).toHaveLength(1);
		expect(partsCover(emitted, Y.decodeUpdate(resent))).toBe(false);
		expect(partsCover([], Y.decodeUpdate(resent))).toBe(false);
	});

	it('is false when a deletion in the update was already applied', () => {
		const rep = device(1);
		rep.text.insert(0, 'abc');
		const server = new Y.Doc();
		Y.applyUpdate(server, rep.updates[0]!);
		rep.text.delete(0, 1);
		Y.applyUpdate(server, rep.updates[1]!);
		const deletion = rep.updates[1]!;
		expect(partsCover(applyAndCapture(server, deletion), Y.decodeUpdate(deletion))).toBe(false);
	});
});
