/**
 * Reconciliation throughput: order lines decided per second, with the invariant
 * checked after each run (confirmed never above on-hand, every unit of every line
 * accounted for, the ledger's allocations equal to the sum of the decisions).
 *
 * - ledger: the stock ledger alone, one atomic step per order, on SQLite (a file,
 *   synchronous=FULL, as the relay runs it), in memory, and on PostgreSQL when one
 *   answers at 127.0.0.1:5432/test; a tenth of the orders arrive twice.
 * - relay: the whole path in one process: orders that just became durable are
 *   read from their documents, decided, the answer written back into each order
 *   document, the warehouse figures published into the stock documents, and all
 *   of it committed to the SQLite store.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startServer } from '../../server/app';
import { mulberry32 } from '../../server/seed/random';
import { configWith } from '../../server/config';
import { MemoryStockLedger } from '../../server/inventory/memory-stock-ledger';
import { PostgresStockLedger } from '../../server/inventory/postgres-stock-ledger';
import type { ReconcileLine } from '../../server/inventory/reconcile-order';
import { SqliteStockLedger } from '../../server/inventory/sqlite-stock-ledger';
import type { StockLedger } from '../../server/inventory/stock-ledger';
import { withDefaultUser } from '../../server/store/postgres-store';
import { createOrder, readOrder, setOrderFields } from '../../src/lib/model';
import { fmt, table } from '../markdown';
import type { Benchmark, BenchOptions, BenchReport } from '../types';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const TARGET_LINES_PER_SECOND = 2000;
const WAREHOUSES = ['north', 'south'];
const SKUS = Array.from({ length: 50 }, (_, i) => `SKU-${String(i).padStart(3, '0')}`);
const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test';
/** Orders per transaction in the batched runs: about what a busy group commit hands over at once. */
const ROUND = 50;

interface Order {
	orderId: string;
	warehouse: string;
	userId: string;
	lines: ReconcileLine[];
}

interface RunResult {
	target: string;
	orders: number;
	lines: number;
	seconds: number;
	linesPerSecond: number;
	confirmedPct: number;
	invariantHeld: boolean;
}

/** A day of orders with more demand than stock: about 3 lines each, 1 to 8 units a line. */
function makeOrders(count: number): Order[] {
	const rand = mulberry32(2026);
	return Array.from({ length: count }, (_, i) => {
		const skus = new Set(Array.from({ length: 1 + Math.floor(rand() * 5) }, () => SKUS[Math.floor(rand() * SKUS.length)]!));
		return {
			orderId: `o${i}`,
			warehouse: WAREHOUSES[i % WAREHOUSES.length]!,
			userId: `rep${i % 30}`,
			lines: [...skus].map((sku, k) => ({ id: `l${k}`, sku, qty: 1 + Math.floor(rand() * 8) }))
		};
	});
}

/** Stock for about 60% of the demand, so a good share of lines is cut. */
function onHandFor(orders: Order[]): Map<string, Record<string, number>> {
	const demand = new Map<string, Record<string, number>>();
	for (const o of orders) {
		const d = demand.get(o.warehouse) ?? {};
		for (const line of o.lines) d[line.sku] = (d[line.sku] ?? 0) + line.qty;
		demand.set(o.warehouse, d);
	}
	for (const d of demand.values()) for (const sku of Object.keys(d)) d[sku] = Math.floor(d[sku]! * 0.6);
	return demand;
}

