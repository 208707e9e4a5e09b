import type { Allocation } from '../../src/lib/model/order';
import { counterKey } from '../../src/lib/model/stock-counters';
import { orderStatus, reconcileOrder, type ReconcileLine, type ReconcileResult } from './reconcile-order';

/**
 * The server's authority over stock. Documents merge; stock must not, so every
 * decision that moves a unit (confirming an order line, returning a cancelled
 * order's units, receiving or counting stock) is one atomic step of a ledger.
 * Each step reads and writes one warehouse's figures as a unit, which is what
 * keeps confirmed ≤ on-hand whatever order messages arrive in, however often.
 *
 * The ledger also keeps, per counter key of `stock:<warehouseId>` (see
 * src/lib/model/stock-counters.ts), how much of each device's reservations it has
 * settled, so the relay can publish absolute totals into the stock document.
 */

export interface ReconcileRequest {
	warehouse: string;
	orderId: string;
	/** The submitting device's counter writer (`<userId>.<deviceId>`); its reservations get settled. */
	writer: string;
	lines: readonly ReconcileLine[];
	at: string;
}

export interface LedgerReconcileResult extends ReconcileResult {
	/** False when the order had been decided before: nothing moved this time. */
	fresh: boolean;
	/** The order was cancelled first; nothing is allocated and the order's status stays cancelled. */
	cancelled: boolean;
}

export interface CancelRequest {
	warehouse: string;
	orderId: string;
	writer: string;
	/** The order's lines, needed to settle reservations of an order the ledger never saw. */
	lines: readonly ReconcileLine[];
}

export interface CancelResult {
	/** sku → confirmed units returned to available stock. */
	returned: Record<string, number>;
	/** False when the order was already cancelled. */
	fresh: boolean;
}

export interface WarehouseTotals {
	onHand: Record<string, number>;
	/** sku → confirmed on live (not cancelled) orders. */
	allocated: Record<string, number>;
	/** counter key → settled quantity, for `publishSettlement`. */
	reconciled: Record<string, number>;
}

export interface StockLedger {
	/** Sets a sku's physical count (office stock take). May drop below what is allocated. */
	setOnHand(warehouse: string, sku: string, qty: number): Promise<void>;
	/** Adds received units to a sku's count; returns the new count. */
	receive(warehouse: string, sku: string, qty: number): Promise<number>;
	/** Decides an order once; a repeat returns the first decision with `fresh: false`. */
	reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult>;
	/** Returns a decided order's confirmed units, or settles an undecided one so it is never decided. */
	cancel(request: CancelRequest): Promise<CancelResult>;
	/** The decision recorded for an order, if any. */
	orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined>;
	totals(warehouse: string): Promise<WarehouseTotals>;
}

export class StockLedgerError extends Error {
	constructor(
		message: string,
		readonly warehouse: string,
		readonly orderId?: string
	) {
		super(message);
		this.name = 'StockLedgerError';
	}
}

interface OrderEntry {
	lines: ReconcileLine[];
	allocation: Record<string, Allocation>;
	cancelled: boolean;
}

interface WarehouseState {
	onHand: Map<string, number>;
	allocated: Map<string, number>;
	reconciled: Map<string, number>;
	orders: Map<string, OrderEntry>;
}

function assertQuantity(qty: number, what: string, warehouse: string): void {
	if (!Number.isInteger(qty) || qty < 0) throw new StockLedgerError(`${what} must be a non-negative integer, got ${qty}`, warehouse);
}

function add(map: Map<string, number>, key: string, delta: number): void {
	if (delta === 0) return;
	map.set(key, (map.get(key) ?? 0) + delta);
}

/** The counter keys a step will settle, worked out before anything moves so a bad writer id changes nothing. */
function settlement(writer: string, lines: readonly ReconcileLine[], warehouse: string): Array<[string, number]> {
	for (const line of lines) assertQuantity(line.qty, `quantity of line ${line.id}`, warehouse);
	try {
		return lines.map((line) => [counterKey(writer, line.sku), line.qty]);
	} catch (error) {
		throw new StockLedgerError(error instanceof Error ? error.message : String(error), warehouse);
	}
}

