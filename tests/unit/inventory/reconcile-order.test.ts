import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	describeAllocation,
	reconcileOrder,
	ReconcileInputError,
	REASON_INSUFFICIENT_STOCK,
	REASON_OUT_OF_STOCK,
	type ReconcileLine
} from '../../../server/inventory/reconcile-order';

const AT = '2026-11-24T09:00:00.000Z';

describe('reconcileOrder', () => {
	it('confirms an order in full when stock covers it', () => {
		const result = reconcileOrder({ lines: [{ id: 'l1', sku: 'X', qty: 4 }], onHand: { X: 10 }, allocated: { X: 2 }, at: AT });
		expect(result.status).toBe('confirmed');
		expect(result.allocation).toEqual({ l1: { confirmed: 4, backordered: 0, reason: null, at: AT } });
		expect(result.newlyConfirmed).toEqual({ X: 4 });
	});

	it('confirms what is left and backorders the rest: "6 of 10 confirmed, 4 backordered"', () => {
		const result = reconcileOrder({ lines: [{ id: 'l1', sku: 'X', qty: 10 }], onHand: { X: 12 }, allocated: { X: 6 }, at: AT });
		const line = result.allocation.l1;
		expect(line).toEqual({ confirmed: 6, backordered: 4, reason: REASON_INSUFFICIENT_STOCK, at: AT });
		expect(result.status).toBe('partially_confirmed');
		expect(line && describeAllocation(10, line)).toBe('6 of 10 confirmed, 4 backordered');
	});

	it('rejects an order when nothing is left, each line saying why', () => {
		const result = reconcileOrder({
			lines: [
				{ id: 'l1', sku: 'X', qty: 2 },
				{ id: 'l2', sku: 'UNKNOWN', qty: 1 }
			],
			onHand: { X: 5 },
			allocated: { X: 5 },
			at: AT
		});
		expect(result.status).toBe('rejected');
		expect(result.allocation.l1?.reason).toBe(REASON_OUT_OF_STOCK);
		expect(result.allocation.l2).toEqual({ confirmed: 0, backordered: 1, reason: REASON_OUT_OF_STOCK, at: AT });
	});

	it('serves two lines of one sku from the same remaining stock, in line order', () => {
		const result = reconcileOrder({
			lines: [
				{ id: 'a', sku: 'X', qty: 3 },
				{ id: 'b', sku: 'X', qty: 3 }
			],
			onHand: { X: 4 },
			allocated: {},
			at: AT
		});
		expect(result.allocation.a?.confirmed).toBe(3);
		expect(result.allocation.b?.confirmed).toBe(1);
		expect(result.newlyConfirmed).toEqual({ X: 4 });
	});

	it('treats stock already over-allocated (after a downward count) as nothing left', () => {
		const result = reconcileOrder({ lines: [{ id: 'l1', sku: 'X', qty: 1 }], onHand: { X: 2 }, allocated: { X: 5 }, at: AT });
		expect(result.allocation.l1?.confirmed).toBe(0);
	});

	it('an empty order is rejected', () => {
		expect(reconcileOrder({ lines: [], onHand: {}, allocated: {}, at: AT }).status).toBe('rejected');
	});

	it('never decides a line twice: a re-run over its own result changes nothing', () => {
		const lines = [{ id: 'l1', sku: 'X', qty: 10 }];
		const first = reconcileOrder({ lines, onHand: { X: 6 }, allocated: {}, at: AT });
		const again = reconcileOrder({ lines, onHand: { X: 100 }, allocated: first.newlyConfirmed, existing: first.allocation, at: 'later' });
		expect(again.allocation).toEqual(first.allocation);
		expect(again.status).toBe(first.status);
		expect(again.newlyConfirmed).toEqual({});
	});

	it('refuses lines no allocation can account for', () => {
		const bad = (line: ReconcileLine) => () => reconcileOrder({ lines: [line], onHand: { X: 9 }, allocated: {}, at: AT });
		expect(bad({ id: 'l1', sku: 'X', qty: -1 })).toThrow(ReconcileInputError);
		expect(bad({ id: 'l1', sku: 'X', qty: 1.5 })).toThrow(ReconcileInputError);
		expect(bad({ id: 'l1', sku: '', qty: 1 })).toThrow(ReconcileInputError);
		expect(() =>
			reconcileOrder({
				lines: [
					{ id: 'l1', sku: 'X', qty: 1 },
					{ id: 'l1', sku: 'X', qty: 1 }
				],
				onHand: { X: 9 },
				allocated: {},
				at: AT
			})
		).toThrow(/appears twice/);
	});
});

const SKUS = ['A', 'B', 'C'] as const;
const stockArb = fc.record({ A: fc.nat(20), B: fc.nat(20), C: fc.nat(20) });
const orderArb = fc
	.array(fc.record({ sku: fc.constantFrom(...SKUS), qty: fc.nat(12) }), { maxLength: 5 })
	.map((lines) => lines.map((line, index) => ({ id: `l${index}`, ...line })));

describe('reconcileOrder properties', () => {
	it('orders reconciled one after another never confirm more than on-hand, and account for every unit', () => {
		fc.assert(
			fc.property(stockArb, fc.array(orderArb, { maxLength: 12 }), (onHand, orders) => {
				const allocated: Record<string, number> = {};
				for (const lines of orders) {
					const result = reconcileOrder({ lines, onHand, allocated, at: AT });
					for (const line of lines) {
						const allocation = result.allocation[line.id];
						expect(allocation).toBeDefined();
						expect(allocation!.confirmed).toBeGreaterThanOrEqual(0);
						expect(allocation!.backordered).toBeGreaterThanOrEqual(0);
						expect(allocation!.confirmed + allocation!.backordered).toBe(line.qty);
					}
					for (const [sku, qty] of Object.entries(result.newlyConfirmed)) allocated[sku] = (allocated[sku] ?? 0) + qty;
					for (const sku of SKUS) expect(allocated[sku] ?? 0).toBeLessThanOrEqual(onHand[sku]);
				}
			})
		);
	});

	it('is idempotent: reconciling an already-allocated order again changes nothing', () => {
		fc.assert(
			fc.property(stockArb, orderArb, stockArb, (onHand, lines, laterStock) => {
				const first = reconcileOrder({ lines, onHand, allocated: {}, at: AT });
				const again = reconcileOrder({ lines, onHand: laterStock, allocated: first.newlyConfirmed, existing: first.allocation, at: 'x' });
				expect(again.allocation).toEqual(first.allocation);
				expect(again.status).toBe(first.status);
				expect(again.newlyConfirmed).toEqual({});
			})
		);
	});

	it('first synced is first served: an order never gets less than it would have had arriving later', () => {
		fc.assert(
			fc.property(stockArb, orderArb, orderArb, (onHand, first, second) => {
				const alone = reconcileOrder({ lines: first, onHand, allocated: {}, at: AT });
				const other = reconcileOrder({ lines: second, onHand, allocated: {}, at: AT });
				const after = reconcileOrder({ lines: first, onHand, allocated: other.newlyConfirmed, at: AT });
				for (const line of first) expect(alone.allocation[line.id]!.confirmed).toBeGreaterThanOrEqual(after.allocation[line.id]!.confirmed);
			})
		);
	});
});
