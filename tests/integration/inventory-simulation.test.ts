import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { hashPassword } from '../../server/auth/passwords';
import { mulberry32 } from '../../server/seed/random';
import { createOrder, readAllocated, readOrder, unreconciledBySku, type Allocation } from '../../src/lib/model';
import { MultiplexClient, type WebSocketLike } from '../../src/lib/sync/multiplex-client';
import { submitOrder } from '../../src/lib/orders/submit-order';
import { PASSWORD } from '../helpers/fixture';
import { loginAs, startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { waitFor } from '../helpers/wait';

/**
 * Many reps offline at once on scarce stock, reconnecting in random order, some
 * twice, with the relay restarted halfway: stock must never be overbooked, every
 * line must be answered, and every device must end up showing the server's answer.
 */

const REPS = 32;
const WAREHOUSES = ['east', 'west'] as const;
const SKUS = ['A-1', 'A-2', 'A-3', 'A-4'] as const;
const ON_HAND = 15;

interface Rep {
	id: string;
	token: string;
	client: MultiplexClient;
	docs: Map<string, Y.Doc>;
	orders: Array<{ name: string; doc: Y.Doc; warehouse: string }>;
}

describe('inventory simulation: 32 reps offline on scarce stock, reconnecting in any order, with a relay restart', () => {
	const seed = Number(process.env.SIMULATION_SEED ?? Date.now() % 1_000_000);
	// Seeded, so a failure can be replayed from the seed it prints.
	const rand = mulberry32(seed);
	const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
	let relay: TestRelay;
	const reps: Rep[] = [];

	beforeAll(async () => {
		relay = await startTestRelay();
		const hash = await hashPassword(PASSWORD);
		for (let i = 0; i < REPS; i++) {
			await relay.server.store.putUser({ id: `sim-rep-${i}`, username: `sim-rep-${i}`, displayName: `Rep ${i}`, role: 'rep', territories: ['north'], passwordHash: hash });
		}
		const manager = await relay.login('manager');
		for (const warehouse of WAREHOUSES) {
			for (const sku of SKUS) {
				const res = await fetch(`${relay.server.url}/api/stock/count`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${manager}` },
					body: JSON.stringify({ warehouse, sku, qty: ON_HAND })
				});
				expect(res.status).toBe(200);
			}
		}
	});
	afterAll(async () => {
		for (const rep of reps) rep.client.destroy();
		await relay.stop();
	});

	function open(rep: Rep, name: string): Y.Doc {
		let doc = rep.docs.get(name);
		if (!doc) {
			doc = new Y.Doc();
			rep.docs.set(name, doc);
			rep.client.add(name, doc);
		}
		return doc;
	}

	it('never overbooks, answers every line, and every device shows the server\'s answer', async () => {
		console.info(`inventory simulation seed: ${seed} (replay with SIMULATION_SEED=${seed})`);
		// Every rep syncs the stock once, then goes offline for the day.
		for (let i = 0; i < REPS; i++) {
			const id = `sim-rep-${i}`;
			const token = await loginAs(relay.server.url, id, PASSWORD);
			const rep: Rep = {
				id,
				token,
				docs: new Map(),
				orders: [],
				// The URL is read at each connect: after the restart the relay listens on a new port.
				client: new MultiplexClient({
					url: () => `${relay.wsBase}/sync?token=${encodeURIComponent(token)}`,
					createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike
				})
			};
			reps.push(rep);
			for (const warehouse of WAREHOUSES) open(rep, `stock:${warehouse}`);
			rep.client.connect();
		}
		for (const rep of reps) {
			for (const warehouse of WAREHOUSES) {
				const stock = open(rep, `stock:${warehouse}`);
				await waitFor(`${rep.id} has stock:${warehouse}`, () => SKUS.every((sku) => stock.getMap('onHand').get(sku) === ON_HAND));
			}
			rep.client.disconnect();
		}

		// Offline orders: more demand than stock, on both warehouses.
		for (const rep of reps) {
			const count = 1 + Math.floor(rand() * 3);
			for (let k = 0; k < count; k++) {
				const warehouse = pick(WAREHOUSES);
				const name = `order:${rep.id}-${k}`;
				const doc = open(rep, name);
				const skus = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(SKUS)))];
				createOrder(doc, {
					accountId: 'north-1',
					repId: rep.id,
					createdAt: new Date().toISOString(),
					warehouse,
					priceList: 'standard',
					lines: skus.map((sku) => ({ sku, qty: 1 + Math.floor(rand() * 4), unitPrice: 100 }))
				});
				submitOrder(doc, open(rep, `stock:${warehouse}`), { userId: rep.id, deviceId: 'tablet' });
				rep.orders.push({ name, doc, warehouse });
			}
		}

		// Reconnect in random order; a third reconnect twice; the relay restarts halfway.
		const order = [...reps].sort(() => rand() - 0.5);
		const half = Math.floor(order.length / 2);
		for (const [index, rep] of order.entries()) {
			if (index === half) {
				for (const r of order.slice(0, half)) r.client.disconnect();
				await relay.restart();
				for (const r of order.slice(0, half)) r.client.connect();
			}
			rep.client.connect();
			if (rand() < 1 / 3) {
				await new Promise((resolve) => setTimeout(resolve, Math.floor(rand() * 30)));
				rep.client.disconnect();
				rep.client.connect();
			}
		}

		const allOrders = reps.flatMap((rep) => rep.orders.map((o) => ({ rep, ...o })));
		await waitFor(
			'every order answered on its device',
			() => allOrders.every((o) => readOrder(o.doc).status !== 'submitted' && o.rep.client.documentsWithPendingChanges().length === 0),
			60_000
		);

		// The day was short of stock: some lines had to wait.
		expect(allOrders.some((o) => Object.values(readOrder(o.doc).allocation).some((a) => a.backordered > 0))).toBe(true);
		const ledger = relay.server.inventory.ledger;
		for (const warehouse of WAREHOUSES) {
			const totals = await ledger.totals(warehouse);
			const confirmed: Record<string, number> = {};
			const demand: Record<string, number> = {};
			for (const o of allOrders.filter((x) => x.warehouse === warehouse)) {
				const order = readOrder(o.doc);
				const server = await ledger.orderAllocation(warehouse, o.name.slice('order:'.length));
				// The device shows exactly what the ledger decided.
				expect(order.allocation).toEqual(server);
				for (const line of order.lines) {
					const a: Allocation | undefined = order.allocation[line.id];
					expect(a, `${o.name} line ${line.id} answered`).toBeDefined();
					expect(a!.confirmed + a!.backordered).toBe(line.qty);
					confirmed[line.sku] = (confirmed[line.sku] ?? 0) + a!.confirmed;
					demand[line.sku] = (demand[line.sku] ?? 0) + line.qty;
				}
			}
			for (const sku of SKUS) {
				// Sold out exactly where demand exceeded stock, never over; all confirmed where it did not.
				expect(confirmed[sku] ?? 0).toBe(Math.min(ON_HAND, demand[sku] ?? 0));
				expect(totals.allocated[sku] ?? 0).toBe(confirmed[sku] ?? 0);
			}
			// Every device's stock document converges on the ledger: nothing left unsettled.
			for (const rep of reps) {
				const stock = open(rep, `stock:${warehouse}`);
				await waitFor(`${rep.id} settled on ${warehouse}`, () => Object.keys(unreconciledBySku(stock)).length === 0, 20_000);
				await waitFor(`${rep.id} sees ${warehouse}'s allocations`, () => SKUS.every((sku) => (readAllocated(stock)[sku] ?? 0) === (totals.allocated[sku] ?? 0)), 20_000);
			}
		}
	}, 120_000);
});