async function checkInvariant(
	ledger: StockLedger,
	orders: Order[],
	decisions: Map<string, Record<string, { confirmed: number; backordered: number }>>
): Promise<{ held: boolean; confirmedPct: number }> {
	let held = true;
	let confirmedUnits = 0;
	let orderedUnits = 0;
	for (const warehouse of WAREHOUSES) {
		const totals = await ledger.totals(warehouse);
		const confirmed: Record<string, number> = {};
		for (const o of orders.filter((x) => x.warehouse === warehouse)) {
			const allocation = decisions.get(o.orderId) ?? {};
			for (const line of o.lines) {
				const a = allocation[line.id];
				if (!a || a.confirmed + a.backordered !== line.qty) held = false;
				confirmed[line.sku] = (confirmed[line.sku] ?? 0) + (a?.confirmed ?? 0);
				confirmedUnits += a?.confirmed ?? 0;
				orderedUnits += line.qty;
			}
		}
		for (const sku of SKUS) {
			if ((totals.allocated[sku] ?? 0) !== (confirmed[sku] ?? 0)) held = false;
			if ((totals.allocated[sku] ?? 0) > (totals.onHand[sku] ?? 0)) held = false;
		}
	}
	return { held, confirmedPct: (100 * confirmedUnits) / Math.max(1, orderedUnits) };
}

/** `batch` orders per ledger transaction: 1 as a lone order, more as a relay round decides them. */
async function runLedger(target: string, ledger: StockLedger, orders: Order[], batch: number): Promise<RunResult> {
	for (const [warehouse, onHand] of onHandFor(orders)) for (const [sku, qty] of Object.entries(onHand)) await ledger.setOnHand(warehouse, sku, qty);
	const decisions = new Map<string, Record<string, { confirmed: number; backordered: number }>>();
	const lines = orders.reduce((n, o) => n + o.lines.length, 0);
	const t0 = performance.now();
	const requests = orders.map((o) => ({ ...o, writer: `${o.userId}.tablet`, at: '2026-11-24T09:00:00.000Z' }));
	for (let start = 0; start < requests.length; start += batch) {
		const slice = requests.slice(start, start + batch);
		// A tenth of the orders arrive twice: answered from the first decision, nothing moves.
		const resent = slice.filter((_, i) => (start + i) % 10 === 0);
		if (batch === 1) {
			for (const request of [...slice, ...resent]) decisions.set(request.orderId, (await ledger.reconcile(request)).allocation);
			continue;
		}
		const outcomes = await ledger.reconcileBatch([...slice, ...resent]);
		for (const [i, outcome] of outcomes.entries()) {
			if (!outcome.ok) throw outcome.error;
			decisions.set([...slice, ...resent][i]!.orderId, outcome.result.allocation);
		}
	}
	const seconds = (performance.now() - t0) / 1000;
	const { held, confirmedPct } = await checkInvariant(ledger, orders, decisions);
	return { target, orders: orders.length, lines, seconds, linesPerSecond: lines / seconds, confirmedPct, invariantHeld: held };
}

async function postgresReachable(): Promise<boolean> {
	const client = new pg.Client({ connectionString: withDefaultUser(PG_URL), connectionTimeoutMillis: 2000 });
	client.on('error', () => {});
	try {
		await client.connect();
		return true;
	} catch {
		return false;
	} finally {
		await client.end().catch(() => {});
	}
}

