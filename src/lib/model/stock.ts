import type * as Y from 'yjs';
import { initMeta } from './meta';
import { asNumber, assertInteger } from './values';

/**
 * A warehouse's stock. `onHand` is the physical count and only the server writes it.
 * The reservation counters (what offline orders have taken locally) and the server's
 * settled and allocated totals live in their own shared types of this same document,
 * described in stock-counters.ts, so that `onHand` keeps meaning one thing.
 */

export interface StockInit {
	onHand?: Record<string, number>;
}

export function stockOnHand(doc: Y.Doc): Y.Map<number> {
	return doc.getMap<number>('onHand');
}

export function createStock(doc: Y.Doc, init: StockInit = {}): void {
	doc.transact(() => {
		initMeta(doc, 'stock');
		for (const [sku, qty] of Object.entries(init.onHand ?? {})) setOnHand(doc, sku, qty);
	});
}

export function setOnHand(doc: Y.Doc, sku: string, qty: number): void {
	assertInteger(qty, 'on-hand quantity');
	const onHand = stockOnHand(doc);
	if (onHand.get(sku) === qty) return;
	doc.transact(() => onHand.set(sku, qty));
}

/** With a sku: that product's count (0 when never stocked). Without: every sku's count. */
export function readOnHand(doc: Y.Doc, sku: string): number;
export function readOnHand(doc: Y.Doc): Record<string, number>;
export function readOnHand(doc: Y.Doc, sku?: string): number | Record<string, number> {
	const onHand = stockOnHand(doc);
	if (sku !== undefined) return asNumber(onHand.get(sku));
	const entries: [string, number][] = [];
	for (const [key, value] of onHand.entries()) entries.push([key, asNumber(value)]);
	return Object.fromEntries(entries);
}
