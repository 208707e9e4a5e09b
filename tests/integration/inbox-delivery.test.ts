import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markRead, readInbox, type InboxMessage } from '../../src/lib/model';
import type { SyncEngine } from '../../src/lib/sync/sync-engine';
import { freshDevice, startEngine, TestNetwork } from '../helpers/device-engine';
import { PASSWORD, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { waitFor } from '../helpers/wait';

const INBOX = `inbox:${USERS.repNorth.id}`;

describe('a message for a rep who is offline', () => {
	let relay: TestRelay;
	const engines: SyncEngine[] = [];

	const signedIn = async (network = new TestNetwork()) => {
		const { engine } = await startEngine(relay.server.url, network);
		engines.push(engine);
		if (!engine.session) await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('device synced', () => engine.status.connection === 'online' && engine.status.lastSyncedAt && !engine.status.downloading, 10_000);
		return { engine, network };
	};
	const stop = (engine: SyncEngine) => {
		engine.destroy();
		engines.splice(engines.indexOf(engine), 1);
	};
	const messagesOn = async (engine: SyncEngine): Promise<InboxMessage[]> => readInbox(await engine.open(INBOX));
	const titled = (messages: InboxMessage[], title: string) => messages.filter((m) => m.title === title);

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterEach(() => {
		for (const engine of engines.splice(0)) engine.destroy();
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('arrives once at the next sync, stays one message through reconnects and on a second device, and read state follows', async () => {
		freshDevice();
		const laptopStorage = globalThis.indexedDB;
		const laptop = await signedIn();
		laptop.network.set(false);
		await waitFor('laptop offline', () => laptop.engine.status.connection === 'offline');

		const res = await fetch(`${relay.server.url}/api/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${await relay.login('manager')}` },
			body: JSON.stringify({ to: { userId: USERS.repNorth.id }, title: 'Stock count tomorrow', body: 'Bring the scanner.', urgent: true })
		});
		expect(res.status).toBe(201);
		expect(titled(await messagesOn(laptop.engine), 'Stock count tomorrow')).toEqual([]);

		laptop.network.set(true);
		await waitFor('message arrived', async () => titled(await messagesOn(laptop.engine), 'Stock count tomorrow').length === 1, 10_000);

		// A second reconnect exchanges state again; the message is still one message.
		laptop.network.set(false);
		await waitFor('offline again', () => laptop.engine.status.connection === 'offline');
		laptop.network.set(true);
		await waitFor('synced again', () => laptop.engine.status.connection === 'online' && laptop.engine.status.waiting === 0, 10_000);
		const onLaptop = titled(await messagesOn(laptop.engine), 'Stock count tomorrow');
		expect(onLaptop).toEqual([expect.objectContaining({ urgent: true, from: 'Manager', readAt: null })]);
		stop(laptop.engine);

		// The same rep on a phone: one copy, marked read there.
		freshDevice();
		const phone = await signedIn();
		await waitFor('phone has it', async () => titled(await messagesOn(phone.engine), 'Stock count tomorrow').length === 1, 10_000);
		const onPhone = titled(await messagesOn(phone.engine), 'Stock count tomorrow')[0]!;
		expect(onPhone.id).toBe(onLaptop[0]!.id);
		markRead(await phone.engine.open(INBOX), onPhone.id, new Date().toISOString());
		await waitFor('read state durable', () => phone.engine.status.waiting === 0 && phone.engine.pending().length === 0, 10_000);
		stop(phone.engine);

		// Back on the laptop (its own storage): the message shows read, still once.
		globalThis.indexedDB = laptopStorage;
		const again = await signedIn();
		await waitFor('read on the laptop', async () => titled(await messagesOn(again.engine), 'Stock count tomorrow')[0]?.readAt !== null, 10_000);
		expect(titled(await messagesOn(again.engine), 'Stock count tomorrow')).toHaveLength(1);
		expect(again.engine.deviceId).not.toBe(phone.engine.deviceId);
	});
});
