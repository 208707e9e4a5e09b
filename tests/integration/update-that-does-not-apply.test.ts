import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountContacts, accountFields, addContact, readAccount } from '../../src/lib/model';
import { encodeFrame, encodeSyncStep1, encodeUpdate } from '../../src/lib/protocol';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { replicaContent, storedDocument } from '../helpers/replica-content';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

/**
 * `update` with one more deletion range, of length zero, for a client nobody
 * knows: it decodes, but Yjs throws while applying it, after it has taken in the
 * update's structs.
 */
function withEmptyDeletion(update: Uint8Array): Uint8Array {
	const { ds } = Y.decodeUpdate(update);
	const clients = [...ds.clients];
	const writeDeletions = (e: encoding.Encoder, extra: boolean) => {
		encoding.writeVarUint(e, clients.length + (extra ? 1 : 0));
		for (const [client, ranges] of clients) {
			encoding.writeVarUint(e, client);
			encoding.writeVarUint(e, ranges.length);
			for (const range of ranges) {
				encoding.writeVarUint(e, range.clock);
				encoding.writeVarUint(e, range.len);
			}
		}
		if (extra) {
			for (const n of [424242, 1, 5, 0]) encoding.writeVarUint(e, n);
		}
	};
	const own = encoding.encode((e) => writeDeletions(e, false));
	const structs = update.subarray(0, update.length - own.length);
	return Uint8Array.from([...structs, ...encoding.encode((e) => writeDeletions(e, true))]);
}

/**
 * `update` with its first map entry's parent pointed at a struct of the same
 * client that does not exist: Yjs takes in the structs before that entry and
 * then throws.
 */
function withDanglingParent(update: Uint8Array, client: number, parentClock: number): Uint8Array {
	const pattern = [0, ...encoding.encode((e) => encoding.writeVarUint(e, client)), parentClock];
	const at = update.findIndex((_, i) => pattern.every((byte, j) => update[i + j] === byte));
	if (at < 0) throw new Error('no parent reference to forge');
	const forged = Uint8Array.from(update);
	forged[at + pattern.length - 1] = 0x7f;
	return forged;
}

/** Sends `messages` on a fresh `/sync` socket and resolves with how the relay closed it. */
function sendAndAwaitClose(url: string, messages: Uint8Array[]): Promise<{ code: number; reason: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url);
		ws.on('open', () => {
			for (const message of messages) ws.send(message);
		});
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', () => {});
		setTimeout(() => reject(new Error('the relay kept the connection open')), 5000);
	});
}

describe('an update that decodes but does not apply', () => {
	let relay: TestRelay;

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('closes the connection as malformed and changes nothing, protected fields included', async () => {
		const token = await relay.login('repNorth');
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [seen] = reader.open('account:north-1');
		await waitFor('reader loaded', () => readAccount(seen!).name === 'Boulangerie du Nord');

		// A rep's copy moves the account to another territory, a field only managers may change.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(seen!));
		let edit: Uint8Array | undefined;
		copy.on('update', (u: Uint8Array) => (edit = u));
		accountFields(copy).set('territory', 'south');
		const bad = withEmptyDeletion(edit!);
		expect(() => Y.applyUpdate(new Y.Doc(), bad)).toThrow();

		const close = await sendAndAwaitClose(`${relay.wsBase}/sync?token=${token}`, [
			encodeFrame('account:north-1', encodeSyncStep1(copy)),
			encodeFrame('account:north-1', encodeUpdate(bad))
		]);
		expect(close.code).toBe(4400);

		// Nothing of it reached the live document, the other clients or the store.
		accountFields(seen!).set('phone', '+33 4 00 00 00 42');
		await waitFor('reader edit durable', () => reader.client.documentsWithPendingChanges().length === 0);
		expect(readAccount(seen!).territory).toBe('north');
		await relay.server.relay.persistence.flush();
		const stored = await storedDocument(relay.server.store, 'account:north-1');
		expect(readAccount(stored).territory).toBe('north');
		expect(readAccount(stored).phone).toBe('+33 4 00 00 00 42');
		reader.destroy();
	});

	it('that Yjs gave up on halfway: a protected field it changed is put back, and the store agrees with the relay', async () => {
		const token = await relay.login('repNorth');
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [seen] = reader.open('account:north-1');
		await waitFor('reader loaded', () => readAccount(seen!).name === 'Boulangerie du Nord');

		// One update: the territory first, then a new contact whose fields name a parent that is not there.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(seen!));
		let edit: Uint8Array | undefined;
		copy.on('update', (u: Uint8Array) => (edit = u));
		copy.transact(() => {
			accountFields(copy).set('territory', 'south');
			addContact(copy, { id: 'forged', name: 'Forged' });
		});
		const contactMap = accountContacts(copy).get(accountContacts(copy).length - 1);
		const forged = withDanglingParent(edit!, copy.clientID, contactMap._item!.id.clock);
		const probe = new Y.Doc();
		Y.applyUpdate(probe, Y.encodeStateAsUpdate(seen!));
		expect(() => Y.applyUpdate(probe, forged)).toThrow();
		expect(readAccount(probe).territory).toBe('south');

		const close = await sendAndAwaitClose(`${relay.wsBase}/sync?token=${token}`, [
			encodeFrame('account:north-1', encodeSyncStep1(copy)),
			encodeFrame('account:north-1', encodeUpdate(forged))
		]);
		expect(close.code).toBe(4400);
		expect(close.reason).toMatch(/does not apply/);

		await waitFor('the territory put back on every replica', () => readAccount(seen!).territory === 'north');
		accountFields(seen!).set('phone', '+33 4 00 00 00 43');
		await waitFor('reader edit durable', () => reader.client.documentsWithPendingChanges().length === 0);
		await relay.server.relay.persistence.flush();
		const stored = await storedDocument(relay.server.store, 'account:north-1');
		expect(readAccount(stored).territory).toBe('north');
		expect(replicaContent(stored, 'account:north-1')).toEqual(replicaContent(relay.server.relay.registry.peek('account:north-1')!.doc, 'account:north-1'));
		expect(replicaContent(seen!, 'account:north-1')).toEqual(replicaContent(stored, 'account:north-1'));
		reader.destroy();
	});
});
