import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

describe('stock y-websocket clients on /doc/<name>', () => {
	let relay: TestRelay;
	const clients: StockClient[] = [];
	const connect = async (token: string, docName = 'account:north-1') => {
		const client = connectStockClient(relay.wsBase, docName, token);
		clients.push(client);
		await waitFor('client synced', () => client.provider.synced);
		return client;
	};

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await relay.stop();
	});

	it('receives the stored document on connect', async () => {
		const rep = await connect(await relay.login('repNorth'));
		expect(readAccount(rep.doc).name).toBe('Boulangerie du Nord');
		expect(readAccount(rep.doc).phone).toBe('+33 4 00 00 00 01');
	});

	it('relays a live edit from one client to another', async () => {
		const rep = await connect(await relay.login('repNorth'));
		const manager = await connect(await relay.login('manager'));
		accountFields(rep.doc).set('phone', '+33 4 78 00 00 00');
		await waitFor('manager sees the new phone', () => readAccount(manager.doc).phone === '+33 4 78 00 00 00');
	});

	it('merges concurrent text edits character by character', async () => {
		const a = await connect(await relay.login('repNorth'));
		const b = await connect(await relay.login('manager'));
		accountNotes(a.doc).insert(0, 'Closed on Mondays.');
		await waitFor('b has the first note', () => accountNotes(b.doc).toString() === 'Closed on Mondays.');

		// Both go offline, type at the same time, come back.
		a.provider.disconnect();
		b.provider.disconnect();
		accountNotes(a.doc).insert(0, 'Ask for Marie. ');
		accountNotes(b.doc).insert(accountNotes(b.doc).length, ' Delivery at the back door.');
		a.provider.connect();
		b.provider.connect();

		const expected = 'Ask for Marie. Closed on Mondays. Delivery at the back door.';
		await waitFor('a converged', () => accountNotes(a.doc).toString() === expected);
		await waitFor('b converged', () => accountNotes(b.doc).toString() === expected);
	});

	it('answers awareness: one client sees the other present', async () => {
		const a = await connect(await relay.login('repNorth'));
		const b = await connect(await relay.login('manager'));
		a.provider.awareness.setLocalStateField('user', { name: 'Rep North', field: 'phone' });
		await waitFor('b sees a in awareness', () =>
			[...b.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Rep North')
		);
		a.provider.disconnect();
		await waitFor('b sees a leave', () =>
			![...b.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Rep North')
		);
	});
});
