import { openDB } from 'idb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountFields, createOrder, readAccount, readOrder, setAccountFields, visitReport } from '../../src/lib/model';
import type { SyncEngine } from '../../src/lib/sync/sync-engine';
import { decodeFrames, MessageType } from '../../src/lib/protocol';
import { freshDevice, startEngine, TestNetwork } from '../helpers/device-engine';
import { PASSWORD, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

describe('the device sync engine against the real relay', () => {
	let relay: TestRelay;
	const engines: SyncEngine[] = [];
	const start = async (network?: TestNetwork, deviceDbName?: string) => {
		const started = await startEngine(relay.server.url, network, deviceDbName);
		engines.push(started.engine);
		return started;
	};
	/** What the server holds, read through a stock client as the manager. */
	const serverView = async (docName: string) => {
		const client = connectStockClient(relay.wsBase, docName, await relay.login('manager'));
		await waitFor('server view synced', () => client.provider.synced);
		return client;
	};

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	beforeEach(() => freshDevice());
	afterEach(() => {
		for (const e of engines.splice(0)) e.destroy();
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('downloads the manifest on first sign-in, today\'s route first, and reports progress', async () => {
		const { engine } = await start();
		const seen: Array<{ downloaded: number; total: number }> = [];
		engine.onStatus((s) => seen.push({ downloaded: s.downloaded, total: s.total }));
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('download complete', () => engine.status.total > 0 && !engine.status.downloading && engine.status.lastSyncedAt);
		expect(engine.status.downloaded).toBe(engine.status.total);
		expect(seen.some((s) => s.total > 0 && s.downloaded < s.total)).toBe(true);
		await waitFor('index has the account title', () => engine.list('account')[0]?.title === 'Boulangerie du Nord');
		expect(engine.list('account')).toHaveLength(1);
		expect(engine.list('visit').map((v) => v.name).sort()).toEqual(['visit:north-1-later', 'visit:north-1-today']);
		expect(engine.list('account').some((a) => a.territory === 'south')).toBe(false);
	});

	it('keeps offline edits through a reload and syncs them when the network returns, durable before they leave the list', async () => {
		const network = new TestNetwork();
		const first = await start(network);
		await first.engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => first.engine.status.lastSyncedAt && !first.engine.status.downloading);

		network.set(false);
		await waitFor('offline', () => first.engine.status.connection === 'offline');
		const account = await first.engine.open('account:north-1');
		setAccountFields(account, { phone: '+33 4 72 00 00 00' });
		const visit = await first.engine.open('visit:north-1-today');
		visitReport(visit).insert(0, 'Met the owner; new fridge next month.');
		await waitFor('two documents waiting', () => first.engine.status.waiting === 2);
		const waiting = first.engine.pending();
		expect(waiting.find((p) => p.name === 'account:north-1')!.changed).toEqual(['phone']);
		expect(waiting.find((p) => p.name === 'visit:north-1-today')!.changed).toEqual(['report']);

		// Reload while still offline: a new engine over the same device storage.
		first.engine.destroy();
		engines.splice(engines.indexOf(first.engine), 1);
		await new Promise((r) => setTimeout(r, 50));
		const second = await start(network);
		expect(second.engine.session?.user.id).toBe(USERS.repNorth.id);
		expect(second.engine.status.waiting).toBe(2);
		const reloaded = await second.engine.open('account:north-1');
		expect(readAccount(reloaded).phone).toBe('+33 4 72 00 00 00');
		expect(visitReport(await second.engine.open('visit:north-1-today')).toString()).toBe('Met the owner; new fridge next month.');
		expect(second.sockets()).toBe(0);

		network.set(true);
		await waitFor('nothing waiting', () => second.engine.status.waiting === 0, 10_000);
		const server = await serverView('account:north-1');
		expect(readAccount(server.doc).phone).toBe('+33 4 72 00 00 00');
		server.destroy();
		const serverVisit = await serverView('visit:north-1-today');
		expect(visitReport(serverVisit.doc).toString()).toBe('Met the owner; new fridge next month.');
		serverVisit.destroy();
	});

	it('in always-offline mode sends nothing until Sync now', async () => {
		const { engine, sockets } = await start();
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => engine.status.lastSyncedAt && !engine.status.downloading);
		await engine.setMode('always-offline');
		await waitFor('disconnected', () => engine.status.connection === 'offline');
		const before = sockets();
		const account = await engine.open('account:north-1');
		accountFields(account).set('email', 'hello@nord.example');
		await new Promise((r) => setTimeout(r, 300));
		expect(sockets()).toBe(before);
		expect(engine.status.waiting).toBe(1);

		await engine.syncNow();
		expect(engine.status.waiting).toBe(0);
		expect(engine.status.connection).toBe('offline');
		const server = await serverView('account:north-1');
		expect(readAccount(server.doc).email).toBe('hello@nord.example');
		server.destroy();
	});

	it('refuses to sign out while changes wait, and clears the device when the rep confirms', async () => {
		const network = new TestNetwork();
		const { engine } = await start(network);
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => engine.status.lastSyncedAt && !engine.status.downloading);
		network.set(false);
		const account = await engine.open('account:north-1');
		accountFields(account).set('city', 'Villeurbanne');
		await waitFor('waiting', () => engine.status.waiting === 1);

		const refused = await engine.signOut();
		expect(refused).toMatchObject({ signedOut: false });
		expect(refused.signedOut === false && refused.waiting.map((w) => w.name)).toEqual(['account:north-1']);
		expect(engine.session).not.toBeNull();

		expect(await engine.signOut({ discardUnsynced: true })).toEqual({ signedOut: true });
		expect(engine.session).toBeNull();
		expect(engine.list('account')).toEqual([]);
		const names = (await indexedDB.databases()).map((d) => d.name);
		expect(names.filter((n) => n?.startsWith('outrider-doc:'))).toEqual([]);
	});

	it('renews a token that expired while offline, without losing the waiting edit', async () => {
		const network = new TestNetwork();
		const { engine } = await start(network);
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => engine.status.lastSyncedAt && !engine.status.downloading);
		network.set(false);
		const visit = await engine.open('visit:north-1-today');
		visitReport(visit).insert(0, 'Written with an old token. ');
		// The token the device holds expires while it is offline.
		const user = (await relay.server.store.getUserById(USERS.repNorth.id))!;
		const expired = (await relay.server.tokens.issue(user, -60)).token;
		(engine.session as { token: string }).token = expired;

		network.set(true);
		await waitFor('edit synced after renewal', () => engine.status.waiting === 0 && engine.status.connection === 'online', 10_000);
		expect(engine.session!.token).not.toBe(expired);
		expect(engine.status.needsSignIn).toBe(false);
		const server = await serverView('visit:north-1-today');
		expect(visitReport(server.doc).toString()).toContain('Written with an old token.');
		server.destroy();
	});

	it('removes a document that left the manifest once it has nothing waiting', async () => {
		const { engine } = await start();
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => engine.status.lastSyncedAt && !engine.status.downloading);
		expect(engine.list('visit').map((v) => v.name)).toContain('visit:north-1-later');

		// The office moves the account to the south territory (and back afterwards, for the tests that follow).
		const moveAccount = async (territory: string) => {
			const admin = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('admin'));
			await waitFor('admin synced', () => admin.provider.synced);
			accountFields(admin.doc).set('territory', territory);
			await waitFor('summary moved', async () => (await relay.server.store.getSummary('account:north-1'))?.territory === territory);
			admin.destroy();
		};
		await moveAccount('south');
		try {
			await engine.syncNow();
			await waitFor('account left the device', () => engine.list('account').length === 0, 10_000);
			await waitFor('its visits followed it', () => engine.list('visit').length === 0, 10_000);
			const databases = (await indexedDB.databases()).map((d) => d.name);
			expect(databases).not.toContain('outrider-doc:account:north-1');
		} finally {
			await moveAccount('north');
		}
	});

	it('opens a document whose stored rows include a broken one, keeping the broken row aside', async () => {
		const first = await start();
		await first.engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => first.engine.status.lastSyncedAt && !first.engine.status.downloading);
		await first.engine.open('account:north-1');
		first.engine.destroy();
		engines.splice(engines.indexOf(first.engine), 1);
		await new Promise((r) => setTimeout(r, 50));

		// A row that is not a Yjs update, as a crash mid-write or a bug might leave.
		const db = await openDB('outrider-doc:account:north-1');
		await db.add('updates', new Uint8Array([0xff, 0xfe, 0x01, 0x02, 0x03]));
		await db.add('updates', 'not even bytes' as unknown as Uint8Array);
		db.close();

		const second = await start();
		const account = await second.engine.open('account:north-1');
		expect(readAccount(account).name).toBe('Boulangerie du Nord');
		const device = await openDB('outrider-device');
		const quarantined = (await device.getAll('quarantine')) as Array<{ docName: string; error: string }>;
		device.close();
		expect(quarantined.map((q) => q.docName)).toEqual(['account:north-1', 'account:north-1']);
		expect(quarantined[0]!.error).toMatch(/does not decode/);
		expect(quarantined[1]!.error).toMatch(/not binary/);
	});

	it('sends an order created offline after a reload, though no manifest names it yet', async () => {
		const network = new TestNetwork();
		const first = await start(network);
		await first.engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => first.engine.status.lastSyncedAt && !first.engine.status.downloading);
		network.set(false);
		const name = await first.engine.create('order', (doc) =>
			createOrder(doc, { accountId: 'north-1', repId: USERS.repNorth.id, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard', lines: [{ sku: 'BEV-0001', qty: 2, unitPrice: 95 }] })
		);
		await waitFor('order waiting', () => first.engine.status.waiting === 1);
		first.engine.destroy();
		engines.splice(engines.indexOf(first.engine), 1);
		await new Promise((r) => setTimeout(r, 50));

		const second = await start(network);
		network.set(true);
		await waitFor('order durable', () => second.engine.status.waiting === 0 && second.engine.status.connection === 'online', 10_000);
		const server = await serverView(name);
		expect(readOrder(server.doc).lines).toEqual([expect.objectContaining({ sku: 'BEV-0001', qty: 2 })]);
		server.destroy();
	});

	it('shows who else has the document open, and forgets them when they leave', async () => {
		const rep = await start();
		const office = await start(undefined, 'outrider-device-office');
		await rep.engine.signIn(USERS.repNorth.username, PASSWORD);
		await office.engine.signIn(USERS.manager.username, PASSWORD);
		await rep.engine.open('account:north-1');
		await office.engine.open('account:north-1');
		await waitFor('both online', () => rep.engine.status.connection === 'online' && office.engine.status.connection === 'online');
		const mine = rep.engine.presence('account:north-1')!;
		const theirs = office.engine.presence('account:north-1')!;
		theirs.setLocalState({ user: { name: 'Manager', role: 'manager' }, field: 'phone' });
		const others = () => [...mine.getStates()].filter(([id]) => id !== mine.clientID).map(([, state]) => state);
		await waitFor('rep sees the manager on the phone field', () => others().some((s) => (s as { field?: string }).field === 'phone'));
		office.engine.destroy();
		engines.splice(engines.indexOf(office.engine), 1);
		await waitFor('manager gone', () => others().length === 0, 5000);
	});

	it('on reconnect exchanges state only for documents that changed, and watches the rest', async () => {
		const network = new TestNetwork();
		const { engine, sent } = await start(network);
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('downloaded', () => engine.status.lastSyncedAt && !engine.status.downloading);
		await waitFor('versions recorded', () => engine.list('visit').every((v) => v.syncedVersion));
		network.set(false);
		await waitFor('offline', () => engine.status.connection === 'offline');

		// While the device is away, the office changes one visit.
		const office = await serverView('visit:north-1-later');
		visitReport(office.doc).insert(0, 'Bring the new price list.');
		await waitFor('change stored', async () => (await relay.server.store.readUpdates('visit:north-1-later')).length > 1);
		office.destroy();

		sent.length = 0;
		network.set(true);
		const visit = await engine.open('visit:north-1-later');
		await waitFor('change arrived', () => visitReport(visit).toString() === 'Bring the new price list.', 10_000);
		const frames = sent.flatMap((message) => decodeFrames(message));
		const step1 = frames.filter((f) => f.payload[0] === MessageType.Sync && f.payload[1] === 0).map((f) => f.docName);
		const watched = frames.filter((f) => f.payload[0] === MessageType.Watch).map((f) => f.docName);
		expect(step1).toEqual(['visit:north-1-later']);
		expect(watched.sort()).toEqual((['account', 'visit', 'order', 'catalog', 'stock', 'inbox'] as const).flatMap((kind) => engine.list(kind)).map((e) => e.name).filter((n) => n !== 'visit:north-1-later').sort());
	});
});