function settle(state: WarehouseState, keys: Array<[string, number]>): void {
	for (const [key, qty] of keys) add(state.reconciled, key, qty);
}

/**
 * Tests and single-process use. Every method does its whole step synchronously
 * before its promise resolves, so steps never interleave: that is its atomicity.
 */
export class MemoryStockLedger implements StockLedger {
	private readonly warehouses = new Map<string, WarehouseState>();

	private state(warehouse: string): WarehouseState {
		let state = this.warehouses.get(warehouse);
		if (!state) {
			state = { onHand: new Map(), allocated: new Map(), reconciled: new Map(), orders: new Map() };
			this.warehouses.set(warehouse, state);
		}
		return state;
	}

	async setOnHand(warehouse: string, sku: string, qty: number): Promise<void> {
		assertQuantity(qty, 'on-hand quantity', warehouse);
		this.state(warehouse).onHand.set(sku, qty);
	}

	async receive(warehouse: string, sku: string, qty: number): Promise<number> {
		assertQuantity(qty, 'received quantity', warehouse);
		const state = this.state(warehouse);
		add(state.onHand, sku, qty);
		return state.onHand.get(sku) ?? 0;
	}

	async reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult> {
		const state = this.state(request.warehouse);
		const known = state.orders.get(request.orderId);
		if (known) {
			// The first decision stands, over the lines it was made for, even if a
			// re-sent copy of the order carries different lines.
			return {
				allocation: structuredClone(known.allocation),
				status: orderStatus(known.lines, known.allocation),
				newlyConfirmed: {},
				fresh: false,
				cancelled: known.cancelled
			};
		}
		const keys = settlement(request.writer, request.lines, request.warehouse);
		const result = reconcileOrder({
			lines: request.lines,
			onHand: Object.fromEntries(state.onHand),
			allocated: Object.fromEntries(state.allocated),
			at: request.at
		});
		for (const [sku, qty] of Object.entries(result.newlyConfirmed)) add(state.allocated, sku, qty);
		settle(state, keys);
		state.orders.set(request.orderId, {
			lines: request.lines.map((line) => ({ ...line })),
			allocation: structuredClone(result.allocation),
			cancelled: false
		});
		return { ...result, allocation: structuredClone(result.allocation), fresh: true, cancelled: false };
	}

	async cancel(request: CancelRequest): Promise<CancelResult> {
		const state = this.state(request.warehouse);
		const known = state.orders.get(request.orderId);
		if (known?.cancelled) return { returned: {}, fresh: false };
		if (!known) {
			// Never decided: record it as decided-and-cancelled so a late duplicate of
			// the submission cannot take stock, and settle the device's reservation.
			settle(state, settlement(request.writer, request.lines, request.warehouse));
			state.orders.set(request.orderId, { lines: request.lines.map((line) => ({ ...line })), allocation: {}, cancelled: true });
			return { returned: {}, fresh: true };
		}
		const returned: Record<string, number> = {};
		for (const line of known.lines) {
			const confirmed = known.allocation[line.id]?.confirmed ?? 0;
			if (confirmed === 0) continue;
			returned[line.sku] = (returned[line.sku] ?? 0) + confirmed;
			add(state.allocated, line.sku, -confirmed);
		}
		known.cancelled = true;
		return { returned, fresh: true };
	}

	async orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined> {
		const known = this.warehouses.get(warehouse)?.orders.get(orderId);
		return known ? structuredClone(known.allocation) : undefined;
	}

	async totals(warehouse: string): Promise<WarehouseTotals> {
		const state = this.state(warehouse);
		return {
			onHand: Object.fromEntries(state.onHand),
			allocated: Object.fromEntries(state.allocated),
			reconciled: Object.fromEntries(state.reconciled)
		};
	}
}
