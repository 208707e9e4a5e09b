import type * as Y from 'yjs';
import { readOrderLines, setOrderFields, updateOrderLine } from '../model/order';
import { counterWriter, reserveStock, useVanStock, vanLeft } from '../model/stock-counters';

export interface Submitter {
	userId: string;
	/** This device's id (SyncEngineApi.deviceId): the writer of its stock counters. */
	deviceId: string;
}

/**
 * Submits a draft order on the device, offline or not. Each line first takes what
 * the rep's van still holds (confirmed on the spot: the server honours it), the
 * rest is reserved from the warehouse and waits for the server's reconciliation.
 * Both show in the stock the device displays at once, through this device's own
 * counter entries in `stock:<warehouse>`. Without the stock document on the
 * device the order is submitted without reserving; the server still decides it.
 */
export function submitOrder(order: Y.Doc, stock: Y.Doc | null, who: Submitter): void {
	const writer = stock ? counterWriter(who.userId, who.deviceId) : null;
	const fromVan: Record<string, number> = {};
	const reserved: Record<string, number> = {};
	order.transact(() => {
		for (const line of readOrderLines(order)) {
			const inVan = stock ? Math.max(0, vanLeft(stock, who.userId, line.sku) - (fromVan[line.sku] ?? 0)) : 0;
			const van = Math.min(line.qty, inVan);
			if (van > 0 || line.fromVan) updateOrderLine(order, line.id, { fromVan: van });
			fromVan[line.sku] = (fromVan[line.sku] ?? 0) + van;
			reserved[line.sku] = (reserved[line.sku] ?? 0) + line.qty - van;
		}
		setOrderFields(order, writer ? { status: 'submitted', reservedBy: writer } : { status: 'submitted' });
	});
	if (stock && writer) {
		stock.transact(() => {
			reserveStock(stock, writer, reserved);
			useVanStock(stock, writer, fromVan);
		});
	}
}
