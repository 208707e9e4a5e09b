import type { Product } from '../model/catalog';
import { describeAllocation, type Allocation, type OrderLine, type OrderStatus } from '../model/order';
import type { DeviceDocEntry } from '../sync/engine-types';
import { matchesWords, queryWords } from './search';

export interface ProductHit {
	sku: string;
	product: Product;
}

/** Active products whose name or SKU matches every word of the query, by name; at most `limit`. */
export function searchProducts(catalog: Readonly<Record<string, Product>>, query: string, limit = 20): ProductHit[] {
	const words = queryWords(query);
	return Object.entries(catalog)
		.filter(([sku, product]) => product.active && matchesWords(`${product.name} ${sku}`, words))
		.map(([sku, product]) => ({ sku, product }))
		.sort((a, b) => a.product.name.localeCompare(b.product.name) || a.sku.localeCompare(b.sku))
		.slice(0, limit);
}

export interface OrderRow {
	line: OrderLine;
	/** The catalog's name, or the SKU for a product the catalog no longer lists. */
	name: string;
	unit: string;
	total: number;
	allocation: Allocation | null;
}

export function orderRows(lines: readonly OrderLine[], catalog: Readonly<Record<string, Product>>, allocation: Readonly<Record<string, Allocation>>): OrderRow[] {
	return lines.map((line) => {
		const product = catalog[line.sku];
		return {
			line,
			name: product?.name ?? line.sku,
			unit: product?.unit ?? '',
			total: line.qty * line.unitPrice,
			allocation: allocation[line.id] ?? null
		};
	});
}

/** Once submitted, the order belongs to reconciliation: the rep only reads it. */
export function isEditableByRep(status: OrderStatus): boolean {
	return status === 'draft';
}

export function canSubmit(lines: readonly OrderLine[]): boolean {
	return lines.length > 0 && lines.every((line) => Number.isInteger(line.qty) && line.qty > 0);
}

/** A quantity field's text as a positive whole number, or null while it is not one. */
export function parseQuantity(text: string): number | null {
	const trimmed = text.trim();
	if (!/^\d+$/.test(trimmed)) return null;
	const qty = Number(trimmed);
	return Number.isSafeInteger(qty) && qty > 0 ? qty : null;
}

/** Orders newest first: by order day, then by last change. */
export function sortOrders(entries: readonly DeviceDocEntry[]): DeviceDocEntry[] {
	return entries
		.filter((entry) => entry.kind === 'order')
		.sort((a, b) => (b.day ?? '').localeCompare(a.day ?? '') || b.updatedAt.localeCompare(a.updatedAt));
}

const REASONS: Record<string, string> = {
	out_of_stock: 'out of stock',
	insufficient_stock: 'not enough stock'
};

/** What the server decided for one line, in words; before that, what the device promised from the van. */
export function allocationText(line: Pick<OrderLine, 'qty' | 'fromVan'>, allocation: Allocation | null): string {
	if (!allocation) {
		if (line.fromVan) return `${line.fromVan} of ${line.qty} confirmed from your van${line.fromVan < line.qty ? ', the rest awaiting confirmation' : ''}`;
		return 'Awaiting confirmation';
	}
	const text = describeAllocation(line.qty, allocation);
	return allocation.reason ? `${text} · ${REASONS[allocation.reason] ?? allocation.reason}` : text;
}
