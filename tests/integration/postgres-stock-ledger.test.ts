import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStockLedger } from '../../server/inventory/open-stock-ledger';
import { PostgresStockLedger } from '../../server/inventory/postgres-stock-ledger';
import type { StockLedger } from '../../server/inventory/stock-ledger';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { describeStockLedger } from '../unit/inventory/ledger-conformance';

const postgres = await probePostgres('tests/integration/postgres-stock-ledger.test.ts');

it('openStockLedger picks PostgreSQL when databaseUrl is set', async () => {
	const ledger = await openStockLedger({ dataDir: '/nonexistent', databaseUrl: 'postgres://127.0.0.1:1/outrider' });
	expect(ledger).toBeInstanceOf(PostgresStockLedger);
	await ledger.close();
});

// Needs a PostgreSQL server (127.0.0.1:5432, database test, or TEST_DATABASE_URL). Where none runs,
// the group is skipped with the probe's one-line reason as its title; memory and SQLite run the same suite.
describe.skipIf(!postgres.reachable)(postgres.reachable ? 'PostgreSQL stock ledger' : postgres.reason, () => {
	const admin = new PostgresAdmin();
	const opened: Array<{ ledger: StockLedger; schema: string }> = [];
	// After each test, not at the end: every open ledger holds a pool of connections, and
	// the suite opens enough of them to exhaust the server's max_connections.
	afterEach(async () => {
		for (const { ledger, schema } of opened.splice(0)) {
			await ledger.close();
			await admin.dropSchema(schema);
		}
	});
	afterAll(async () => {
		await admin.end();
	});

	const fresh = (schema = freshSchemaName()) => {
		const ledger = new PostgresStockLedger({ connectionString: TEST_DATABASE_URL, schema });
		opened.push({ ledger, schema });
		return ledger;
	};

	describeStockLedger('postgres', async () => fresh(), { propertyRuns: 20 });

	it('decides a batch together, and when PostgreSQL refuses one order’s row only that order fails', async () => {
		const ledger = fresh();
		await ledger.setOnHand('w', 'X', 10);
		const order = (orderId: string, lineId: string, qty: number) => ({ warehouse: 'w', orderId, writer: 'rep1.d', lines: [{ id: lineId, sku: 'X', qty }], at: 'now' });
		// jsonb cannot hold U+0000: the database, not the rules, refuses this order.
		const outcomes = await ledger.reconcileBatch([order('o1', 'a', 4), order('nul', 'b\u0000', 1), order('o2', 'c', 4), order('o3', 'd', 4)]);
		expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
		expect(outcomes[3]!.ok && outcomes[3]!.result.allocation.d).toMatchObject({ confirmed: 2, backordered: 2 });
		expect(await ledger.orderAllocation('w', 'nul')).toBeUndefined();
		expect((await ledger.totals('w')).allocated).toEqual({ X: 10 });
		expect((await ledger.totals('w')).reconciled).toEqual({ 'rep1.d|X': 12 });
	});

	it('two processes\' worth of ledgers on one schema never confirm the same units twice', async () => {
		const schema = freshSchemaName();
		const a = fresh(schema);
		const b = fresh(schema);
		await a.setOnHand('w', 'X', 25);
		const requests = Array.from({ length: 40 }, (_, i) => ({
			warehouse: 'w',
			orderId: `o${i}`,
			userId: `rep${i % 5}`,
			writer: `rep${i % 5}.d`,
			lines: [{ id: 'l', sku: 'X', qty: 1 + (i % 3) }],
			at: 'now'
		}));
		// Every order reaches both instances at once, as re-sent documents do.
		const results = await Promise.all(requests.flatMap((r) => [a.reconcile(r), b.reconcile(r)]));
		const decisions = results.filter((r) => r.fresh);
		expect(decisions).toHaveLength(40);
		const confirmed = decisions.reduce((n, r) => n + (r.allocation.l?.confirmed ?? 0), 0);
		expect(confirmed).toBe(25);
		expect((await b.totals('w')).allocated).toEqual({ X: 25 });
	});
});
