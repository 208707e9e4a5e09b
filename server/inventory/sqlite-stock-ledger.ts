import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Allocation } from '../../src/lib/model/order';
import { counterKey } from '../../src/lib/model/stock-counters';
import { orderStatus, reconcileOrder, type ReconcileLine } from './reconcile-order';
import {
	StockLedgerError,
	type CancelRequest,
	type CancelResult,
	type LedgerReconcileResult,
	type ReconcileRequest,
	type StockLedger,
	type WarehouseTotals
} from './stock-ledger';

type Db = Database.Database;

/** Same as the document store: the relay is the only writer, tools may hold a lock briefly. */
const BUSY_TIMEOUT_MS = 5000;

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
	CREATE TABLE IF NOT EXISTS stock_reconciled (
		warehouse TEXT NOT NULL, counter_key TEXT NOT NULL, qty INTEGER NOT NULL,
		PRIMARY KEY (warehouse, counter_key)
	);
	CREATE TABLE IF NOT EXISTS stock_orders (
		warehouse TEXT NOT NULL, order_id TEXT NOT NULL,
		lines_json TEXT NOT NULL, allocation_json TEXT NOT NULL, cancelled INTEGER NOT NULL,
		PRIMARY KEY (warehouse, order_id)
	);
`;

interface OrderRow {
	lines_json: string;
	allocation_json: string;
	cancelled: number;
}

interface QtyRow {
	key: string;
	qty: number;
}

function assertQuantity(qty: number, what: string, warehouse: string): void {
	if (!Number.isInteger(qty) || qty < 0) throw new StockLedgerError(`${what} must be a non-negative integer, got ${qty}`, warehouse);
}

function settlement(writer: string, lines: readonly ReconcileLine[], warehouse: string): Array<[string, number]> {
	for (const line of lines) assertQuantity(line.qty, `quantity of line ${line.id}`, warehouse);
	try {
		return lines.map((line) => [counterKey(writer, line.sku), line.qty]);
	} catch (error) {
		throw new StockLedgerError(error instanceof Error ? error.message : String(error), warehouse);
	}
}

/**
 * Each step is one IMMEDIATE transaction: the write lock is taken before the
 * figures are read, so two processes on one file cannot both read the same
 * "left" and confirm it twice.
 */
export class SqliteStockLedger implements StockLedger {
	readonly #db: Db;

	constructor(options: { file: string }) {
		if (options.file !== ':memory:') mkdirSync(dirname(resolve(options.file)), { recursive: true });
		const db = new Database(options.file, { timeout: BUSY_TIMEOUT_MS });
		try {
			db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
			db.pragma('journal_mode = WAL');
			db.pragma('synchronous = FULL');
			db.exec(SCHEMA);
		} catch (error) {
			db.close();
			throw error;
		}
		this.#db = db;
	}

	close(): void {
		this.#db.close();
	}

	#step<T>(fn: () => T): T {
		return this.#db.transaction(fn).immediate();
	}

	#add(table: 'stock_on_hand' | 'stock_allocated', warehouse: string, sku: string, delta: number): void {
		if (delta === 0) return;
		this.#db
			.prepare(`INSERT INTO ${table} (warehouse, sku, qty) VALUES (?, ?, ?) ON CONFLICT (warehouse, sku) DO UPDATE SET qty = qty + excluded.qty`)
			.run(warehouse, sku, delta);
	}

	#settle(warehouse: string, keys: Array<[string, number]>): void {
		const stmt = this.#db.prepare(
			'INSERT INTO stock_reconciled (warehouse, counter_key, qty) VALUES (?, ?, ?) ON CONFLICT (warehouse, counter_key) DO UPDATE SET qty = qty + excluded.qty'
		);
		for (const [key, qty] of keys) if (qty !== 0) stmt.run(warehouse, key, qty);
	}

	#quantities(table: 'stock_on_hand' | 'stock_allocated' | 'stock_reconciled', warehouse: string): Record<string, number> {
		const column = table === 'stock_reconciled' ? 'counter_key' : 'sku';
		const rows = this.#db.prepare(`SELECT ${column} AS key, qty FROM ${table} WHERE warehouse = ?`).all(warehouse) as QtyRow[];
		return Object.fromEntries(rows.map((row) => [row.key, row.qty]));
	}

	#order(warehouse: string, orderId: string): { lines: ReconcileLine[]; allocation: Record<string, Allocation>; cancelled: boolean } | undefined {
		const row = this.#db
			.prepare('SELECT lines_json, allocation_json, cancelled FROM stock_orders WHERE warehouse = ? AND order_id = ?')
			.get(warehouse, orderId) as OrderRow | undefined;
		if (!row) return undefined;
		return {
			lines: JSON.parse(row.lines_json) as ReconcileLine[],
			allocation: JSON.parse(row.allocation_json) as Record<string, Allocation>,
			cancelled: row.cancelled === 1
		};
	}

	#saveOrder(warehouse: string, orderId: string, lines: readonly ReconcileLine[], allocation: Record<string, Allocation>, cancelled: boolean): void {
		const plainLines = lines.map((line) => ({ id: line.id, sku: line.sku, qty: line.qty }));
		this.#db
			.prepare(
				`INSERT INTO stock_orders (warehouse, order_id, lines_json, allocation_json, cancelled) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT (warehouse, order_id) DO UPDATE SET cancelled = excluded.cancelled`
			)
			.run(warehouse, orderId, JSON.stringify(plainLines), JSON.stringify(allocation), cancelled ? 1 : 0);
	}

	async setOnHand(warehouse: string, sku: string, qty: number): Promise<void> {
		assertQuantity(qty, 'on-hand quantity', warehouse);
		this.#db
			.prepare('INSERT INTO stock_on_hand (warehouse, sku, qty) VALUES (?, ?, ?) ON CONFLICT (warehouse, sku) DO UPDATE SET qty = excluded.qty')
			.run(warehouse, sku, qty);
	}

	async receive(warehouse: string, sku: string, qty: number): Promise<number> {
		assertQuantity(qty, 'received quantity', warehouse);
		return this.#step(() => {
			this.#add('stock_on_hand', warehouse, sku, qty);
			return this.#quantities('stock_on_hand', warehouse)[sku] ?? 0;
		});
	}

	async reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult> {
		const { warehouse, orderId } = request;
		return this.#step(() => {
			const known = this.#order(warehouse, orderId);
			if (known) {
				return {
					allocation: known.allocation,
					status: orderStatus(known.lines, known.allocation),
					newlyConfirmed: {},
					fresh: false,
					cancelled: known.cancelled
				};
			}
			const keys = settlement(request.writer, request.lines, warehouse);
			const result = reconcileOrder({
				lines: request.lines,
				onHand: this.#quantities('stock_on_hand', warehouse),
				allocated: this.#quantities('stock_allocated', warehouse),
				at: request.at
			});
			for (const [sku, qty] of Object.entries(result.newlyConfirmed)) this.#add('stock_allocated', warehouse, sku, qty);
			this.#settle(warehouse, keys);
			this.#saveOrder(warehouse, orderId, request.lines, result.allocation, false);
			return { ...result, fresh: true, cancelled: false };
		});
	}

	async cancel(request: CancelRequest): Promise<CancelResult> {
		const { warehouse, orderId } = request;
		return this.#step(() => {
			const known = this.#order(warehouse, orderId);
			if (known?.cancelled) return { returned: {}, fresh: false };
			if (!known) {
				this.#settle(warehouse, settlement(request.writer, request.lines, warehouse));
				this.#saveOrder(warehouse, orderId, request.lines, {}, true);
				return { returned: {}, fresh: true };
			}
			const returned: Record<string, number> = {};
			for (const line of known.lines) {
				const confirmed = known.allocation[line.id]?.confirmed ?? 0;
				if (confirmed === 0) continue;
				returned[line.sku] = (returned[line.sku] ?? 0) + confirmed;
				this.#add('stock_allocated', warehouse, line.sku, -confirmed);
			}
			this.#saveOrder(warehouse, orderId, known.lines, known.allocation, true);
			return { returned, fresh: true };
		});
	}

	async orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined> {
		return this.#order(warehouse, orderId)?.allocation;
	}

	async totals(warehouse: string): Promise<WarehouseTotals> {
		return this.#db.transaction(() => ({
			onHand: this.#quantities('stock_on_hand', warehouse),
			allocated: this.#quantities('stock_allocated', warehouse),
			reconciled: this.#quantities('stock_reconciled', warehouse)
		}))();
	}
}
