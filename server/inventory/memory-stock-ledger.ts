import type { Allocation } from '../../src/lib/model/order';
import {
	assertQuantity,
	cancelStep,
	grantVanStep,
	reconcileStep,
	returnVanStep,
	skusOf,
	vanRemaining
} from './ledger-steps';
import { addQuantity, applyWrites, emptyWarehouseState, viewOf, type WarehouseState } from './ledger-state';
import { splitVanQuotaKey } from '../../src/lib/model/stock-counters';
import { assertImportable, byText, emptySnapshot } from './ledger-snapshot';
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

/** Reads create a warehouse's state, so an entry alone does not mean the ledger holds anything for it. */
function isEmpty(state: WarehouseState): boolean {
	return [state.onHand, state.allocated, state.vans, state.reconciled, state.vanSettled, state.orders].every((map) => map.size === 0);
}

/**
 * Tests and single-process use. Every method does its whole step synchronously
 * before its promise resolves, so steps never interleave: that is its atomicity.
 */
export class MemoryStockLedger implements StockLedger {
	private readonly state = new Map<string, WarehouseState>();

	private warehouse(warehouse: string): WarehouseState {
		let state = this.state.get(warehouse);
		if (!state) {
			state = emptyWarehouseState();
			this.state.set(warehouse, state);
		}
		return state;
	}

	async setOnHand(warehouse: string, sku: string, qty: number): Promise<void> {
		assertQuantity(qty, 'on-hand quantity', warehouse);
		this.warehouse(warehouse).onHand.set(sku, qty);
	}

	async receive(warehouse: string, sku: string, qty: number): Promise<number> {
		assertQuantity(qty, 'received quantity', warehouse);
		const state = this.warehouse(warehouse);
		addQuantity(state.onHand, sku, qty);
		return state.onHand.get(sku) ?? 0;
	}

	async seedOnHand(warehouse: string, onHand: Record<string, number>): Promise<void> {
		for (const qty of Object.values(onHand)) assertQuantity(qty, 'on-hand quantity', warehouse);
		const state = this.warehouse(warehouse);
		for (const [sku, qty] of Object.entries(onHand)) if (!state.onHand.has(sku)) state.onHand.set(sku, qty);
	}

	async reconcile(request: ReconcileRequest): Promise<LedgerReconcileResult> {
		const state = this.warehouse(request.warehouse);
		const { result, writes } = reconcileStep(viewOf(state, skusOf(request.lines), request.userId, request.orderId), request);
		applyWrites(state, request.userId, request.orderId, writes);
		return result;
	}

	async reconcileBatch(requests: readonly ReconcileRequest[]): Promise<BatchOutcome[]> {
		return reconcileOneByOne(requests, (request) => this.reconcile(request));
	}

	async cancel(request: CancelRequest): Promise<CancelResult> {
		const state = this.warehouse(request.warehouse);
		const view = viewOf(state, skusOf(request.lines), request.userId, request.orderId);
		const userId = view.order?.userId ?? request.userId;
		const { result, writes } = cancelStep(view, request);
		applyWrites(state, userId ?? undefined, request.orderId, writes);
		return result;
	}

	async grantVan(request: VanRequest): Promise<number> {
		const state = this.warehouse(request.warehouse);
		const { result, writes } = grantVanStep(viewOf(state, [request.sku], request.userId), request);
		applyWrites(state, request.userId, undefined, writes);
		return result;
	}

	async returnVan(request: VanRequest): Promise<number> {
		const state = this.warehouse(request.warehouse);
		const { result, writes } = returnVanStep(viewOf(state, [request.sku], request.userId), request);
		applyWrites(state, request.userId, undefined, writes);
		return result;
	}

	async orderAllocation(warehouse: string, orderId: string): Promise<Record<string, Allocation> | undefined> {
		const known = this.state.get(warehouse)?.orders.get(orderId);
		return known ? structuredClone(known.allocation) : undefined;
	}

	async totals(warehouse: string): Promise<WarehouseTotals> {
		const state = this.warehouse(warehouse);
		return {
			onHand: Object.fromEntries(state.onHand),
			allocated: Object.fromEntries(state.allocated),
			reconciled: Object.fromEntries(state.reconciled),
			vanRemaining: Object.fromEntries([...state.vans].map(([key, figures]) => [key, vanRemaining(figures)])),
			vanSettled: Object.fromEntries(state.vanSettled)
		};
	}

	async frequentBuyers(warehouse: string, sku: string, minOrders: number): Promise<string[]> {
		const counts = new Map<string, number>();
		for (const order of this.state.get(warehouse)?.orders.values() ?? []) {
			if (order.cancelled || order.userId === null || !order.lines.some((line) => line.sku === sku)) continue;
			counts.set(order.userId, (counts.get(order.userId) ?? 0) + 1);
		}
		return [...counts].filter(([, n]) => n >= minOrders).map(([userId]) => userId).sort();
	}

	async warehouses(): Promise<string[]> {
		return [...this.state].filter(([, state]) => !isEmpty(state)).map(([warehouse]) => warehouse).sort(byText);
	}

	async exportWarehouse(warehouse: string): Promise<LedgerWarehouseSnapshot> {
		const state = this.state.get(warehouse);
		if (!state) return emptySnapshot(warehouse);
		const vans = [...state.vans].map(([key, figures]) => ({ ...splitVanQuotaKey(key), ...figures }));
		return {
			warehouse,
			onHand: Object.fromEntries(state.onHand),
			allocated: Object.fromEntries(state.allocated),
			reconciled: Object.fromEntries(state.reconciled),
			vanSettled: Object.fromEntries(state.vanSettled),
			vans: vans.sort((a, b) => byText(a.userId, b.userId) || byText(a.sku, b.sku)),
			orders: [...state.orders]
				.sort(([a], [b]) => byText(a, b))
				.map(([orderId, order]) => ({ orderId, ...structuredClone(order) }))
		};
	}

	async importWarehouse(snapshot: LedgerWarehouseSnapshot): Promise<void> {
		const { warehouse } = snapshot;
		assertImportable(snapshot);
		const existing = this.state.get(warehouse);
		if (existing && !isEmpty(existing)) throw new StockLedgerError(`the ledger already holds figures for ${warehouse}`, warehouse);
		this.state.set(warehouse, {
			onHand: new Map(Object.entries(snapshot.onHand)),
			allocated: new Map(Object.entries(snapshot.allocated)),
			reconciled: new Map(Object.entries(snapshot.reconciled)),
			vanSettled: new Map(Object.entries(snapshot.vanSettled)),
			vans: new Map(snapshot.vans.map((van) => [vanKey(van.userId, van.sku), { granted: van.granted, returned: van.returned, used: van.used }])),
			orders: new Map(
				snapshot.orders.map(({ orderId, userId, writer, lines, allocation, cancelled }) => [orderId, structuredClone({ userId, writer, lines, allocation, cancelled })])
			)
		});
	}

	async close(): Promise<void> {}
}
