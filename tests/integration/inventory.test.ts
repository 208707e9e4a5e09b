import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	availableStock,
	counterKey,
	createOrder,
	newId,
	readInbox,
	readOrder,
	setOrderFields,
	stockOnHand,
	stockReservations,
	summarizeDocument,
	vanLeft,
	type OrderLineInit
} from '../../src/lib/model';
import { countStock, fetchWarehouse, loadVan, receiveStock, unloadVan, warehouseRows } from '../../src/lib/inventory/stock-office';
import { submitOrder } from '../../src/lib/orders/submit-order';
import { USERS, type FixtureUser } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

const SKU = 'BEV-0001';
const ACCOUNT_OF = { repNorth: 'north-1', repSouth: 'south-1' } as const;

describe('inventory: orders reconciled against the stock ledger through the real relay', () => {
	let relay: TestRelay;
	const devices: TestDevice[] = [];

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		for (const device of devices) device.destroy();
		await relay.stop();
	});

	async function device(user: FixtureUser): Promise<TestDevice> {
		const d = connectDevice(relay.wsBase, await relay.login(user));
		devices.push(d);
		return d;
	}

	async function office(path: string, body: unknown, user: FixtureUser = 'manager'): Promise<Response> {
		return fetch(`${relay.server.url}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${await relay.login(user)}` },
			body: JSON.stringify(body)
		});
	}

	async function synced(d: TestDevice, name: string): Promise<Y.Doc> {
		const [doc] = d.open(name);
		await waitFor(`${name} on the device`, () => doc!.share.size > 0);
		return doc!;
	}

	/** A rep's device submits an order the way the app does (submitOrder), with the stock document it holds. */
	async function submit(d: TestDevice, rep: 'repNorth' | 'repSouth', lines: OrderLineInit[], deviceId = 'tablet'): Promise<{ name: string; doc: Y.Doc }> {
		const stock = await synced(d, 'stock:east');
		const name = `order:${newId()}`;
		const [doc] = d.open(name);
		createOrder(doc!, { accountId: ACCOUNT_OF[rep], repId: USERS[rep].id, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard', lines });
		submitOrder(doc!, stock, { userId: USERS[rep].id, deviceId });
		return { name, doc: doc! };
	}

	it('another rep\'s order lands first: the rep sees "6 of 10 confirmed, 4 backordered", in the order and the inbox', async () => {
		expect((await office('/api/stock/count', { warehouse: 'east', sku: SKU, qty: 8 })).status).toBe(200);
		const north = await device('repNorth');
		const south = await device('repSouth');
		const stockSeenByNorth = await synced(north, 'stock:east');
		await waitFor('the count reached the device', () => stockOnHand(stockSeenByNorth).get(SKU) === 8);

		const first = await submit(south, 'repSouth', [{ sku: SKU, qty: 2, unitPrice: 95 }]);
		await waitFor('first order confirmed', () => readOrder(first.doc).status === 'confirmed');
		const mine = await submit(north, 'repNorth', [{ sku: SKU, qty: 10, unitPrice: 95 }]);
		// Shown at once on the device, before the server answers.
		expect(availableStock(stockSeenByNorth, SKU)).toBe(0);

		await waitFor('second order decided', () => readOrder(mine.doc).status === 'partially_confirmed');
		const order = readOrder(mine.doc);
		expect(Object.values(order.allocation)).toEqual([expect.objectContaining({ confirmed: 6, backordered: 4, reason: 'insufficient_stock' })]);
		const [inbox] = north.open(`inbox:${USERS.repNorth.id}`);
		const notice = await waitFor('rep told', () => readInbox(inbox!).find((m) => m.kind === 'order_reconciled'));
		expect(notice.title).toBe('Order for Boulangerie du Nord: 6 of 10 confirmed, 4 backordered');
		expect(notice.urgent).toBe(true);
		// The device's reservation is settled and the confirmed units are held: nothing left to sell.
		await waitFor('settlement published', () => stockSeenByNorth.getMap('reconciled').get(counterKey(`${USERS.repNorth.id}.tablet`, SKU)) === 10);
		expect(availableStock(stockSeenByNorth, SKU)).toBe(0);
		expect(stockSeenByNorth.getMap('allocated').get(SKU)).toBe(8);
	});

	it('cancelling a confirmed order returns its stock, and the next order gets it', async () => {
		const south = await device('repSouth');
		const order = await submit(south, 'repSouth', [{ sku: SKU, qty: 3, unitPrice: 95 }], 'phone');
		await waitFor('decided', () => readOrder(order.doc).status !== 'submitted');
		expect(readOrder(order.doc).status).toBe('rejected');

		await office('/api/stock/receive', { warehouse: 'east', sku: SKU, qty: 5 });
		const bought = await submit(south, 'repSouth', [{ sku: SKU, qty: 5, unitPrice: 95 }], 'phone');
		await waitFor('confirmed', () => readOrder(bought.doc).status === 'confirmed');
		setOrderFields(bought.doc, { status: 'cancelled' });
		const stock = await synced(south, 'stock:east');
		await waitFor('units back', () => stock.getMap('allocated').get(SKU) === 8);
		const again = await submit(south, 'repSouth', [{ sku: SKU, qty: 5, unitPrice: 95 }], 'phone');
		await waitFor('the returned units are sold again', () => readOrder(again.doc).status === 'confirmed');
	});

	it('a stock document takes only a device\'s own counters, only upwards; everything else is put back', async () => {
		const north = await device('repNorth');
		const stock = await synced(north, 'stock:east');
		const mine = counterKey(`${USERS.repNorth.id}.tablet`, SKU);
		const theirs = counterKey(`${USERS.repSouth.id}.phone`, SKU);
		const onHand = stockOnHand(stock).get(SKU);
		const theirsBefore = stockReservations(stock).get(theirs);
		const mineBefore = stockReservations(stock).get(mine) ?? 0;
		stock.transact(() => {
			stockOnHand(stock).set(SKU, 9999);
			stockReservations(stock).set(theirs, 0);
			stockReservations(stock).set(mine, mineBefore + 1);
		});
		await waitFor('refusal told', () => north.refused.some((r) => r.docName === 'stock:east'));
		await waitFor('put back', () => stockOnHand(stock).get(SKU) === onHand && stockReservations(stock).get(theirs) === theirsBefore);
		expect(stockReservations(stock).get(mine)).toBe(mineBefore + 1);

		stockReservations(stock).set(mine, 0);
		await waitFor('a lowered counter is put back', () => stockReservations(stock).get(mine) === mineBefore + 1);
	});

	it('the office API: managers only, checked input, clear refusals', async () => {
		expect((await office('/api/stock/receive', { warehouse: 'east', sku: SKU, qty: 1 }, 'repNorth')).status).toBe(403);
		const bad = await office('/api/stock/receive', { warehouse: 'east', sku: SKU, qty: -4 });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(/qty/);
		const tooMuch = await office('/api/stock/van/load', { warehouse: 'east', userId: USERS.repNorth.id, sku: SKU, qty: 1_000_000 });
		expect(tooMuch.status).toBe(409);
		expect(((await tooMuch.json()) as { error: string }).error).toMatch(/free/);
		const other = await office('/api/stock/van/unload', { warehouse: 'east', userId: USERS.repSouth.id, sku: SKU, qty: 1 }, 'repNorth');
		expect(other.status).toBe(403);
		const res = await fetch(`${relay.server.url}/api/stock/east`, { headers: { authorization: `Bearer ${await relay.login('manager')}` } });
		expect(await res.json()).toMatchObject({ warehouse: 'east', onHand: { [SKU]: expect.any(Number) } });
	});

	it('van stock: what the rep promised offline from the van is confirmed even after the warehouse ran dry', async () => {
		await office('/api/stock/receive', { warehouse: 'east', sku: SKU, qty: 20 });
		const loaded = await office('/api/stock/van/load', { warehouse: 'east', userId: USERS.repNorth.id, sku: SKU, qty: 5 });
		expect(loaded.status).toBe(200);
		const north = await device('repNorth');
		const stock = await synced(north, 'stock:east');
		await waitFor('van on the device', () => vanLeft(stock, USERS.repNorth.id, SKU) === 5);

		// Offline: the device holds its edits until it reconnects.
		north.client.disconnect();
		const offline = await submit(north, 'repNorth', [{ sku: SKU, qty: 7, unitPrice: 95 }], 'van-tablet');
		expect(readOrder(offline.doc).lines[0]?.fromVan).toBe(5);
		expect(vanLeft(stock, USERS.repNorth.id, SKU)).toBe(0);

		// Meanwhile another rep takes everything the warehouse has free.
		const south = await device('repSouth');
		const southStock = await synced(south, 'stock:east');
		await waitFor('the van load reached the other rep', () => vanLeft(southStock, USERS.repNorth.id, SKU) === 5);
		const free = availableStock(southStock, SKU);
		const rush = await submit(south, 'repSouth', [{ sku: SKU, qty: free + 3, unitPrice: 95 }], 'phone');
		await waitFor('the rush is decided', () => readOrder(rush.doc).status === 'partially_confirmed');

		north.client.connect();
		await waitFor('the van order is decided', () => readOrder(offline.doc).status === 'partially_confirmed');
		expect(Object.values(readOrder(offline.doc).allocation)).toEqual([expect.objectContaining({ confirmed: 5, backordered: 2, fromVan: 5 })]);

		const unload = await office('/api/stock/van/unload', { warehouse: 'east', sku: SKU, qty: 10 }, 'repNorth');
		expect(await unload.json()).toMatchObject({ returned: 0 });
	});

	it('the app\'s stock client: receive, count, load and unload a van, and read the figures', async () => {
		const manager = await relay.login('manager');
		const rep = await relay.login('repNorth');
		const base = relay.server.url;
		await countStock(base, manager, { warehouse: 'east', sku: 'NEW-1', qty: 4 });
		expect(await receiveStock(base, manager, { warehouse: 'east', sku: 'NEW-1', qty: 6 })).toBe(10);
		expect(await loadVan(base, manager, { warehouse: 'east', sku: 'NEW-1', qty: 3, userId: USERS.repNorth.id })).toBe(3);
		await expect(receiveStock(base, rep, { warehouse: 'east', sku: 'NEW-1', qty: 1 })).rejects.toThrow('only managers and admins change stock');
		expect(await unloadVan(base, rep, { warehouse: 'east', sku: 'NEW-1', qty: 1 })).toBe(1);
		const rows = warehouseRows(await fetchWarehouse(base, manager, 'east'));
		expect(rows.find((row) => row.sku === 'NEW-1')).toEqual({ sku: 'NEW-1', onHand: 10, allocated: 0, inVans: 2, free: 8 });
		await expect(fetchWarehouse(base, rep, 'east')).rejects.toThrow(/managers/);
	});

	it('an order left submitted by a stop between commit and decision is decided at the next start', async () => {
		// As a crash would leave it: stored and durable, never reconciled.
		const doc = new Y.Doc();
		createOrder(doc, { accountId: 'north-1', repId: USERS.repNorth.id, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard', lines: [{ sku: SKU, qty: 1, unitPrice: 95 }] });
		setOrderFields(doc, { status: 'submitted' });
		await relay.server.store.write({
			updates: [{ docName: 'order:left-behind', update: Y.encodeStateAsUpdate(doc) }],
			summaries: [{ name: 'order:left-behind', ...summarizeDocument('order:left-behind', doc, () => ({ territory: 'north', title: 'Boulangerie du Nord' })), updatedAt: new Date().toISOString() }]
		});
		await relay.restart();
		const north = await device('repNorth');
		const [order] = north.open('order:left-behind');
		await waitFor('decided after the restart', () => readOrder(order!).status !== 'submitted' && Object.keys(readOrder(order!).allocation).length === 1);
	});

	it('tells reps who order a product often when it runs short', async () => {
		const north = await device('repNorth');
		const [inbox] = north.open(`inbox:${USERS.repNorth.id}`);
		await office('/api/stock/receive', { warehouse: 'east', sku: SKU, qty: 30 });
		const before = readInbox(inbox!).filter((m) => m.kind === 'stock_low').length;
		const south = await device('repSouth');
		const southStock = await synced(south, 'stock:east');
		// At least the receipt (the earlier test left a unit reserved without an order).
		await waitFor('the receipt reached the device', () => availableStock(southStock, SKU) >= 29);
		await submit(south, 'repSouth', [{ sku: SKU, qty: availableStock(southStock, SKU) - 2, unitPrice: 95 }], 'phone');
		const alert = await waitFor('alert', () => readInbox(inbox!).filter((m) => m.kind === 'stock_low')[before]);
		expect(alert.title).toMatch(new RegExp(`^Only [23] of ${SKU} left at east$`));
		expect(alert.urgent).toBe(true);
	});
});

describe('inventory: the created-at policy', () => {
	let relay: TestRelay;
	const devices: TestDevice[] = [];
	beforeAll(async () => {
		relay = await startTestRelay({ inventory: { policy: 'created-at', windowMs: 600 } });
	});
	afterAll(async () => {
		for (const d of devices) d.destroy();
		await relay.stop();
	});

	it('within one window, the order created first gets the stock, whichever synced first', async () => {
		const manager = await relay.login('manager');
		await fetch(`${relay.server.url}/api/stock/count`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${manager}` },
			body: JSON.stringify({ warehouse: 'east', sku: SKU, qty: 5 })
		});
		const place = async (rep: 'repNorth' | 'repSouth', createdAt: string) => {
			const d = connectDevice(relay.wsBase, await relay.login(rep));
			devices.push(d);
			const [stock, doc] = d.open('stock:east', `order:${rep}-policy`);
			await waitFor('stock on the device', () => stockOnHand(stock!).get(SKU) === 5);
			createOrder(doc!, { accountId: ACCOUNT_OF[rep], repId: USERS[rep].id, createdAt, warehouse: 'east', priceList: 'standard', lines: [{ sku: SKU, qty: 5, unitPrice: 95 }] });
			submitOrder(doc!, stock!, { userId: USERS[rep].id, deviceId: 'tablet' });
			return doc!;
		};
		// North took its order later in the day but synced first; South's was taken earlier.
		const north = await place('repNorth', '2026-11-24T11:00:00.000Z');
		await waitFor('north durable', () => devices[0]!.durableEvents.includes('order:repNorth-policy'));
		const south = await place('repSouth', '2026-11-24T09:00:00.000Z');
		await waitFor('both decided', () => readOrder(north).status !== 'submitted' && readOrder(south).status !== 'submitted', 10_000);
		expect(readOrder(south).status).toBe('confirmed');
		expect(readOrder(north).status).toBe('rejected');
	});
});
