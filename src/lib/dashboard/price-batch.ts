import type * as Y from 'yjs';
import { readCatalog, setProduct, type Product } from '../model/catalog';

/** One product change an admin prepares: a new price, a new product, putting one on or off sale. */
export interface PriceChange {
	sku: string;
	name: string;
	unit: string;
	/** Cents. */
	price: number;
	active: boolean;
}

/** "12.50", "12,50" or "12" euros to cents; null for anything else. */
export function parseEuros(text: string): number | null {
	const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
	if (!match) return null;
	return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** Adds or replaces the change of one product in the batch (the last word on a product wins). */
export function withChange(batch: readonly PriceChange[], change: PriceChange): PriceChange[] {
	return [...batch.filter((c) => c.sku !== change.sku), change];
}

/**
 * Writes the whole batch in one transaction: one update for the relay, so each
 * rep concerned gets one message about it, however many products it touches.
 * Changes that would leave a product as it is are skipped; returns how many were written.
 */
export function publishBatch(doc: Y.Doc, batch: readonly PriceChange[]): number {
	const current = readCatalog(doc);
	const effective = batch.filter((c) => !sameProduct(current[c.sku], c));
	doc.transact(() => {
		for (const c of effective) setProduct(doc, c.sku, { name: c.name, unit: c.unit, price: c.price, active: c.active });
	});
	return effective.length;
}

function sameProduct(product: Product | undefined, change: PriceChange): boolean {
	return product !== undefined && product.name === change.name && product.unit === change.unit && product.price === change.price && product.active === change.active;
}
