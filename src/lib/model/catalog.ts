import type * as Y from 'yjs';
import { initMeta } from './meta';
import { sameValue } from './records';
import { asBoolean, asNumber, asString, assertInteger, isPlainObject } from './values';

/** One catalog entry. Stored whole as a plain value: only admins and the server write it. */
export interface Product {
	name: string;
	/** Selling unit, e.g. "case of 24". */
	unit: string;
	/** Cents per unit. */
	price: number;
	active: boolean;
}

export interface CatalogInit {
	products?: Record<string, Product>;
}

export function catalogProducts(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('products');
}

export function createCatalog(doc: Y.Doc, init: CatalogInit = {}): void {
	doc.transact(() => {
		initMeta(doc, 'catalog');
		for (const [sku, product] of Object.entries(init.products ?? {})) setProduct(doc, sku, product);
	});
}

/** A stored product value, or undefined when it is not one (what a map event hands back as `oldValue`). */
export function toProduct(value: unknown): Product | undefined {
	if (!isPlainObject(value)) return undefined;
	return {
		name: asString(value.name),
		unit: asString(value.unit),
		price: asNumber(value.price),
		active: asBoolean(value.active)
	};
}

export function setProduct(doc: Y.Doc, sku: string, product: Product): void {
	assertInteger(product.price, 'price');
	const value: Product = { name: product.name, unit: product.unit, price: product.price, active: product.active };
	const products = catalogProducts(doc);
	if (sameValue(products.get(sku), value)) return;
	doc.transact(() => products.set(sku, value));
}

export function readProduct(doc: Y.Doc, sku: string): Product | undefined {
	return toProduct(catalogProducts(doc).get(sku));
}

/** sku → product, including inactive ones (old orders still refer to them). */
export function readCatalog(doc: Y.Doc): Record<string, Product> {
	const entries: [string, Product][] = [];
	for (const [sku, value] of catalogProducts(doc).entries()) {
		const product = toProduct(value);
		if (product) entries.push([sku, product]);
	}
	return Object.fromEntries(entries);
}
