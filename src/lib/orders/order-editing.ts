import type * as Y from 'yjs';
import type { Product } from '../model/catalog';
import { addOrderLine, readOrderLines, updateOrderLine } from '../model/order';

/**
 * Adds one unit of a product: a product already on the order gets one more rather
 * than a second line, so the order reads as one line per product. Returns the line id.
 */
export function addProduct(order: Y.Doc, sku: string, product: Product): string {
	const existing = readOrderLines(order).find((line) => line.sku === sku);
	if (existing) {
		updateOrderLine(order, existing.id, { qty: existing.qty + 1 });
		return existing.id;
	}
	return addOrderLine(order, { sku, qty: 1, unitPrice: product.price });
}
