import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	addOrderLine,
	createOrder,
	orderTotal,
	readAllocation,
	readMeta,
	readOrder,
	removeOrderLine,
	setOrderFields,
	updateOrderLine,
	writeAllocation
} from '../../../src/lib/model';
import { countUpdates, replicaOf } from './helpers';

function newOrder(): Y.Doc {
	const doc = new Y.Doc();
	createOrder(doc, {
		accountId: 'acc-0001',
		repId: 'u-rep1',
		createdAt: '2025-03-12T09:15:00.000Z',
		warehouse: 'lyon-east',
		priceList: 'standard',
		lines: [
			{ id: 'l1', sku: 'BEV-0001', qty: 4, unitPrice: 1290 },
			{ id: 'l2', sku: 'WIN-0003', qty: 2, unitPrice: 5400 }
		]
	});
	return doc;
}

describe('order documents', () => {
	it('round-trips as a draft with no allocation', () => {
		const copy = replicaOf(newOrder());
		expect(readMeta(copy)?.kind).toBe('order');
		const order = readOrder(copy);
		expect(order).toEqual({
			accountId: 'acc-0001',
			repId: 'u-rep1',
			createdAt: '2025-03-12T09:15:00.000Z',
			status: 'draft',
			warehouse: 'lyon-east',
			priceList: 'standard',
			poNumber: null,
			lines: [
				{ id: 'l1', sku: 'BEV-0001', qty: 4, unitPrice: 1290 },
				{ id: 'l2', sku: 'WIN-0003', qty: 2, unitPrice: 5400 }
			],
			allocation: {}
		});
		expect(orderTotal(order)).toBe(4 * 1290 + 2 * 5400);
	});

	it('edits lines by id and refuses fractional quantities', () => {
		const doc = newOrder();
		const id = addOrderLine(doc, { sku: 'SNK-0007', qty: 1, unitPrice: 350 });
		expect(updateOrderLine(doc, 'l1', { qty: 6 })).toBe(true);
		expect(removeOrderLine(doc, 'l2')).toBe(true);
		expect(removeOrderLine(doc, 'l2')).toBe(false);
		expect(updateOrderLine(doc, 'l2', { qty: 1 })).toBe(false);
		expect(readOrder(doc).lines).toEqual([
			{ id: 'l1', sku: 'BEV-0001', qty: 6, unitPrice: 1290 },
			{ id, sku: 'SNK-0007', qty: 1, unitPrice: 350 }
		]);
		expect(() => updateOrderLine(doc, 'l1', { qty: 0.5 })).toThrow(RangeError);
		expect(() => addOrderLine(doc, { sku: 'x', qty: 1, unitPrice: 9.99 })).toThrow(RangeError);
	});

	it('records allocations per line and skips identical rewrites', () => {
		const doc = newOrder();
		setOrderFields(doc, { status: 'submitted', poNumber: 'PO-1234' });
		const allocation = { confirmed: 3, backordered: 1, reason: 'short stock', at: '2025-03-12T09:20:00.000Z' };
		expect(countUpdates(doc, () => writeAllocation(doc, 'l1', allocation))).toBe(1);
		expect(countUpdates(doc, () => writeAllocation(doc, 'l1', { ...allocation }))).toBe(0);
		writeAllocation(doc, 'l2', { confirmed: 2, backordered: 0, reason: null, at: '2025-03-12T09:20:00.000Z' });
		setOrderFields(doc, { status: 'partially_confirmed' });

		const copy = replicaOf(doc);
		expect(readAllocation(copy, 'l1')).toEqual(allocation);
		expect(readAllocation(copy, 'missing')).toBeUndefined();
		expect(readOrder(copy)).toMatchObject({
			status: 'partially_confirmed',
			poNumber: 'PO-1234',
			allocation: { l1: allocation, l2: { confirmed: 2, backordered: 0, reason: null } }
		});
	});
});
