import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	addMessage,
	createCatalog,
	createInbox,
	createStock,
	markRead,
	readCatalog,
	readInbox,
	readMeta,
	readOnHand,
	readProduct,
	setOnHand,
	setProduct,
	unreadCount
} from '../../../src/lib/model';
import { countUpdates, replicaOf } from './helpers';

describe('catalog documents', () => {
	it('round-trips products keyed by sku', () => {
		const doc = new Y.Doc();
		createCatalog(doc, {
			products: { 'BEV-0001': { name: 'Sparkling water 1.5 L', unit: 'pack of 6', price: 390, active: true } }
		});
		setProduct(doc, 'BEV-0002', { name: 'Cola 33 cl', unit: 'case of 24', price: 1490, active: false });
		const copy = replicaOf(doc);
		expect(readMeta(copy)?.kind).toBe('catalog');
		expect(readCatalog(copy)).toEqual({
			'BEV-0001': { name: 'Sparkling water 1.5 L', unit: 'pack of 6', price: 390, active: true },
			'BEV-0002': { name: 'Cola 33 cl', unit: 'case of 24', price: 1490, active: false }
		});
		expect(readProduct(copy, 'BEV-0003')).toBeUndefined();
	});

	it('skips a write that changes nothing and refuses fractional prices', () => {
		const doc = new Y.Doc();
		const product = { name: 'Cola 33 cl', unit: 'case of 24', price: 1490, active: true };
		setProduct(doc, 'BEV-0002', product);
		expect(countUpdates(doc, () => setProduct(doc, 'BEV-0002', { ...product }))).toBe(0);
		expect(countUpdates(doc, () => setProduct(doc, 'BEV-0002', { ...product, active: false }))).toBe(1);
		expect(() => setProduct(doc, 'BEV-0002', { ...product, price: 14.9 })).toThrow(RangeError);
	});
});

describe('stock documents', () => {
	it('round-trips on-hand quantities', () => {
		const doc = new Y.Doc();
		createStock(doc, { onHand: { 'BEV-0001': 120 } });
		setOnHand(doc, 'BEV-0002', 0);
		const copy = replicaOf(doc);
		expect(readMeta(copy)?.kind).toBe('stock');
		expect(readOnHand(copy)).toEqual({ 'BEV-0001': 120, 'BEV-0002': 0 });
		expect(readOnHand(copy, 'BEV-0001')).toBe(120);
		expect(readOnHand(copy, 'never-stocked')).toBe(0);
		expect(countUpdates(doc, () => setOnHand(doc, 'BEV-0001', 120))).toBe(0);
		expect(() => setOnHand(doc, 'BEV-0001', 1.5)).toThrow(RangeError);
	});
});

describe('inbox documents', () => {
	it('round-trips messages and keeps the first read time', () => {
		const doc = new Y.Doc();
		createInbox(doc, {
			messages: [{ id: 'm1', kind: 'welcome', title: 'Welcome', body: 'Hello', at: '2025-03-10T07:00:00.000Z' }]
		});
		const id = addMessage(doc, { kind: 'order_confirmed', title: 'Order confirmed', body: '…', at: '2025-03-11T07:00:00.000Z' });
		expect(unreadCount(doc)).toBe(2);
		expect(markRead(doc, 'm1', '2025-03-12T07:00:00.000Z')).toBe(true);
		expect(markRead(doc, 'm1', '2025-03-13T07:00:00.000Z')).toBe(true);
		expect(markRead(doc, 'missing', '2025-03-13T07:00:00.000Z')).toBe(false);
		const copy = replicaOf(doc);
		expect(readMeta(copy)?.kind).toBe('inbox');
		expect(readInbox(copy)).toEqual([
			{ id: 'm1', kind: 'welcome', title: 'Welcome', body: 'Hello', at: '2025-03-10T07:00:00.000Z', readAt: '2025-03-12T07:00:00.000Z' },
			{ id, kind: 'order_confirmed', title: 'Order confirmed', body: '…', at: '2025-03-11T07:00:00.000Z', readAt: null }
		]);
		expect(unreadCount(copy)).toBe(1);
	});
});
