import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { accountNotes, createAccount, setAccountFields } from '../../../src/lib/model';
import { encodeUpdate } from '../../../src/lib/protocol';
import { extentOfTransaction, extentOfUpdate, type ChangeExtent } from '../../../server/relay/change-extent';
import type { DocSession } from '../../../server/relay/session';
import { SharedDocument } from '../../../server/relay/shared-document';
import { USERS } from '../../helpers/fixture';

const DOC = 'account:south-1';

function session(id: number, received: Uint8Array[]): DocSession {
	return {
		id,
		user: { ...USERS.manager, territories: [...USERS.manager.territories], passwordHash: '' },
		access: { read: true, write: true },
		speaksExtensions: false,
		send: (payload) => received.push(payload),
		fail: () => {},
		revoke: () => {}
	};
}

/** The update inside a relayed sync message (type 0, sync update 2). */
function updateOf(message: Uint8Array): Uint8Array {
	const decoder = decoding.createDecoder(message);
	expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([0, 2]);
	return decoding.readVarUint8Array(decoder);
}

function setup() {
	const stored = new Y.Doc();
	createAccount(stored, { name: 'Épicerie du Sud', territory: 'south', priceList: 'standard', warehouse: 'east', notes: '' });
	const base = Y.encodeStateAsUpdate(stored);
	const queued: Array<{ update: Uint8Array; extent: ChangeExtent | undefined }> = [];
	const shared = new SharedDocument(DOC, base, {
		onUpdate: (_doc, update, _contributor, extent) => void queued.push({ update, extent }),
		checkWrite: () => null,
		maxDocumentBytes: 1 << 20
	});
	const heard: Uint8Array[] = [];
	const writer = session(1, []);
	const listener = session(2, heard);
	shared.addSession(writer, { quiet: true });
	shared.addSession(listener, { quiet: true });
	const device = new Y.Doc();
	device.clientID = 4242;
	Y.applyUpdate(device, base);
	const changes: Uint8Array[] = [];
	device.on('update', (u: Uint8Array) => changes.push(u));
	return { shared, writer, heard, queued, device, changes, base };
}

/** Each client's structs as one range, first clock to last (the runs of one change are contiguous). */
function clockRanges({ runs }: ChangeExtent): Record<number, [number, number]> {
	const ranges: Record<number, [number, number]> = {};
	for (const { client, clock, end } of runs) {
		const [from, to] = ranges[client] ?? [clock, end];
		ranges[client] = [Math.min(from, clock), Math.max(to, end)];
	}
	return ranges;
}

/** The deleted runs in client and clock order. */
function deletedRuns({ deletions }: ChangeExtent): ChangeExtent['deletions'] {
	return [...deletions].sort((a, b) => a.client - b.client || a.clock - b.clock);
}

/** A copy built only from the stored base and what the relay queued for the store. */
function rebuiltFromQueue(base: Uint8Array, queued: Array<{ update: Uint8Array }>): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.mergeUpdates([base, ...queued.map((q) => q.update)]));
	return copy;
}

describe('what the relay passes on for an update it applied', () => {
	it('is the update as received, with the extent Yjs’s own encoding would have', async () => {
		const { shared, writer, heard, queued, device, changes } = setup();
		setAccountFields(device, { phone: '+33 4 00 00 00 00' });
		accountNotes(device).insert(0, 'Ring twice.');
		const sent = Y.mergeUpdates(changes);
		await shared.receive(writer, encodeUpdate(sent));

		expect(heard.map(updateOf)).toEqual([sent]);
		expect(queued).toHaveLength(1);
		expect(queued[0]!.update).toEqual(sent);
		expect(clockRanges(queued[0]!.extent!)).toEqual(clockRanges(extentOfUpdate(sent)));
		expect(deletedRuns(queued[0]!.extent!)).toEqual(deletedRuns(extentOfUpdate(sent)));
	});

	it('is only what was new when the update restates changes the document has', async () => {
		const { shared, writer, heard, queued, device, changes, base } = setup();
		accountNotes(device).insert(0, 'Ring twice.');
		await shared.receive(writer, encodeUpdate(changes[0]!));
		// The device lost its connection before the ack and sends everything it made since the base.
		accountNotes(device).insert(0, 'Closed on Mondays. ');
		const resent = Y.mergeUpdates(changes);
		await shared.receive(writer, encodeUpdate(resent));

		const relayed = heard.map(updateOf);
		expect(relayed).toHaveLength(2);
		expect(relayed[1]).not.toEqual(resent);
		expect(extentOfUpdate(relayed[1]!).runs).toEqual([{ client: 4242, clock: 'Ring twice.'.length, end: 'Ring twice.'.length + 'Closed on Mondays. '.length }]);
		expect(rebuiltFromQueue(base, queued).getText('notes').toString()).toBe(shared.doc.getText('notes').toString());
	});

	it('carries a held-back change with the one that releases it', async () => {
		const { shared, writer, heard, queued, device, changes, base } = setup();
		accountNotes(device).insert(0, 'Ring twice.');
		accountNotes(device).insert(0, 'Closed on Mondays. ');
		const [first, second] = changes;
		await shared.receive(writer, encodeUpdate(second!));
		expect(heard).toHaveLength(0);
		await shared.receive(writer, encodeUpdate(first!));

		const listenerCopy = new Y.Doc();
		Y.applyUpdate(listenerCopy, base);
		for (const message of heard) Y.applyUpdate(listenerCopy, updateOf(message));
		expect(listenerCopy.getText('notes').toString()).toBe('Closed on Mondays. Ring twice.');
		expect(rebuiltFromQueue(base, queued).getText('notes').toString()).toBe('Closed on Mondays. Ring twice.');
	});
});

describe('extentOfTransaction', () => {
	it('says what the update Yjs encodes for the transaction holds', () => {
		const doc = new Y.Doc();
		doc.clientID = 7;
		doc.getText('notes').insert(0, 'hello world');
		const other = new Y.Doc();
		other.clientID = 9;
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		other.getText('notes').insert(5, ',');

		const seen: Array<{ extent: ChangeExtent; update: Uint8Array }> = [];
		let extent: ChangeExtent | undefined;
		doc.on('afterTransactionCleanup', (tr: Y.Transaction) => (extent = extentOfTransaction(tr)));
		doc.on('update', (update: Uint8Array) => seen.push({ extent: extent!, update }));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		doc.transact(() => {
			doc.getText('notes').delete(6, 6);
			doc.getText('notes').insert(0, '> ');
		});

		expect(seen).toHaveLength(2);
		for (const { extent: fromTransaction, update } of seen) {
			const fromUpdate = extentOfUpdate(update);
			expect(clockRanges(fromTransaction)).toEqual(clockRanges(fromUpdate));
			expect(deletedRuns(fromTransaction)).toEqual(deletedRuns(fromUpdate));
		}
		expect(seen[1]!.extent.deletions.length).toBeGreaterThan(0);
	});
});
