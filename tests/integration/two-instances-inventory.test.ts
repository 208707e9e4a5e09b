import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { hashPassword } from '../../server/auth/passwords';
import { PostgresStockLedger } from '../../server/inventory/postgres-stock-ledger';
import { PostgresStore } from '../../server/store/postgres-store';
import { createOrder, readAllocated, readOrder } from '../../src/lib/model';
import { submitOrder } from '../../src/lib/orders/submit-order';
import { PASSWORD } from '../helpers/fixture';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { freshKeyPrefix, probeRedis, TEST_REDIS_URL } from '../helpers/redis';
import { loginAs, startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

const file = 'tests/integration/two-instances-inventory.test.ts';
const postgres = await probePostgres(file);
const redis = postgres.reachable ? await probeRedis(file) : { reachable: false, reason: '' };
const skipReason = !postgres.reachable ? postgres.reason : redis.reason;

const REPS = 12;
const ON_HAND = 20;

// Needs PostgreSQL (store and ledger) and Redis (fan-out); skipped with the probe's reason otherwise.
// Without them, the inventory tests and the ledger conformance suite (memory, SQLite, SQLite on its
// thread) cover reconciliation on one relay (127.0.0.1:5432/test, 127.0.0.1:6379).
describe.skipIf(skipReason !== '')(skipReason || 'inventory across two relay instances (PostgreSQL ledger, Redis fan-out)', () => {
	const admin = new PostgresAdmin();
	const relays: TestRelay[] = [];
	const devices: TestDevice[] = [];
	let schema = '';

	afterEach(async () => {
		for (const d of devices.splice(0)) d.destroy();
		await Promise.all(relays.splice(0).map((relay) => relay.stop()));
		if (schema) await admin.dropSchema(schema);
	});
	afterAll(() => admin.end());

	it('reps spread over both instances never overbook, and every device converges on the ledger', async () => {
		schema = freshSchemaName();
		const shared = { redisUrl: TEST_REDIS_URL, redisKeyPrefix: freshKeyPrefix() };
		const options = {
			store: () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema }),
			ledger: () => new PostgresStockLedger({ connectionString: TEST_DATABASE_URL, schema })
		};
		const a = await startTestRelay(shared, options);
		relays.push(a);
		const b = await startTestRelay(shared, options);
		relays.push(b);

		const hash = await hashPassword(PASSWORD);
		for (let i = 0; i < REPS; i++) {
			await a.server.store.putUser({ id: `multi-${i}`, username: `multi-${i}`, displayName: `Rep ${i}`, role: 'rep', territories: ['north'], passwordHash: hash });
		}
		const count = await fetch(`${a.server.url}/api/stock/count`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${await a.login('manager')}` },
			body: JSON.stringify({ warehouse: 'east', sku: 'BEV-0001', qty: ON_HAND })
		});
		expect(count.status).toBe(200);

		const orders: Array<{ device: TestDevice; stock: Y.Doc; order: Y.Doc }> = [];
		for (let i = 0; i < REPS; i++) {
			const relay = i % 2 === 0 ? a : b;
			const device = connectDevice(relay.wsBase, await loginAs(relay.server.url, `multi-${i}`, PASSWORD));
			devices.push(device);
			const [stock, order] = device.open('stock:east', `order:multi-${i}`);
			await waitFor(`rep ${i} has the count`, () => stock!.getMap('onHand').get('BEV-0001') === ON_HAND);
			createOrder(order!, { accountId: 'north-1', repId: `multi-${i}`, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard', lines: [{ sku: 'BEV-0001', qty: 3, unitPrice: 95 }] });
			orders.push({ device, stock: stock!, order: order! });
		}
		// All at once: 36 units asked of 20, through two instances.
		for (const [i, o] of orders.entries()) submitOrder(o.order, o.stock, { userId: `multi-${i}`, deviceId: 'tablet' });

		await waitFor('every order decided on its device', () => orders.every((o) => readOrder(o.order).status !== 'submitted'), 20_000);
		const confirmed = orders.reduce((n, o) => n + Object.values(readOrder(o.order).allocation).reduce((m, x) => m + x.confirmed, 0), 0);
		expect(confirmed).toBe(ON_HAND);
		for (const o of orders) {
			const [allocation] = Object.values(readOrder(o.order).allocation);
			expect(allocation!.confirmed + allocation!.backordered).toBe(3);
		}
		expect((await a.server.inventory.ledger.totals('east')).allocated).toEqual({ 'BEV-0001': ON_HAND });
		// Both instances publish figures; every device, whichever instance it uses, ends on the ledger's.
		await waitFor('every device shows the ledger', () => orders.every((o) => readAllocated(o.stock)['BEV-0001'] === ON_HAND), 15_000);
	}, 60_000);
});
