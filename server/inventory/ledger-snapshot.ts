import { assertQuantity } from './ledger-steps';
import { StockLedgerError, type LedgerWarehouseSnapshot } from './stock-ledger';

export function emptySnapshot(warehouse: string): LedgerWarehouseSnapshot {
	return { warehouse, onHand: {}, allocated: {}, reconciled: {}, vanSettled: {}, vans: [], orders: [] };
}

/**
 * Checks a snapshot before any of it is written. Snapshots come from backup
 * files, so a damaged one is refused here with the ledger's own error, rather
 * than by a database constraint halfway through (the step would roll back, but
 * with a message nobody can act on), and the memory ledger, which has no
 * constraints, refuses it alike.
 */
export function assertImportable(snapshot: LedgerWarehouseSnapshot): void {
	const { warehouse } = snapshot;
	for (const [what, figures] of [
		['on-hand quantity', snapshot.onHand],
		['allocated quantity', snapshot.allocated],
		['settled reservation', snapshot.reconciled],
		['settled van usage', snapshot.vanSettled]
	] as const) {
		for (const qty of Object.values(figures)) assertQuantity(qty, what, warehouse);
	}
	const vans = new Set<string>();
	for (const van of snapshot.vans) {
		for (const qty of [van.granted, van.returned, van.used]) assertQuantity(qty, 'van quantity', warehouse);
		const key = JSON.stringify([van.userId, van.sku]);
		if (vans.has(key)) throw new StockLedgerError(`the snapshot holds ${van.userId}'s van of ${van.sku} twice`, warehouse);
		vans.add(key);
	}
	const orders = new Set<string>();
	for (const order of snapshot.orders) {
		if (orders.has(order.orderId)) throw new StockLedgerError(`the snapshot holds order ${order.orderId} twice`, warehouse, order.orderId);
		orders.add(order.orderId);
	}
}

/** Plain code-unit order, the same whatever the locale, so a snapshot reads the same each time. */
export function byText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
