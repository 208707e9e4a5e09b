import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	clearAttention,
	getConflict,
	listAttention,
	listConflicts,
	recordConflict,
	resolveConflict,
	setAttention
} from '../../../src/lib/model';
import { countUpdates, replicaOf } from './helpers';

describe('conflicts', () => {
	it('records both contenders and resolves once', () => {
		const doc = new Y.Doc();
		const id = recordConflict(doc, {
			field: 'phone',
			values: [
				{ value: '04 78 00 00 01', by: 'u-rep1', at: '2025-03-12T08:00:00.000Z' },
				{ value: '04 78 00 00 02', by: 'u-manager1', at: '2025-03-12T08:00:01.000Z' }
			]
		});
		expect(listConflicts(doc, { status: 'open' }).map((conflict) => conflict.id)).toEqual([id]);
		expect(resolveConflict(doc, id, { by: 'u-manager1', at: '2025-03-12T09:00:00.000Z' })).toBe(true);
		expect(countUpdates(doc, () => resolveConflict(doc, id, { by: 'u-rep1', at: '2025-03-12T10:00:00.000Z' }))).toBe(0);
		expect(resolveConflict(doc, 'missing', { by: 'u-rep1', at: '2025-03-12T10:00:00.000Z' })).toBe(false);

		const copy = replicaOf(doc);
		expect(listConflicts(copy, { status: 'open' })).toEqual([]);
		expect(getConflict(copy, id)).toEqual({
			id,
			field: 'phone',
			values: [
				{ value: '04 78 00 00 01', by: 'u-rep1', at: '2025-03-12T08:00:00.000Z' },
				{ value: '04 78 00 00 02', by: 'u-manager1', at: '2025-03-12T08:00:01.000Z' }
			],
			status: 'resolved',
			resolvedBy: 'u-manager1',
			resolvedAt: '2025-03-12T09:00:00.000Z'
		});
	});
});

describe('attention', () => {
	it('sets, skips repeats, and clears', () => {
		const doc = new Y.Doc();
		const record = { field: 'creditLimit', message: 'Open orders exceed the credit limit', at: '2025-03-12T08:00:00.000Z' };
		expect(setAttention(doc, 'credit-limit', record)).toBe(true);
		expect(countUpdates(doc, () => setAttention(doc, 'credit-limit', { ...record, at: '2025-03-12T09:00:00.000Z' }))).toBe(0);
		expect(listAttention(replicaOf(doc))).toEqual([{ ruleId: 'credit-limit', ...record }]);
		expect(clearAttention(doc, 'credit-limit')).toBe(true);
		expect(clearAttention(doc, 'credit-limit')).toBe(false);
		expect(listAttention(doc)).toEqual([]);
	});
});
