import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createStock, readOnHand, setOnHand } from '../../../src/lib/model/stock';
import {
	availableBySku,
	availableStock,
	counterKey,
	counterWriter,
	parseCounterKey,
	publishSettlement,
	readReservations,
	reserveStock,
	unreconciledBySku
} from '../../../src/lib/model/stock-counters';
import { exchange, replicaOf } from './helpers';

function warehouse(onHand: Record<string, number>): Y.Doc {
	const doc = new Y.Doc();
	createStock(doc, { onHand });
	return doc;
}

describe('stock reservation counters', () => {
	it('lowers the shown stock as soon as an order is submitted offline', () => {
		const doc = warehouse({ 'COF-0001': 10 });
		reserveStock(doc, counterWriter('rep1', 'tablet'), { 'COF-0001': 4 });
		expect(availableStock(doc, 'COF-0001')).toBe(6);
		expect(readOnHand(doc, 'COF-0001')).toBe(10);
	});

	it('counts concurrent reservations from two devices and an office receipt after they merge', () => {
		const server = warehouse({ 'COF-0001': 10 });
		const rep1 = replicaOf(server);
		const rep2 = replicaOf(server);
		reserveStock(rep1, counterWriter('rep1', 'a'), { 'COF-0001': 3 });
		reserveStock(rep2, counterWriter('rep2', 'b'), { 'COF-0001': 4 });
		setOnHand(server, 'COF-0001', 15);
		exchange(rep1, server);
		exchange(rep2, server);
		exchange(rep1, server);
		for (const doc of [server, rep1, rep2]) expect(availableStock(doc, 'COF-0001')).toBe(15 - 3 - 4);
	});

	it('keeps one writer\'s successive reservations as one growing total', () => {
		const doc = warehouse({ X: 20 });
		const writer = counterWriter('rep1', 'a');
		reserveStock(doc, writer, { X: 2 });
		reserveStock(doc, writer, { X: 5, Y: 1 });
		expect(readReservations(doc)).toEqual({ [counterKey(writer, 'X')]: 7, [counterKey(writer, 'Y')]: 1 });
	});

	it('stops counting a reservation once the server has settled it, and shows the allocation instead', () => {
		const doc = warehouse({ X: 10 });
		const writer = counterWriter('rep1', 'a');
		reserveStock(doc, writer, { X: 8 });
		publishSettlement(doc, { reconciled: { [counterKey(writer, 'X')]: 8 }, allocated: { X: 6 } });
		expect(unreconciledBySku(doc, writer)).toEqual({});
		expect(availableStock(doc, 'X')).toBe(4);
	});

	it('never shows a negative figure, nor a negative pending amount when settlement runs ahead', () => {
		const doc = warehouse({ X: 3 });
		const writer = counterWriter('rep1', 'a');
		reserveStock(doc, writer, { X: 5 });
		expect(availableStock(doc, 'X')).toBe(0);
		publishSettlement(doc, { reconciled: { [counterKey(writer, 'X')]: 9 }, allocated: {} });
		expect(unreconciledBySku(doc)).toEqual({});
		expect(availableBySku(doc)).toEqual({ X: 3 });
	});

	it('ignores counter entries in no known shape instead of failing', () => {
		const doc = warehouse({ X: 10 });
		doc.getMap('reservations').set('garbage', 5);
		doc.getMap('reservations').set(counterKey(counterWriter('u', 'd'), 'X'), 'two');
		expect(availableStock(doc, 'X')).toBe(10);
	});

	it('publishing the same settlement twice emits no update', () => {
		const doc = warehouse({ X: 10 });
		const totals = { reconciled: { [counterKey('u.d', 'X')]: 2 }, allocated: { X: 2 } };
		publishSettlement(doc, totals);
		let updates = 0;
		doc.on('update', () => updates++);
		publishSettlement(doc, totals);
		expect(updates).toBe(0);
	});

	it('refuses ids that would make a key ambiguous and negative or fractional reservations', () => {
		expect(() => counterWriter('rep|1', 'a')).toThrow(RangeError);
		expect(() => counterWriter('rep1', 'a.b')).toThrow(RangeError);
		const doc = warehouse({ X: 1 });
		expect(() => reserveStock(doc, 'u.d', { X: -1 })).toThrow(RangeError);
		expect(() => reserveStock(doc, 'u.d', { X: 1.5 })).toThrow(RangeError);
		expect(readReservations(doc)).toEqual({});
	});

	it('parses a key back into its user, writer and sku', () => {
		expect(parseCounterKey('rep1.tablet|COF-0001')).toEqual({ writer: 'rep1.tablet', userId: 'rep1', sku: 'COF-0001' });
		expect(parseCounterKey('rep1|X')).toBeUndefined();
		expect(parseCounterKey('.d|X')).toBeUndefined();
	});

	it('property: concurrent reservations from several replicas all count after any merge order', () => {
		const skus = ['A', 'B', 'C'] as const;
		const step = fc.oneof(
			fc.record({ kind: fc.constant('reserve' as const), replica: fc.nat(4), sku: fc.constantFrom(...skus), qty: fc.integer({ min: 1, max: 9 }) }),
			fc.record({ kind: fc.constant('sync' as const), a: fc.nat(4), b: fc.nat(4) })
		);
		fc.assert(
			fc.property(fc.array(step, { maxLength: 60 }), fc.array(fc.nat(4), { minLength: 5, maxLength: 5 }), (steps, finalOrder) => {
				const origin = warehouse({ A: 1000, B: 1000, C: 1000 });
				const replicas = Array.from({ length: 5 }, () => replicaOf(origin));
				const expected: Record<string, number> = { A: 0, B: 0, C: 0 };
				for (const s of steps) {
					if (s.kind === 'reserve') {
						const doc = replicas[s.replica];
						if (!doc) throw new Error('no replica');
						reserveStock(doc, counterWriter(`rep${s.replica}`, 'dev'), { [s.sku]: s.qty });
						expected[s.sku] = (expected[s.sku] ?? 0) + s.qty;
					} else {
						const a = replicas[s.a];
						const b = replicas[s.b];
						if (a && b && a !== b) exchange(a, b);
					}
				}
				// Everyone meets the server in some order, twice, as reconnects would.
				for (let round = 0; round < 2; round++) {
					for (const index of finalOrder) exchange(replicas[index] ?? origin, origin);
					for (const doc of replicas) exchange(doc, origin);
				}
				for (const doc of [origin, ...replicas]) {
					const pending = unreconciledBySku(doc);
					for (const sku of skus) expect(pending[sku] ?? 0).toBe(expected[sku]);
					expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(origin));
				}
			}),
			{ numRuns: 150 }
		);
	});
});
