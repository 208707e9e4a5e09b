import pg from 'pg';
import type { Allocation } from '../../src/lib/model/order';
import { inTransaction, withDefaultUser } from '../store/postgres-store';
import { assertQuantity, cancelStep, grantVanStep, reconcileStep, returnVanStep, skusOf, type StoredOrder } from './ledger-steps';
import { applyWrites, emptyWarehouseState, viewOf, type LedgerChanges, type WarehouseState } from './ledger-state';
import { splitVanQuotaKey } from '../../src/lib/model/stock-counters';
import { assertImportable } from './ledger-snapshot';
import {
	reconcileOneByOne,
	StockLedgerError,
	vanKey,
	type BatchOutcome,
	type CancelRequest,
	type CancelResult,
	type LedgerReconcileResult,
	type LedgerWarehouseSnapshot,
	type ReconcileRequest,
	type StockLedger,
	type VanRequest,
	type WarehouseTotals
} from './stock-ledger';

export interface PostgresStockLedgerOptions {
	connectionString: string;
	/** The document store's schema, so one database holds one deployment. */
	schema?: string;
	poolSize?: number;
}

type Client = pg.PoolClient;

const schemaSql = (s: string) => `
	CREATE SCHEMA IF NOT EXISTS ${s};
	CREATE TABLE IF NOT EXISTS ${s}.stock_on_hand (warehouse TEXT NOT NULL, sku TEXT NOT NULL, qty BIGINT NOT NULL, PRIMARY KEY (warehouse, sku));
	CREATE TABLE IF NOT EXISTS ${s}.stock_allocated (warehouse TEXT NOT NULL, sku TEXT NOT NULL, qty BIGINT NOT NULL, PRIMARY KEY (warehouse, sku));
	CREATE TABLE IF NOT EXISTS ${s}.stock_van (
		warehouse TEXT NOT NULL, user_id TEXT NOT NULL, sku TEXT NOT NULL,
		granted BIGINT NOT NULL, returned BIGINT NOT NULL, used BIGINT NOT NULL,
		PRIMARY KEY (warehouse, sku, user_id)
	);
	CREATE TABLE IF NOT EXISTS ${s}.stock_reconciled (warehouse TEXT NOT NULL, counter_key TEXT NOT NULL, qty BIGINT NOT NULL, PRIMARY KEY (warehouse, counter_key));
	CREATE TABLE IF NOT EXISTS ${s}.stock_van_settled (warehouse TEXT NOT NULL, counter_key TEXT NOT NULL, qty BIGINT NOT NULL, PRIMARY KEY (warehouse, counter_key));
	CREATE TABLE IF NOT EXISTS ${s}.stock_orders (
		warehouse TEXT NOT NULL, order_id TEXT NOT NULL, user_id TEXT, writer TEXT,
		lines JSONB NOT NULL, allocation JSONB NOT NULL, cancelled BOOLEAN NOT NULL,
		PRIMARY KEY (warehouse, order_id)
	);
`;

type QtyTable = 'stock_on_hand' | 'stock_allocated' | 'stock_reconciled' | 'stock_van_settled';

/** Every table that holds a warehouse's rows: what makes a warehouse known, and not empty. */
const LEDGER_TABLES = ['stock_on_hand', 'stock_allocated', 'stock_van', 'stock_reconciled', 'stock_van_settled', 'stock_orders'] as const;

/** Rows per INSERT when importing: a backup's warehouse can hold many orders, and one statement per row is slow. */
const IMPORT_CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += IMPORT_CHUNK) out.push(items.slice(i, i + IMPORT_CHUNK));
	return out;
}

function groupByWarehouse(requests: readonly ReconcileRequest[]): Map<string, ReconcileRequest[]> {
	const groups = new Map<string, ReconcileRequest[]>();
	for (const request of requests) {
		const group = groups.get(request.warehouse);
		if (group) group.push(request);
		else groups.set(request.warehouse, [request]);
	}
	return groups;
}

