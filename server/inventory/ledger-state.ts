import { splitVanQuotaKey } from '../../src/lib/model/stock-counters';
import { vanRemaining, type LedgerView, type LedgerWrites, type StoredOrder, type VanFigures } from './ledger-steps';
import { vanKey } from './stock-ledger';

/**
 * One warehouse's figures held in memory: all of them in the memory ledger, or
 * the part a batch of steps reads in the PostgreSQL ledger (which then writes
 * back only what changed, see LedgerChanges).
 */
export interface WarehouseState {
	onHand: Map<string, number>;
	allocated: Map<string, number>;
	/** vanKey(userId, sku) → figures */
	vans: Map<string, VanFigures>;
	reconciled: Map<string, number>;
	vanSettled: Map<string, number>;
	orders: Map<string, StoredOrder>;
}

export function emptyWarehouseState(): WarehouseState {
	return { onHand: new Map(), allocated: new Map(), vans: new Map(), reconciled: new Map(), vanSettled: new Map(), orders: new Map() };
}

export function addQuantity(map: Map<string, number>, key: string, delta: number): void {
	if (delta !== 0) map.set(key, (map.get(key) ?? 0) + delta);
}

function addFigures(map: Map<string, VanFigures>, key: string, delta: VanFigures): void {
	const figures = map.get(key) ?? { granted: 0, returned: 0, used: 0 };
	map.set(key, { granted: figures.granted + delta.granted, returned: figures.returned + delta.returned, used: figures.used + delta.used });
}

/** What a step reads of `state`: the figures of `skus`, the rep's van and the order as recorded. */
export function viewOf(state: WarehouseState, skus: readonly string[], userId: string | undefined, orderId?: string): LedgerView {
	const view: LedgerView = { onHand: {}, allocated: {}, escrow: {}, van: {} };
	for (const sku of skus) {
		view.onHand[sku] = state.onHand.get(sku) ?? 0;
		view.allocated[sku] = state.allocated.get(sku) ?? 0;
		view.escrow[sku] = 0;
	}
	for (const [key, figures] of state.vans) {
		const { userId: user, sku } = splitVanQuotaKey(key);
		if (!skus.includes(sku)) continue;
		view.escrow[sku] = (view.escrow[sku] ?? 0) + vanRemaining(figures);
		if (user === userId) view.van[sku] = { ...figures };
	}
	const order = orderId === undefined ? undefined : state.orders.get(orderId);
	if (order) view.order = structuredClone(order);
	return view;
}

/**
 * What a batch of steps changed, to be written in one go: quantities and van
 * figures as deltas, orders whole (the last write of each wins).
 */
export type LedgerChanges = Omit<WarehouseState, 'onHand'>;

/** Applies a step's writes to `state`, and adds them to `changes` when given. */
export function applyWrites(state: WarehouseState, userId: string | null | undefined, orderId: string | undefined, writes: LedgerWrites, changes?: LedgerChanges): void {
	for (const target of changes ? [state, changes] : [state]) {
		for (const [sku, delta] of Object.entries(writes.allocatedAdd)) addQuantity(target.allocated, sku, delta);
		for (const [key, delta] of Object.entries(writes.reconciledAdd)) addQuantity(target.reconciled, key, delta);
		for (const [key, delta] of Object.entries(writes.vanSettledAdd)) addQuantity(target.vanSettled, key, delta);
		// No rep, no van (as the SQLite ledger has it): a step without one writes none.
		if (userId) for (const [sku, delta] of Object.entries(writes.vanAdd)) addFigures(target.vans, vanKey(userId, sku), delta);
		if (writes.order && orderId !== undefined) target.orders.set(orderId, structuredClone(writes.order));
	}
}
