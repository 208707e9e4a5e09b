import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { availableStock } from '../../../src/lib/inventory/available-stock';
import { createAccount, createOrder, createStock, readOrder, type DocKind, type Product } from '../../../src/lib/model';
import { addProduct } from '../../../src/lib/orders/order-editing';
import { AccountNotOnDeviceError, startOrder } from '../../../src/lib/orders/start-order';
import type { DeviceDocEntry } from '../../../src/lib/sync/engine-types';
import {
	allocationText,
	canSubmit,
	isEditableByRep,
	orderRows,
	parseQuantity,
	searchProducts,
	sortOrders
} from '../../../src/lib/ui/order-view';

const CATALOG: Record<string, Product> = {
	'BEV-0001': { name: 'Sparkling water 1 L', unit: 'bottle', price: 95, active: true },
	'BEV-0002': { name: 'Still water 1 L', unit: 'bottle', price: 80, active: true },
	'SNK-0001': { name: 'Salted crisps', unit: 'bag', price: 150, active: true },
	'OLD-0001': { name: 'Discontinued water', unit: 'bottle', price: 10, active: false }
};

function newOrder(): Y.Doc {
	const doc = new Y.Doc();
	createOrder(doc, { accountId: 'acc-1', repId: 'u-rep', createdAt: '2026-11-24T09:00:00.000Z', warehouse: 'east', priceList: 'standard' });
	return doc;
}

describe('product search', () => {
	it('finds active products by name or SKU, ignoring case', () => {
		expect(searchProducts(CATALOG, 'water').map((hit) => hit.sku)).toEqual(['BEV-0001', 'BEV-0002']);
		expect(searchProducts(CATALOG, 'snk-0001').map((hit) => hit.sku)).toEqual(['SNK-0001']);
		expect(searchProducts(CATALOG, 'still 1 l').map((hit) => hit.sku)).toEqual(['BEV-0002']);
	});

	it('never offers inactive products', () => {
		expect(searchProducts(CATALOG, 'discontinued')).toEqual([]);
	});

	it('lists the catalog by name for an empty query, up to the limit', () => {
		expect(searchProducts(CATALOG, '', 2).map((hit) => hit.product.name)).toEqual(['Salted crisps', 'Sparkling water 1 L']);
	});
});

describe('order lines and totals', () => {
	it('adds a product once, then raises its quantity', () => {
		const order = newOrder();
		const first = addProduct(order, 'BEV-0001', CATALOG['BEV-0001']!);
		const again = addProduct(order, 'BEV-0001', CATALOG['BEV-0001']!);
		addProduct(order, 'SNK-0001', CATALOG['SNK-0001']!);
		expect(again).toBe(first);
		expect(readOrder(order).lines.map(({ sku, qty, unitPrice }) => ({ sku, qty, unitPrice }))).toEqual([
			{ sku: 'BEV-0001', qty: 2, unitPrice: 95 },
			{ sku: 'SNK-0001', qty: 1, unitPrice: 150 }
		]);
	});

	it('computes line totals from the price copied onto the line, and names unknown SKUs by SKU', () => {
		const rows = orderRows(
			[
				{ id: 'l1', sku: 'BEV-0001', qty: 3, unitPrice: 90 },
				{ id: 'l2', sku: 'GONE-1', qty: 2, unitPrice: 500 }
			],
			CATALOG,
			{ l1: { confirmed: 2, backordered: 1, reason: 'short stock', at: '2026-11-24T10:00:00Z' } }
		);
		expect(rows.map((row) => [row.name, row.total, row.allocation?.confirmed ?? null])).toEqual([
			['Sparkling water 1 L', 270, 2],
			['GONE-1', 1000, null]
		]);
	});

	it('describes the allocation of a line in words', () => {
		expect(allocationText({ qty: 5 }, null)).toBe('Awaiting confirmation');
		expect(allocationText({ qty: 5, fromVan: 2 }, null)).toBe('2 of 5 confirmed from your van, the rest awaiting confirmation');
		expect(allocationText({ qty: 5 }, { confirmed: 5, backordered: 0, reason: null, at: '' })).toBe('5 of 5 confirmed');
		expect(allocationText({ qty: 3 }, { confirmed: 2, backordered: 1, reason: 'insufficient_stock', at: '' })).toBe(
			'2 of 3 confirmed, 1 backordered · not enough stock'
		);
		expect(allocationText({ qty: 10 }, { confirmed: 6, backordered: 4, reason: null, at: '', fromVan: 3 })).toBe('6 of 10 confirmed (3 from your van), 4 backordered');
	});

	it('lets the rep edit drafts only, and submit only orders with lines', () => {
		expect(isEditableByRep('draft')).toBe(true);
		expect(isEditableByRep('submitted')).toBe(false);
		expect(isEditableByRep('confirmed')).toBe(false);
		expect(canSubmit([])).toBe(false);
		expect(canSubmit([{ id: 'l', sku: 's', qty: 1, unitPrice: 1 }])).toBe(true);
		expect(canSubmit([{ id: 'l', sku: 's', qty: 0, unitPrice: 1 }])).toBe(false);
	});

	it('accepts only positive whole quantities', () => {
		expect(parseQuantity('12')).toBe(12);
		expect(parseQuantity(' 3 ')).toBe(3);
		expect(parseQuantity('0')).toBeNull();
		expect(parseQuantity('1.5')).toBeNull();
		expect(parseQuantity('-2')).toBeNull();
		expect(parseQuantity('')).toBeNull();
	});

	it('sorts orders newest first', () => {
		const order = (name: string, day: string | null, updatedAt: string): DeviceDocEntry => ({
			name,
			kind: 'order',
			title: name,
			subtitle: null,
			territory: null,
			accountId: null,
			day,
			status: 'draft',
			sequence: null,
			searchText: '',
			updatedAt
		});
		const sorted = sortOrders([
			order('order:old', '2026-11-20', '2026-11-20T10:00:00Z'),
			order('order:new-early', '2026-11-24', '2026-11-24T08:00:00Z'),
			order('order:new-late', '2026-11-24', '2026-11-24T12:00:00Z')
		]);
		expect(sorted.map((o) => o.name)).toEqual(['order:new-late', 'order:new-early', 'order:old']);
	});
});

