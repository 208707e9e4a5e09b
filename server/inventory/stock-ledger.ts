import type { Allocation } from '../../src/lib/model/order';
import type { ReconcileLine, ReconcileResult } from './reconcile-order';

/**
 * The server's authority over stock. Documents merge; stock must not, so every
 * decision that moves a unit (confirming an order line, returning a cancelled
 * order's units, receiving or counting stock, loading or unloading a van) is one
 * atomic step of a ledger. Each step reads and writes one warehouse's figures as
 * a unit, which is what keeps confirmed ≤ on-hand whatever order messages arrive
 * in, however often, on however many relay instances.
 *
 * The ledger also keeps, per counter key of `stock:<warehouseId>` (see
 * src/lib/model/stock-counters.ts), how much of each device's reservations and
 * van usage it has settled, so the relay can publish absolute totals into the
 * stock document.
 *
 * The decisions themselves are pure functions in ledger-steps.ts; an
 * implementation only loads the figures a step reads and applies what it writes,
 * inside one transaction.
 */

export interface ReconcileRequest {
	warehouse: string;
	orderId: string;
	/** The rep the order belongs to; its van stock can serve the order's `fromVan` claims. */
	userId?: string;
	/** The submitting device's counter writer (`<userId>.<deviceId>`); its reservations get settled. */
	writer?: string;
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
	userId?: string;
	writer?: string;
	/** The order's lines, needed to settle reservations of an order the ledger never saw. */
	lines: readonly ReconcileLine[];
}

export interface CancelResult {
	/** sku → confirmed units returned: to free stock, or to the rep's van for van units. */
	returned: Record<string, number>;
	/** False when the order was already cancelled. */
	fresh: boolean;
}

export interface VanRequest {
	warehouse: string;
	userId: string;
	sku: string;
	qty: number;
}

export interface WarehouseTotals {
	onHand: Record<string, number>;
	/** sku → confirmed on live (not cancelled) orders. */
	allocated: Record<string, number>;
	/** counter key → settled reservation quantity, for `publishSettlement`. */
	reconciled: Record<string, number>;
	/** `<userId>|<sku>` → units still in that rep's van. */
	vanRemaining: Record<string, number>;
	/** counter key → settled van usage. */
	vanSettled: Record<string, number>;
}

/** One rep's van in a warehouse, as the ledger keeps it: what was loaded, unloaded and sold from it. */
export interface LedgerVanSnapshot {
	userId: string;
	sku: string;
	granted: number;
	returned: number;
	used: number;
}

/** One decided (or cancelled before deciding) order, as the ledger recorded it. */
export interface LedgerOrderSnapshot {
	orderId: string;
	userId: string | null;
	writer: string | null;
	/** The lines the decision was made for; a re-sent order is answered from these. */
	lines: ReconcileLine[];
	allocation: Record<string, Allocation>;
	cancelled: boolean;
}

/**
 * Everything the ledger holds for one warehouse, as plain JSON: what a backup
 * carries, so a restored ledger keeps confirmed units held and answers re-sent
 * orders with their first decision.
 */
export interface LedgerWarehouseSnapshot {
	warehouse: string;
	onHand: Record<string, number>;
	allocated: Record<string, number>;
	/** counter key → settled reservation quantity. */
	reconciled: Record<string, number>;
	/** counter key → settled van usage. */
	vanSettled: Record<string, number>;
	/** By userId, then sku. */
	vans: LedgerVanSnapshot[];
	/** By orderId. */
	orders: LedgerOrderSnapshot[];
}

export interface StockLedger {
	/** Sets a sku's physical count (office stock take). May drop below what is allocated. */
	setOnHand(warehouse: string, sku: string, qty: number): Promise<void>;
	/** Adds received units to a sku's count; returns the new count. */
	receive(warehouse: string, sku: string, qty: number): Promise<number>;
	/** Takes on-hand counts for skus the ledger has never counted (first start on existing data). */
	seedOnHand(warehouse: string, onHand: Record<string, number>): Promise<void>;
	/** Decides an order once; a repeat returns the first decision with `fresh: false`. */
	reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult>;
	/**
	 * Decides several orders in the given order, in one transaction (one disk sync
	 * for all), each as if alone: a request the ledger refuses changes nothing and
	 * does not stop the others.
	 */
	reconcileBatch(requests: readonly ReconcileRequest[]): Promise<BatchOutcome[]>;
	/** Returns a decided order's confirmed units, or settles an undecided one so it is never decided. */
	cancel(request: CancelRequest): Promise<CancelResult>;
	/** Loads free stock into a rep's van; refused when not enough is free. Returns the van's new content. */
	grantVan(request: VanRequest): Promise<number>;
	/** Unloads up to `qty` unused units of a rep's van back to free stock; returns how many moved. */
	returnVan(request: VanRequest): Promise<number>;
	/** The decision recorded for an order, if any. */
	orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined>;
	totals(warehouse: string): Promise<WarehouseTotals>;
	/** Reps with at least `minOrders` live orders of `sku` from the warehouse: who a shortage concerns. */
	frequentBuyers(warehouse: string, sku: string, minOrders: number): Promise<string[]>;
	/** Warehouses the ledger holds anything for (counts, vans, orders, settled counters), sorted. */
	warehouses(): Promise<string[]>;
	/** One warehouse's whole state, read at one instant; empty for a warehouse the ledger has never seen. */
	exportWarehouse(warehouse: string): Promise<LedgerWarehouseSnapshot>;
	/**
	 * Writes a snapshot as the warehouse's whole state, in one step. Refused with
	 * StockLedgerError when the ledger already holds anything for that warehouse:
	 * adding two ledgers' figures together would count decisions twice.
	 */
	importWarehouse(snapshot: LedgerWarehouseSnapshot): Promise<void>;
	close(): Promise<void>;
}

export type BatchOutcome = { ok: true; result: LedgerReconcileResult } | { ok: false; error: Error };

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

/** `<userId>|<sku>`: the key of a rep's van content, in the ledger's totals and the stock document. */
export function vanKey(userId: string, sku: string): string {
	return `${userId}|${sku}`;
}

/** Decides each order in turn with `reconcile`: a refused one is its outcome, not the batch's failure. */
export async function reconcileOneByOne(requests: readonly ReconcileRequest[], reconcile: (request: ReconcileRequest) => Promise<LedgerReconcileResult>): Promise<BatchOutcome[]> {
	const outcomes: BatchOutcome[] = [];
	for (const request of requests) {
		try {
			outcomes.push({ ok: true, result: await reconcile(request) });
		} catch (error) {
			outcomes.push({ ok: false, error: error instanceof Error ? error : new Error(String(error)) });
		}
	}
	return outcomes;
}
