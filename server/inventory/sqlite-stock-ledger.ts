import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Allocation } from '../../src/lib/model/order';
import {
	assertQuantity,
	cancelStep,
	grantVanStep,
	reconcileStep,
	returnVanStep,
	skusOf,
	type LedgerView,
	type LedgerWrites,
	type StoredOrder
} from './ledger-steps';
import { openSqliteConnection } from '../store/sqlite-write-transactions';
import { assertImportable } from './ledger-snapshot';
import {
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

type Db = Database.Database;

/*
 * Tables of their own, prefixed `stock_`, created if missing, so the ledger can
 * live in the document store's file or beside it without touching its schema.
 */
const SCHEMA = `
	CREATE TABLE IF NOT EXISTS stock_on_hand (
		warehouse TEXT NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL,
		PRIMARY KEY (warehouse, sku)
	);
	CREATE TABLE IF NOT EXISTS stock_allocated (
		warehouse TEXT NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL,
		PRIMARY KEY (warehouse, sku)
	);
	CREATE TABLE IF NOT EXISTS stock_van (
		warehouse TEXT NOT NULL, user_id TEXT NOT NULL, sku TEXT NOT NULL,
		granted INTEGER NOT NULL, returned INTEGER NOT NULL, used INTEGER NOT NULL,
		PRIMARY KEY (warehouse, sku, user_id)
	);
	CREATE TABLE IF NOT EXISTS stock_reconciled (
		warehouse TEXT NOT NULL, counter_key TEXT NOT NULL, qty INTEGER NOT NULL,
		PRIMARY KEY (warehouse, counter_key)
	);
	CREATE TABLE IF NOT EXISTS stock_van_settled (
		warehouse TEXT NOT NULL, counter_key TEXT NOT NULL, qty INTEGER NOT NULL,
		PRIMARY KEY (warehouse, counter_key)
	);
	CREATE TABLE IF NOT EXISTS stock_orders (
		warehouse TEXT NOT NULL, order_id TEXT NOT NULL, user_id TEXT, writer TEXT,
		lines_json TEXT NOT NULL, allocation_json TEXT NOT NULL, cancelled INTEGER NOT NULL,
		PRIMARY KEY (warehouse, order_id)
	);
`;

interface OrderRow {
	user_id: string | null;
	writer: string | null;
	lines_json: string;
	allocation_json: string;
	cancelled: number;
}

interface QtyRow {
	key: string;
	qty: number;
}

interface VanRow {
	user_id: string;
	sku: string;
	granted: number;
	returned: number;
	used: number;
}

type QtyTable = 'stock_on_hand' | 'stock_allocated' | 'stock_reconciled' | 'stock_van_settled';

/** Every table that holds a warehouse's rows: what makes a warehouse known, and not empty. */
const LEDGER_TABLES = ['stock_on_hand', 'stock_allocated', 'stock_van', 'stock_reconciled', 'stock_van_settled', 'stock_orders'] as const;

/**
 * Each step is one IMMEDIATE transaction: the write lock is taken before the
 * figures are read, so two processes on one file cannot both read the same
 * "left" and confirm it twice.
 */
export class SqliteStockLedger implements StockLedger {
	readonly #db: Db;

	constructor(options: { file: string }) {
		if (options.file !== ':memory:') mkdirSync(dirname(resolve(options.file)), { recursive: true });
		// Set as every connection to the store's file is: WAL, synchronous = FULL, the same busy timeout.
		const db = openSqliteConnection(options.file);
		try {
			db.exec(SCHEMA);
		} catch (error) {
			db.close();
			throw error;
		}
		this.#db = db;
	}

	async close(): Promise<void> {
		if (this.#db.open) this.#db.close();
	}

	readonly #statements = new Map<string, Database.Statement>();

	/** Compiled once per SQL text: a step runs a dozen small statements. */
	#sql(sql: string): Database.Statement {
		let statement = this.#statements.get(sql);
		if (!statement) {
			statement = this.#db.prepare(sql);
			this.#statements.set(sql, statement);
		}
		return statement;
	}

	#step<T>(fn: () => T): T {
		return this.#db.transaction(fn).immediate();
	}

	#addQty(table: QtyTable, warehouse: string, key: string, delta: number): void {
		if (delta === 0) return;
		const column = table === 'stock_on_hand' || table === 'stock_allocated' ? 'sku' : 'counter_key';
		this.#sql(`INSERT INTO ${table} (warehouse, ${column}, qty) VALUES (?, ?, ?) ON CONFLICT (warehouse, ${column}) DO UPDATE SET qty = qty + excluded.qty`)
			.run(warehouse, key, delta);
	}

	#quantities(table: QtyTable, warehouse: string): Record<string, number> {
		const column = table === 'stock_on_hand' || table === 'stock_allocated' ? 'sku' : 'counter_key';
		const rows = this.#sql(`SELECT ${column} AS key, qty FROM ${table} WHERE warehouse = ?`).all(warehouse) as QtyRow[];
		return Object.fromEntries(rows.map((row) => [row.key, row.qty]));
	}

	#qty(table: 'stock_on_hand' | 'stock_allocated', warehouse: string, sku: string): number {
		const row = this.#sql(`SELECT qty FROM ${table} WHERE warehouse = ? AND sku = ?`).get(warehouse, sku) as { qty: number } | undefined;
		return row?.qty ?? 0;
	}

	#order(warehouse: string, orderId: string): StoredOrder | undefined {
		const row = this.#sql('SELECT user_id, writer, lines_json, allocation_json, cancelled FROM stock_orders WHERE warehouse = ? AND order_id = ?')
			.get(warehouse, orderId) as OrderRow | undefined;
		if (!row) return undefined;
		return {
			userId: row.user_id,
			writer: row.writer,
			lines: JSON.parse(row.lines_json) as StoredOrder['lines'],
			allocation: JSON.parse(row.allocation_json) as Record<string, Allocation>,
			cancelled: row.cancelled === 1
		};
	}

	#view(warehouse: string, skus: string[], userId: string | undefined, orderId?: string): LedgerView {
		const view: LedgerView = { onHand: {}, allocated: {}, escrow: {}, van: {} };
		const vanRows = this.#sql('SELECT user_id, sku, granted, returned, used FROM stock_van WHERE warehouse = ? AND sku = ?');
		for (const sku of skus) {
			view.onHand[sku] = this.#qty('stock_on_hand', warehouse, sku);
			view.allocated[sku] = this.#qty('stock_allocated', warehouse, sku);
			let escrow = 0;
			for (const row of vanRows.all(warehouse, sku) as VanRow[]) {
				escrow += row.granted - row.returned - row.used;
				if (row.user_id === userId) view.van[sku] = { granted: row.granted, returned: row.returned, used: row.used };
			}
			view.escrow[sku] = escrow;
		}
		const order = orderId === undefined ? undefined : this.#order(warehouse, orderId);
		if (order) view.order = order;
		return view;
	}

	#apply(warehouse: string, userId: string | null | undefined, orderId: string | undefined, writes: LedgerWrites): void {
		for (const [sku, delta] of Object.entries(writes.allocatedAdd)) this.#addQty('stock_allocated', warehouse, sku, delta);
		for (const [key, delta] of Object.entries(writes.reconciledAdd)) this.#addQty('stock_reconciled', warehouse, key, delta);
		for (const [key, delta] of Object.entries(writes.vanSettledAdd)) this.#addQty('stock_van_settled', warehouse, key, delta);
		if (userId) {
			const upsert = this.#sql(
				`INSERT INTO stock_van (warehouse, user_id, sku, granted, returned, used) VALUES (?, ?, ?, ?, ?, ?)
				 ON CONFLICT (warehouse, sku, user_id) DO UPDATE SET
				   granted = granted + excluded.granted, returned = returned + excluded.returned, used = used + excluded.used`
			);
			for (const [sku, d] of Object.entries(writes.vanAdd)) upsert.run(warehouse, userId, sku, d.granted, d.returned, d.used);
		}
		if (writes.order && orderId !== undefined) {
			const order = writes.order;
			this.#sql(
					`INSERT INTO stock_orders (warehouse, order_id, user_id, writer, lines_json, allocation_json, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?)
					 ON CONFLICT (warehouse, order_id) DO UPDATE SET cancelled = excluded.cancelled`
				)
				.run(warehouse, orderId, order.userId, order.writer, JSON.stringify(order.lines), JSON.stringify(order.allocation), order.cancelled ? 1 : 0);
		}
	}

	async setOnHand(warehouse: string, sku: string, qty: number): Promise<void> {
		assertQuantity(qty, 'on-hand quantity', warehouse);
		this.#sql('INSERT INTO stock_on_hand (warehouse, sku, qty) VALUES (?, ?, ?) ON CONFLICT (warehouse, sku) DO UPDATE SET qty = excluded.qty')
			.run(warehouse, sku, qty);
	}

	async receive(warehouse: string, sku: string, qty: number): Promise<number> {
		assertQuantity(qty, 'received quantity', warehouse);
		return this.#step(() => {
			this.#addQty('stock_on_hand', warehouse, sku, qty);
			return this.#qty('stock_on_hand', warehouse, sku);
		});
	}

	async seedOnHand(warehouse: string, onHand: Record<string, number>): Promise<void> {
		for (const qty of Object.values(onHand)) assertQuantity(qty, 'on-hand quantity', warehouse);
		this.#step(() => {
			const insert = this.#sql('INSERT INTO stock_on_hand (warehouse, sku, qty) VALUES (?, ?, ?) ON CONFLICT (warehouse, sku) DO NOTHING');
			for (const [sku, qty] of Object.entries(onHand)) insert.run(warehouse, sku, qty);
		});
	}

	#reconcileOne(request: ReconcileRequest): LedgerReconcileResult {
		const view = this.#view(request.warehouse, skusOf(request.lines), request.userId, request.orderId);
		const { result, writes } = reconcileStep(view, request);
		this.#apply(request.warehouse, request.userId, request.orderId, writes);
		return result;
	}

	async reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult> {
		return this.#step(() => this.#reconcileOne(request));
	}

	async reconcileBatch(requests: readonly ReconcileRequest[]): Promise<BatchOutcome[]> {
		// Inside the batch's transaction each order runs in its own savepoint (better-sqlite3
		// nests transactions that way), so a refused one rolls back alone.
		const one = this.#db.transaction((request: ReconcileRequest) => this.#reconcileOne(request));
		return this.#step(() =>
			requests.map((request): BatchOutcome => {
				try {
					return { ok: true, result: one(request) };
				} catch (error) {
					return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
				}
			})
		);
	}

	async cancel(request: CancelRequest): Promise<CancelResult> {
		return this.#step(() => {
			const view = this.#view(request.warehouse, skusOf(request.lines), request.userId, request.orderId);
			const { result, writes } = cancelStep(view, request);
			this.#apply(request.warehouse, view.order?.userId ?? request.userId, request.orderId, writes);
			return result;
		});
	}

	async grantVan(request: VanRequest): Promise<number> {
		return this.#step(() => {
			const { result, writes } = grantVanStep(this.#view(request.warehouse, [request.sku], request.userId), request);
			this.#apply(request.warehouse, request.userId, undefined, writes);
			return result;
		});
	}

	async returnVan(request: VanRequest): Promise<number> {
		return this.#step(() => {
			const { result, writes } = returnVanStep(this.#view(request.warehouse, [request.sku], request.userId), request);
			this.#apply(request.warehouse, request.userId, undefined, writes);
			return result;
		});
	}

	async orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined> {
		return this.#order(warehouse, orderId)?.allocation;
	}

	async totals(warehouse: string): Promise<WarehouseTotals> {
		return this.#db.transaction(() => {
			const vans = this.#sql('SELECT user_id, sku, granted, returned, used FROM stock_van WHERE warehouse = ?').all(warehouse) as VanRow[];
			return {
				onHand: this.#quantities('stock_on_hand', warehouse),
				allocated: this.#quantities('stock_allocated', warehouse),
				reconciled: this.#quantities('stock_reconciled', warehouse),
				vanRemaining: Object.fromEntries(vans.map((row) => [vanKey(row.user_id, row.sku), row.granted - row.returned - row.used])),
				vanSettled: this.#quantities('stock_van_settled', warehouse)
			};
		})();
	}

	async frequentBuyers(warehouse: string, sku: string, minOrders: number): Promise<string[]> {
		const rows = this.#sql(
				`SELECT user_id FROM stock_orders
				 WHERE warehouse = ? AND cancelled = 0 AND user_id IS NOT NULL
				   AND EXISTS (SELECT 1 FROM json_each(lines_json) WHERE json_extract(value, '$.sku') = ?)
				 GROUP BY user_id HAVING COUNT(*) >= ? ORDER BY user_id`
			)
			.all(warehouse, sku, minOrders) as Array<{ user_id: string }>;
		return rows.map((row) => row.user_id);
	}

	async warehouses(): Promise<string[]> {
		const rows = this.#sql(`${LEDGER_TABLES.map((table) => `SELECT warehouse FROM ${table}`).join(' UNION ')} ORDER BY warehouse`).all() as Array<{ warehouse: string }>;
		return rows.map((row) => row.warehouse);
	}

	async exportWarehouse(warehouse: string): Promise<LedgerWarehouseSnapshot> {
		// One read transaction: in WAL mode its reads all see the same commit, whatever a relay writes meanwhile.
		return this.#db.transaction(() => {
			const vans = this.#sql('SELECT user_id, sku, granted, returned, used FROM stock_van WHERE warehouse = ? ORDER BY user_id, sku').all(warehouse) as VanRow[];
			const orders = this.#sql(
				'SELECT order_id, user_id, writer, lines_json, allocation_json, cancelled FROM stock_orders WHERE warehouse = ? ORDER BY order_id'
			).all(warehouse) as Array<OrderRow & { order_id: string }>;
			return {
				warehouse,
				onHand: this.#quantities('stock_on_hand', warehouse),
				allocated: this.#quantities('stock_allocated', warehouse),
				reconciled: this.#quantities('stock_reconciled', warehouse),
				vanSettled: this.#quantities('stock_van_settled', warehouse),
				vans: vans.map((row) => ({ userId: row.user_id, sku: row.sku, granted: row.granted, returned: row.returned, used: row.used })),
				orders: orders.map((row) => ({
					orderId: row.order_id,
					userId: row.user_id,
					writer: row.writer,
					lines: JSON.parse(row.lines_json) as StoredOrder['lines'],
					allocation: JSON.parse(row.allocation_json) as Record<string, Allocation>,
					cancelled: row.cancelled === 1
				}))
			};
		})();
	}

	async importWarehouse(snapshot: LedgerWarehouseSnapshot): Promise<void> {
		const { warehouse } = snapshot;
		assertImportable(snapshot);
		this.#step(() => {
			const held = this.#sql(`${LEDGER_TABLES.map((table) => `SELECT 1 FROM ${table} WHERE warehouse = ?`).join(' UNION ALL ')} LIMIT 1`).get(
				...LEDGER_TABLES.map(() => warehouse)
			);
			if (held) throw new StockLedgerError(`the ledger already holds figures for ${warehouse}`, warehouse);
			for (const [table, figures] of [
				['stock_on_hand', snapshot.onHand],
				['stock_allocated', snapshot.allocated],
				['stock_reconciled', snapshot.reconciled],
				['stock_van_settled', snapshot.vanSettled]
			] as const) {
				const column = table === 'stock_on_hand' || table === 'stock_allocated' ? 'sku' : 'counter_key';
				const insert = this.#sql(`INSERT INTO ${table} (warehouse, ${column}, qty) VALUES (?, ?, ?)`);
				for (const [key, qty] of Object.entries(figures)) insert.run(warehouse, key, qty);
			}
			const van = this.#sql('INSERT INTO stock_van (warehouse, user_id, sku, granted, returned, used) VALUES (?, ?, ?, ?, ?, ?)');
			for (const v of snapshot.vans) van.run(warehouse, v.userId, v.sku, v.granted, v.returned, v.used);
			const order = this.#sql(
				'INSERT INTO stock_orders (warehouse, order_id, user_id, writer, lines_json, allocation_json, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?)'
			);
			for (const o of snapshot.orders) {
				order.run(warehouse, o.orderId, o.userId, o.writer, JSON.stringify(o.lines), JSON.stringify(o.allocation), o.cancelled ? 1 : 0);
			}
		});
	}
}
