import type * as Y from 'yjs';
import { availableStock as warehouseAvailable, vanLeft } from '../model/stock-counters';

export interface StockView {
	/** What the device may still sell from the warehouse: on-hand less what is held and reserved. */
	warehouse: number;
	/** What the signed-in rep may still promise from their van. */
	van: number;
}

/**
 * How many units of `sku` this device can still sell, from `stock:<warehouse>` as
 * last synced plus what this and other devices reserved since (see
 * src/lib/model/stock-counters.ts): submitting an order lowers it at once, offline.
 */
export function stockView(stock: Y.Doc, sku: string, userId: string | null): StockView {
	return { warehouse: warehouseAvailable(stock, sku), van: userId ? vanLeft(stock, userId, sku) : 0 };
}

/** Everything the rep can sell of `sku`: the warehouse's free units and their own van's. */
export function availableStock(stock: Y.Doc, sku: string, userId: string | null = null): number {
	const view = stockView(stock, sku, userId);
	return view.warehouse + view.van;
}