function keyColumn(table: QtyTable): string {
	return table === 'stock_on_hand' || table === 'stock_allocated' ? 'sku' : 'counter_key';
}

/**
 * The ledger in PostgreSQL, for several relay processes. Each step is one
 * transaction that first takes a transaction-scoped advisory lock on its
 * warehouse, so steps on one warehouse run one after another whichever process
 * runs them, and different warehouses never wait for each other.
 */
export class PostgresStockLedger implements StockLedger {
	readonly #pool: pg.Pool;
	readonly #schema: string;
	#ready: Promise<void> | undefined;

	constructor(options: PostgresStockLedgerOptions) {
		this.#pool = new pg.Pool({ connectionString: withDefaultUser(options.connectionString), max: options.poolSize ?? 4 });
		this.#pool.on('error', () => {});
		this.#schema = `"${(options.schema ?? 'public').replace(/"/g, '""')}"`;
	}

	#table(name: string): string {
		return `${this.#schema}.${name}`;
	}

	#open(): Promise<void> {
		this.#ready ??= inTransaction(this.#pool, async (client) => {
			// Concurrent first starts would race on CREATE TABLE IF NOT EXISTS.
			await client.query("SELECT pg_advisory_xact_lock(hashtextextended('outrider-stock-ledger-schema', 0))");
			await client.query(schemaSql(this.#schema));
		}).catch((error: unknown) => {
			this.#ready = undefined;
			throw error;
		});
		return this.#ready;
	}

	/** One transaction holding the locks of `warehouses`, taken in one order so two batches never deadlock. */
	async #step<T>(warehouses: readonly string[], work: (client: Client) => Promise<T>): Promise<T> {
		await this.#open();
		return inTransaction(this.#pool, async (client) => {
			for (const warehouse of [...new Set(warehouses)].sort()) {
				await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`outrider-stock:${this.#schema}:${warehouse}`]);
			}
			return work(client);
		});
	}

	async #qtys(client: Client | pg.Pool, table: QtyTable, warehouse: string, keys?: string[]): Promise<Record<string, number>> {
		const column = keyColumn(table);
		const result = keys
			? await client.query<{ key: string; qty: string }>(`SELECT ${column} AS key, qty FROM ${this.#table(table)} WHERE warehouse = $1 AND ${column} = ANY($2)`, [warehouse, keys])
			: await client.query<{ key: string; qty: string }>(`SELECT ${column} AS key, qty FROM ${this.#table(table)} WHERE warehouse = $1`, [warehouse]);
		return Object.fromEntries(result.rows.map((row) => [row.key, Number(row.qty)]));
	}

	async #order(client: Client | pg.Pool, warehouse: string, orderId: string): Promise<StoredOrder | undefined> {
		return (await this.#orders(client, warehouse, [orderId])).get(orderId);
	}

	async #orders(client: Client | pg.Pool, warehouse: string, orderIds: readonly string[]): Promise<Map<string, StoredOrder>> {
		const result = await client.query<{ order_id: string; user_id: string | null; writer: string | null; lines: StoredOrder['lines']; allocation: Record<string, Allocation>; cancelled: boolean }>(
			`SELECT order_id, user_id, writer, lines, allocation, cancelled FROM ${this.#table('stock_orders')} WHERE warehouse = $1 AND order_id = ANY($2)`,
			[warehouse, orderIds]
		);
		return new Map(result.rows.map((row) => [row.order_id, { userId: row.user_id, writer: row.writer, lines: row.lines, allocation: row.allocation, cancelled: row.cancelled }]));
	}

	/**
	 * What steps on `skus` and `orderIds` of one warehouse read: counts, every rep's van
	 * of those skus (their escrow) and the orders as recorded. Three queries, whatever
	 * the number of steps the batch holds.
	 */
	async #load(client: Client, warehouse: string, skus: readonly string[], orderIds: readonly string[]): Promise<WarehouseState> {
		const state = emptyWarehouseState();
		const counts = await client.query<{ held: boolean; sku: string; qty: string }>(
			`SELECT true AS held, sku, qty FROM ${this.#table('stock_on_hand')} WHERE warehouse = $1 AND sku = ANY($2)
			 UNION ALL SELECT false, sku, qty FROM ${this.#table('stock_allocated')} WHERE warehouse = $1 AND sku = ANY($2)`,
			[warehouse, skus]
		);
		for (const row of counts.rows) (row.held ? state.onHand : state.allocated).set(row.sku, Number(row.qty));
		const vans = await client.query<{ user_id: string; sku: string; granted: string; returned: string; used: string }>(
			`SELECT user_id, sku, granted, returned, used FROM ${this.#table('stock_van')} WHERE warehouse = $1 AND sku = ANY($2)`,
			[warehouse, skus]
		);
		for (const row of vans.rows) state.vans.set(vanKey(row.user_id, row.sku), { granted: Number(row.granted), returned: Number(row.returned), used: Number(row.used) });
		if (orderIds.length > 0) state.orders = await this.#orders(client, warehouse, orderIds);
		return state;
	}

	/** Adds `deltas` to a quantity table in one statement (each key once: the deltas are summed already). */
	async #addQtys(client: Client, table: QtyTable, warehouse: string, deltas: Map<string, number>): Promise<void> {
		const entries = [...deltas].filter(([, delta]) => delta !== 0);
		if (entries.length === 0) return;
		const column = keyColumn(table);
		await client.query(
			`INSERT INTO ${this.#table(table)} (warehouse, ${column}, qty) SELECT $1, k, q FROM unnest($2::text[], $3::bigint[]) AS t(k, q)
			 ON CONFLICT (warehouse, ${column}) DO UPDATE SET qty = ${this.#table(table)}.qty + EXCLUDED.qty`,
			[warehouse, entries.map(([key]) => key), entries.map(([, delta]) => delta)]
		);
	}

	/** Writes what a batch of steps on one warehouse changed: one statement per table it touched. */
	async #write(client: Client, warehouse: string, changes: LedgerChanges): Promise<void> {
		await this.#addQtys(client, 'stock_allocated', warehouse, changes.allocated);
		await this.#addQtys(client, 'stock_reconciled', warehouse, changes.reconciled);
		await this.#addQtys(client, 'stock_van_settled', warehouse, changes.vanSettled);
		if (changes.vans.size > 0) {
			const van = this.#table('stock_van');
			const rows = [...changes.vans].map(([key, delta]) => ({ ...splitVanQuotaKey(key), ...delta }));
			await client.query(
				`INSERT INTO ${van} (warehouse, user_id, sku, granted, returned, used)
				 SELECT $1, u, s, g, r, x FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) AS t(u, s, g, r, x)
				 ON CONFLICT (warehouse, sku, user_id) DO UPDATE SET
				   granted = ${van}.granted + EXCLUDED.granted, returned = ${van}.returned + EXCLUDED.returned, used = ${van}.used + EXCLUDED.used`,
				[warehouse, rows.map((r) => r.userId), rows.map((r) => r.sku), rows.map((r) => r.granted), rows.map((r) => r.returned), rows.map((r) => r.used)]
			);
		}
		if (changes.orders.size > 0) {
			const orders = [...changes.orders];
			await client.query(
				`INSERT INTO ${this.#table('stock_orders')} (warehouse, order_id, user_id, writer, lines, allocation, cancelled)
				 SELECT $1, o, u, w, l, a, c FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::boolean[]) AS t(o, u, w, l, a, c)
				 ON CONFLICT (warehouse, order_id) DO UPDATE SET cancelled = EXCLUDED.cancelled`,
				[
					warehouse,
					orders.map(([orderId]) => orderId),
					orders.map(([, o]) => o.userId),
					orders.map(([, o]) => o.writer),
					orders.map(([, o]) => JSON.stringify(o.lines)),
					orders.map(([, o]) => JSON.stringify(o.allocation)),
					orders.map(([, o]) => o.cancelled)
				]
			);
		}
	}

	/**
	 * One step on one warehouse: its figures loaded, the rule applied in memory, what
	 * changed written back, all in the warehouse's transaction.
	 */
	async #oneStep<T>(warehouse: string, skus: readonly string[], orderId: string | undefined, decide: (state: WarehouseState, changes: LedgerChanges) => T): Promise<T> {
		return this.#step([warehouse], async (client) => {
			const state = await this.#load(client, warehouse, skus, orderId === undefined ? [] : [orderId]);
			const changes = emptyWarehouseState();
			const result = decide(state, changes);
			await this.#write(client, warehouse, changes);
			return result;
		});
	}

	async setOnHand(warehouse: string, sku: string, qty: number): Promise<void> {
		assertQuantity(qty, 'on-hand quantity', warehouse);
		await this.#step([warehouse], (client) =>
			client.query(
				`INSERT INTO ${this.#table('stock_on_hand')} (warehouse, sku, qty) VALUES ($1, $2, $3) ON CONFLICT (warehouse, sku) DO UPDATE SET qty = EXCLUDED.qty`,
				[warehouse, sku, qty]
			)
		);
	}

	async receive(warehouse: string, sku: string, qty: number): Promise<number> {
		assertQuantity(qty, 'received quantity', warehouse);
		return this.#step([warehouse], async (client) => {
			await this.#addQtys(client, 'stock_on_hand', warehouse, new Map([[sku, qty]]));
			return (await this.#qtys(client, 'stock_on_hand', warehouse, [sku]))[sku] ?? 0;
		});
	}

	async seedOnHand(warehouse: string, onHand: Record<string, number>): Promise<void> {
		for (const qty of Object.values(onHand)) assertQuantity(qty, 'on-hand quantity', warehouse);
		const entries = Object.entries(onHand);
		if (entries.length === 0) return;
		await this.#step([warehouse], (client) =>
			client.query(
				`INSERT INTO ${this.#table('stock_on_hand')} (warehouse, sku, qty)
				 SELECT $1, sku, qty FROM unnest($2::text[], $3::bigint[]) AS t(sku, qty)
				 ON CONFLICT (warehouse, sku) DO NOTHING`,
				[warehouse, entries.map(([sku]) => sku), entries.map(([, qty]) => qty)]
			)
		);
	}

	async reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult> {
		const [outcome] = await this.reconcileBatch([request]);
		if (!outcome!.ok) throw outcome!.error;
		return outcome!.result;
	}

	/**
	 * Decides the batch in memory over the figures it reads (loaded once per warehouse),
	 * in its order, then writes what changed: a handful of statements per warehouse
	 * however many orders the batch holds. A refused order changes nothing (the rules
	 * throw before they write). Should the database refuse the combined write, each
	 * order is decided again on its own, so only the one it refuses fails.
	 */
	async reconcileBatch(requests: readonly ReconcileRequest[]): Promise<BatchOutcome[]> {
		if (requests.length === 0) return [];
		try {
			return await this.#step(
				requests.map((r) => r.warehouse),
				async (client) => {
					const states = new Map<string, { state: WarehouseState; changes: LedgerChanges }>();
					for (const [warehouse, group] of groupByWarehouse(requests)) {
						const skus = [...new Set(group.flatMap((r) => skusOf(r.lines)))];
						states.set(warehouse, { state: await this.#load(client, warehouse, skus, group.map((r) => r.orderId)), changes: emptyWarehouseState() });
					}
					const outcomes = requests.map((request): BatchOutcome => {
						const { state, changes } = states.get(request.warehouse)!;
						try {
							const { result, writes } = reconcileStep(viewOf(state, skusOf(request.lines), request.userId, request.orderId), request);
							applyWrites(state, request.userId, request.orderId, writes, changes);
							return { ok: true, result };
						} catch (error) {
							return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
						}
					});
					for (const [warehouse, { changes }] of states) await this.#write(client, warehouse, changes);
					return outcomes;
				}
			);
		} catch (error) {
			if (requests.length === 1 || !(error instanceof pg.DatabaseError)) throw error;
			// Each order in a transaction of its own: what the database refuses fails that order alone.
			return reconcileOneByOne(requests, (request) => this.reconcile(request));
		}
	}

	async cancel(request: CancelRequest): Promise<CancelResult> {
		const skus = skusOf(request.lines);
		return this.#oneStep(request.warehouse, skus, request.orderId, (state, changes) => {
			const view = viewOf(state, skus, request.userId, request.orderId);
			const { result, writes } = cancelStep(view, request);
			applyWrites(state, view.order?.userId ?? request.userId, request.orderId, writes, changes);
			return result;
		});
	}

	async grantVan(request: VanRequest): Promise<number> {
		return this.#oneStep(request.warehouse, [request.sku], undefined, (state, changes) => {
			const { result, writes } = grantVanStep(viewOf(state, [request.sku], request.userId), request);
			applyWrites(state, request.userId, undefined, writes, changes);
			return result;
		});
	}

	async returnVan(request: VanRequest): Promise<number> {
		return this.#oneStep(request.warehouse, [request.sku], undefined, (state, changes) => {
			const { result, writes } = returnVanStep(viewOf(state, [request.sku], request.userId), request);
			applyWrites(state, request.userId, undefined, writes, changes);
			return result;
		});
	}

	async orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined> {
		await this.#open();
		return (await this.#order(this.#pool, warehouse, orderId))?.allocation;
	}

	/** `work` on one snapshot of every table: REPEATABLE READ, read-only. */
	async #readOnly<T>(work: (client: Client) => Promise<T>): Promise<T> {
		await this.#open();
		const client = await this.#pool.connect();
		try {
			await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {});
			throw error;
		} finally {
			client.release();
		}
	}

	async totals(warehouse: string): Promise<WarehouseTotals> {
		return this.#readOnly(async (client) => {
			const vans = await client.query<{ user_id: string; sku: string; remaining: string }>(
				`SELECT user_id, sku, granted - returned - used AS remaining FROM ${this.#table('stock_van')} WHERE warehouse = $1`,
				[warehouse]
			);
			return {
				onHand: await this.#qtys(client, 'stock_on_hand', warehouse),
				allocated: await this.#qtys(client, 'stock_allocated', warehouse),
				reconciled: await this.#qtys(client, 'stock_reconciled', warehouse),
				vanRemaining: Object.fromEntries(vans.rows.map((row) => [vanKey(row.user_id, row.sku), Number(row.remaining)])),
				vanSettled: await this.#qtys(client, 'stock_van_settled', warehouse)
			};
		});
	}

	async frequentBuyers(warehouse: string, sku: string, minOrders: number): Promise<string[]> {
		await this.#open();
		const result = await this.#pool.query<{ user_id: string }>(
			`SELECT user_id FROM ${this.#table('stock_orders')}
			 WHERE warehouse = $1 AND NOT cancelled AND user_id IS NOT NULL AND lines @> $2::jsonb
			 GROUP BY user_id HAVING COUNT(*) >= $3 ORDER BY user_id COLLATE "C"`,
			[warehouse, JSON.stringify([{ sku }]), minOrders]
		);
		return result.rows.map((row) => row.user_id);
	}

	async warehouses(): Promise<string[]> {
		await this.#open();
		const union = LEDGER_TABLES.map((table) => `SELECT warehouse FROM ${this.#table(table)}`).join(' UNION ');
		const result = await this.#pool.query<{ warehouse: string }>(`SELECT warehouse FROM (${union}) AS known ORDER BY warehouse COLLATE "C"`);
		return result.rows.map((row) => row.warehouse);
	}

	async exportWarehouse(warehouse: string): Promise<LedgerWarehouseSnapshot> {
		return this.#readOnly(async (client) => {
			const vans = await client.query<{ user_id: string; sku: string; granted: string; returned: string; used: string }>(
				`SELECT user_id, sku, granted, returned, used FROM ${this.#table('stock_van')} WHERE warehouse = $1 ORDER BY user_id COLLATE "C", sku COLLATE "C"`,
				[warehouse]
			);
			const orders = await client.query<{
				order_id: string;
				user_id: string | null;
				writer: string | null;
				lines: StoredOrder['lines'];
				allocation: Record<string, Allocation>;
				cancelled: boolean;
			}>(
				`SELECT order_id, user_id, writer, lines, allocation, cancelled FROM ${this.#table('stock_orders')} WHERE warehouse = $1 ORDER BY order_id COLLATE "C"`,
				[warehouse]
			);
			return {
				warehouse,
				onHand: await this.#qtys(client, 'stock_on_hand', warehouse),
				allocated: await this.#qtys(client, 'stock_allocated', warehouse),
				reconciled: await this.#qtys(client, 'stock_reconciled', warehouse),
				vanSettled: await this.#qtys(client, 'stock_van_settled', warehouse),
				vans: vans.rows.map((row) => ({ userId: row.user_id, sku: row.sku, granted: Number(row.granted), returned: Number(row.returned), used: Number(row.used) })),
				orders: orders.rows.map((row) => ({
					orderId: row.order_id,
					userId: row.user_id,
					writer: row.writer,
					lines: row.lines,
					allocation: row.allocation,
					cancelled: row.cancelled
				}))
			};
		});
	}

	async importWarehouse(snapshot: LedgerWarehouseSnapshot): Promise<void> {
		const { warehouse } = snapshot;
		assertImportable(snapshot);
		// The warehouse's lock: no step of a running relay can slip in between the check and the rows.
		await this.#step([warehouse], async (client) => {
			const union = LEDGER_TABLES.map((table) => `SELECT 1 FROM ${this.#table(table)} WHERE warehouse = $1`).join(' UNION ALL ');
			const held = await client.query(`${union} LIMIT 1`, [warehouse]);
			if (held.rowCount) throw new StockLedgerError(`the ledger already holds figures for ${warehouse}`, warehouse);
			for (const [table, figures] of [
				['stock_on_hand', snapshot.onHand],
				['stock_allocated', snapshot.allocated],
				['stock_reconciled', snapshot.reconciled],
				['stock_van_settled', snapshot.vanSettled]
			] as const) {
				for (const part of chunks(Object.entries(figures))) {
					await client.query(
						`INSERT INTO ${this.#table(table)} (warehouse, ${keyColumn(table)}, qty) SELECT $1, k, q FROM unnest($2::text[], $3::bigint[]) AS t(k, q)`,
						[warehouse, part.map(([key]) => key), part.map(([, qty]) => qty)]
					);
				}
			}
			for (const part of chunks(snapshot.vans)) {
				await client.query(
					`INSERT INTO ${this.#table('stock_van')} (warehouse, user_id, sku, granted, returned, used)
					 SELECT $1, u, s, g, r, x FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) AS t(u, s, g, r, x)`,
					[warehouse, part.map((v) => v.userId), part.map((v) => v.sku), part.map((v) => v.granted), part.map((v) => v.returned), part.map((v) => v.used)]
				);
			}
			for (const part of chunks(snapshot.orders)) {
				await client.query(
					`INSERT INTO ${this.#table('stock_orders')} (warehouse, order_id, user_id, writer, lines, allocation, cancelled)
					 SELECT $1, o, u, w, l, a, c FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::boolean[]) AS t(o, u, w, l, a, c)`,
					[
						warehouse,
						part.map((o) => o.orderId),
						part.map((o) => o.userId),
						part.map((o) => o.writer),
						part.map((o) => JSON.stringify(o.lines)),
						part.map((o) => JSON.stringify(o.allocation)),
						part.map((o) => o.cancelled)
					]
				);
			}
		});
	}

	async close(): Promise<void> {
		await this.#pool.end();
	}
}