/** The relay's whole path, in-process, on a SQLite data directory. */
async function runRelay(orders: Order[]): Promise<RunResult> {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-bench-inventory-'));
	const server = await startServer({ config: configWith({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' }) });
	try {
		for (const [warehouse, onHand] of onHandFor(orders)) for (const [sku, qty] of Object.entries(onHand)) await server.inventory.ledger.setOnHand(warehouse, sku, qty);
		for (const warehouse of WAREHOUSES) await server.inventory.publish(warehouse);
		const names: string[] = [];
		for (const o of orders) {
			const name = `order:${o.orderId}`;
			await server.relay.changeDocument(name, (doc) => {
				createOrder(doc, {
					accountId: 'a1',
					repId: o.userId,
					createdAt: '2026-11-24T08:00:00.000Z',
					warehouse: o.warehouse,
					priceList: 'standard',
					lines: o.lines.map((line) => ({ id: line.id, sku: line.sku, qty: line.qty, unitPrice: 100 }))
				});
				setOrderFields(doc, { status: 'submitted', reservedBy: `${o.userId}.tablet` });
			});
			names.push(name);
		}
		await server.relay.persistence.flush();
		const lines = orders.reduce((n, o) => n + o.lines.length, 0);
		const t0 = performance.now();
		server.inventory.documentsCommitted(names);
		await server.inventory.drain();
		await server.relay.persistence.flush();
		const seconds = (performance.now() - t0) / 1000;
		const decisions = new Map<string, Record<string, { confirmed: number; backordered: number }>>();
		for (const o of orders) decisions.set(o.orderId, await server.relay.readDocument(`order:${o.orderId}`, (doc) => readOrder(doc).allocation));
		const { held, confirmedPct } = await checkInvariant(server.inventory.ledger, orders, decisions);
		return { target: 'relay, end to end (SQLite)', orders: orders.length, lines, seconds, linesPerSecond: lines / seconds, confirmedPct, invariantHeld: held };
	} finally {
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

async function run(options: BenchOptions): Promise<BenchReport> {
	const count = options.quick ? 500 : 5000;
	const orders = makeOrders(count);
	const results: RunResult[] = [];

	const dir = mkdtempSync(join(tmpdir(), 'outrider-bench-ledger-'));
	try {
		for (const batch of [1, ROUND]) {
			options.log(`SQLite ledger: ${count} orders, ${batch} per transaction`);
			const sqlite = new SqliteStockLedger({ file: join(dir, `ledger-${batch}.sqlite`) });
			results.push(await runLedger(`ledger, SQLite file, ${batch} per transaction`, sqlite, orders, batch));
			await sqlite.close();
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	options.log('memory ledger');
	results.push(await runLedger('ledger, memory', new MemoryStockLedger(), orders, 1));
	if (await postgresReachable()) {
		options.log('PostgreSQL ledger');
		for (const batch of [1, ROUND]) {
			const schema = `outrider_bench_${Date.now()}`;
			const ledger = new PostgresStockLedger({ connectionString: PG_URL, schema });
			try {
				results.push(await runLedger(`ledger, PostgreSQL, ${batch} per transaction`, ledger, orders, batch));
			} finally {
				await ledger.close();
				const admin = new pg.Client({ connectionString: withDefaultUser(PG_URL) });
				await admin.connect();
				await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
				await admin.end();
			}
		}
	} else {
		options.log(`PostgreSQL not reachable at ${PG_URL}: skipping its ledger run`);
	}
	options.log('relay end to end');
	results.push(await runRelay(orders));

	mkdirSync(RESULTS_DIR, { recursive: true });
	writeFileSync(join(RESULTS_DIR, 'inventory.json'), JSON.stringify({ at: new Date().toISOString(), cpus: cpus().length, target: TARGET_LINES_PER_SECOND, results }, null, 2));
	// The claim is the relay's: what a rep's orders go through, on SQLite.
	const relay = results.find((r) => r.target.startsWith('relay'))!;
	const passed = results.every((r) => r.invariantHeld) && relay.linesPerSecond >= TARGET_LINES_PER_SECOND;
	const markdown = [
		table(
			['target', 'orders', 'lines', 'seconds', 'lines/s', 'units confirmed', 'invariant'],
			results.map((r) => [r.target, String(r.orders), String(r.lines), fmt(r.seconds), fmt(r.linesPerSecond, 0), `${fmt(r.confirmedPct, 1)} %`, r.invariantHeld ? 'held' : 'BROKEN'])
		),
		'',
		`Target: ≥ ${TARGET_LINES_PER_SECOND} lines/s through the relay on SQLite with the invariant checked — ${passed ? 'met' : 'NOT met'}. ` +
			'One order per transaction pays one disk sync each (synchronous=FULL); the relay decides all orders that became durable in one round in one transaction.'
	].join('\n');
	return { markdown, passed };
}

export const inventoryBenchmark: Benchmark = {
	name: 'inventory',
	description: 'order reconciliation throughput (lines/s) on the SQLite, memory and PostgreSQL ledgers and through the relay',
	run
};
