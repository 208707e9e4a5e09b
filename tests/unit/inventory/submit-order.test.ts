import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { availableStock, counterKey, createOrder, createStock, publishSettlement, readOrder, readReservations, vanLeft, vanQuotaKey } from '../../../src/lib/model';
import { submitOrder } from '../../../src/lib/orders/submit-order';

function stockWithVan(onHand: number, van: number): Y.Doc {
	const stock = new Y.Doc();
	createStock(stock, { onHand: { X: onHand } });
	publishSettlement(stock, { reconciled: {}, allocated: { X: van }, vanQuota: { [vanQuotaKey('rep1', 'X')]: van } });
	return stock;
}

function draft(lines: Array<{ sku: string; qty: number }>): Y.Doc {
	const order = new Y.Doc();
	createOrder(order, { accountId: 'a1', repId: 'rep1', createdAt: '2026-11-24T09:00:00.000Z', warehouse: 'w', priceList: 'p', lines: lines.map((l) => ({ ...l, unitPrice: 100 })) });
	return order;
}

describe('submitting an order on the device', () => {
	it('takes what the van holds first, across lines of one product, and reserves the rest from the warehouse', () => {
		const stock = stockWithVan(10, 3);
		const order = draft([
			{ sku: 'X', qty: 2 },
			{ sku: 'X', qty: 4 }
		]);
		submitOrder(order, stock, { userId: 'rep1', deviceId: 'tablet' });
		const submitted = readOrder(order);
		expect(submitted.status).toBe('submitted');
		expect(submitted.reservedBy).toBe('rep1.tablet');
		expect(submitted.lines.map((l) => l.fromVan ?? 0)).toEqual([2, 1]);
		expect(readReservations(stock)).toEqual({ [counterKey('rep1.tablet', 'X')]: 3 });
		expect(vanLeft(stock, 'rep1', 'X')).toBe(0);
		// 10 on hand, 3 held in the van, 3 reserved by this order.
		expect(availableStock(stock, 'X')).toBe(4);
	});

	it('another rep\'s van is not this rep\'s to sell from', () => {
		const stock = stockWithVan(10, 3);
		const order = draft([{ sku: 'X', qty: 2 }]);
		submitOrder(order, stock, { userId: 'rep2', deviceId: 'phone' });
		expect(readOrder(order).lines[0]?.fromVan).toBeUndefined();
		expect(vanLeft(stock, 'rep1', 'X')).toBe(3);
	});

	it('without the stock document on the device the order is submitted without reserving', () => {
		const order = draft([{ sku: 'X', qty: 2 }]);
		submitOrder(order, null, { userId: 'rep1', deviceId: 'tablet' });
		expect(readOrder(order)).toMatchObject({ status: 'submitted' });
		expect(readOrder(order).reservedBy).toBeUndefined();
	});
});