describe('available stock', () => {
	it('reads what the device knows of the warehouse, 0 for unknown products', () => {
		const stock = new Y.Doc();
		createStock(stock, { onHand: { 'BEV-0001': 40 } });
		expect(availableStock(stock, 'BEV-0001')).toBe(40);
		expect(availableStock(stock, 'NOPE')).toBe(0);
	});
});

/** Documents held in memory with the engine's open/release/create shape, counting what is open. */
class DeviceDocuments {
	readonly docs = new Map<string, Y.Doc>();
	readonly openCount = new Map<string, number>();

	async open(name: string): Promise<Y.Doc> {
		this.openCount.set(name, (this.openCount.get(name) ?? 0) + 1);
		let doc = this.docs.get(name);
		if (!doc) this.docs.set(name, (doc = new Y.Doc()));
		return doc;
	}

	release(name: string): void {
		this.openCount.set(name, (this.openCount.get(name) ?? 0) - 1);
	}

	async create(kind: DocKind, init: (doc: Y.Doc) => void, id = `new-${this.docs.size}`): Promise<string> {
		const doc = new Y.Doc();
		init(doc);
		this.docs.set(`${kind}:${id}`, doc);
		return `${kind}:${id}`;
	}
}

describe('starting an order', () => {
	it("creates a draft for the account with its price list and warehouse, and releases the account", async () => {
		const device = new DeviceDocuments();
		const account = new Y.Doc();
		createAccount(account, { name: 'Boulangerie', territory: 'north', priceList: 'standard', warehouse: 'east' });
		device.docs.set('account:acc-1', account);
		const now = new Date('2026-11-24T09:30:00.000Z');

		const id = await startOrder(device, 'acc-1', 'u-rep', now);

		const order = readOrder(device.docs.get(`order:${id}`)!);
		expect(order).toMatchObject({
			accountId: 'acc-1',
			repId: 'u-rep',
			createdAt: '2026-11-24T09:30:00.000Z',
			status: 'draft',
			warehouse: 'east',
			priceList: 'standard',
			lines: []
		});
		expect(device.openCount.get('account:acc-1')).toBe(0);
	});

	it('refuses an account the device has not received, and still releases it', async () => {
		const device = new DeviceDocuments();
		await expect(startOrder(device, 'missing', 'u-rep')).rejects.toBeInstanceOf(AccountNotOnDeviceError);
		expect(device.openCount.get('account:missing')).toBe(0);
		expect([...device.docs.keys()].filter((name) => name.startsWith('order:'))).toEqual([]);
	});
});
