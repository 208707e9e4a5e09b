import { expect } from 'vitest';
import { readOrder, vanLeft } from '../../src/lib/model';
import { countStock, loadVan } from '../../src/lib/inventory/stock-office';
import type { OutriderServer } from '../../server/app';
import type { LedgerWarehouseSnapshot } from '../../server/inventory/stock-ledger';
import { USERS, type FixtureUser } from './fixture';
import { ledgerContents } from './ledger-contents';
import { deviceStock, submitFromDevice } from './order-submission';
import { connectDevice } from './sync-client';
import { waitFor } from './wait';

const WAREHOUSE = 'east';
const SKU = 'BEV-0001';

interface RunningRelay {
	/** http://127.0.0.1:<port> */
	url: string;
	login(user: FixtureUser): Promise<string>;
}

/**
 * The office and two reps moving stock through a running relay: a count, a van
 * load, Rep South's order from the warehouse and Rep North's served partly from
 * the van. Afterwards the ledger holds a count, a van, allocations, settled
 * counters and decided orders, and some stock is still free.
 */
export async function moveStockThrough(relay: RunningRelay): Promise<void> {
	const wsBase = relay.url.replace('http', 'ws');
	const manager = await relay.login('manager');
	await countStock(relay.url, manager, { warehouse: WAREHOUSE, sku: SKU, qty: 10 });
	await loadVan(relay.url, manager, { warehouse: WAREHOUSE, sku: SKU, qty: 2, userId: USERS.repNorth.id });
	const south = connectDevice(wsBase, await relay.login('repSouth'));
	const north = connectDevice(wsBase, await relay.login('repNorth'));
	try {
		const fromWarehouse = await submitFromDevice(south, { userId: USERS.repSouth.id, accountId: 'south-1', warehouse: WAREHOUSE, lines: [{ sku: SKU, qty: 5, unitPrice: 95 }] });
		await waitFor('the warehouse order confirmed', () => readOrder(fromWarehouse.doc).status === 'confirmed');
		const northStock = await deviceStock(north, WAREHOUSE);
		await waitFor('the van load on the rep\'s device', () => vanLeft(northStock, USERS.repNorth.id, SKU) === 2);
		const fromVan = await submitFromDevice(north, { userId: USERS.repNorth.id, accountId: 'north-1', warehouse: WAREHOUSE, lines: [{ sku: SKU, qty: 3, unitPrice: 95 }] });
		await waitFor('the van order confirmed', () => readOrder(fromVan.doc).status === 'confirmed');
		expect(Object.values(readOrder(fromVan.doc).allocation)).toEqual([expect.objectContaining({ confirmed: 3, fromVan: 2 })]);
	} finally {
		south.destroy();
		north.destroy();
	}
}

/**
 * On a relay serving restored data: the ledger is the one backed up, every order
 * re-sent gets its first decision and takes nothing more, and a new order gets
 * only the stock those decisions left free.
 */
export async function expectLedgerRestored(server: OutriderServer, backedUp: LedgerWarehouseSnapshot[], login: RunningRelay['login']): Promise<void> {
	const ledger = server.inventory.ledger;
	expect(await ledgerContents(ledger)).toEqual(backedUp);
	const east = backedUp.find((snapshot) => snapshot.warehouse === WAREHOUSE)!;
	expect(east.orders.length).toBeGreaterThanOrEqual(2);

	const before = await ledger.totals(WAREHOUSE);
	for (const order of east.orders) {
		const again = await ledger.reconcile({
			warehouse: WAREHOUSE,
			orderId: order.orderId,
			userId: order.userId ?? undefined,
			writer: order.writer ?? undefined,
			lines: order.lines,
			at: new Date().toISOString()
		});
		expect(again).toMatchObject({ fresh: false, newlyConfirmed: {}, allocation: order.allocation });
	}
	expect(await ledger.totals(WAREHOUSE)).toEqual(before);

	const inVans = Object.entries(before.vanRemaining).reduce((n, [key, qty]) => (key.endsWith(`|${SKU}`) ? n + qty : n), 0);
	const free = (before.onHand[SKU] ?? 0) - (before.allocated[SKU] ?? 0) - inVans;
	// Something is held: a ledger restored empty would confirm all the on-hand again.
	expect(free).toBeGreaterThan(0);
	expect(free).toBeLessThan(before.onHand[SKU] ?? 0);
	const device = connectDevice(server.url.replace('http', 'ws'), await login('repSouth'));
	try {
		const next = await submitFromDevice(device, {
			userId: USERS.repSouth.id,
			accountId: 'south-1',
			warehouse: WAREHOUSE,
			lines: [{ sku: SKU, qty: free + 3, unitPrice: 95 }],
			deviceId: 'after-restore'
		});
		await waitFor('the new order decided', () => readOrder(next.doc).status !== 'submitted');
		expect(Object.values(readOrder(next.doc).allocation)).toEqual([expect.objectContaining({ confirmed: free, backordered: 3 })]);
	} finally {
		device.destroy();
	}
}
