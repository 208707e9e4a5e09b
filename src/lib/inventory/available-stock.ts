import type * as Y from 'yjs';
import { readOnHand } from '../model/stock';

/**
 * How many units of `sku` this device believes can still be ordered from the
 * warehouse whose `stock:<warehouse>` document is `stock`. For now the on-hand count
 * as last synced; the inventory work replaces this with on-hand minus reservations.
 */
export function availableStock(stock: Y.Doc, sku: string): number {
	return readOnHand(stock, sku);
}
