import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	addTask,
	createVisit,
	readMeta,
	readVisit,
	removeTask,
	renameTask,
	setTaskDone,
	setVisitFields,
	visitFields,
	visitReport
} from '../../../src/lib/model';
import { countUpdates, replicaOf } from './helpers';

function newVisit(): Y.Doc {
	const doc = new Y.Doc();
	createVisit(doc, {
		accountId: 'acc-0001',
		repId: 'u-rep1',
		plannedDate: '2025-03-12',
		sequence: 2,
		report: 'Met the owner.',
		tasks: [{ id: 't1', title: 'Check shelf facings' }]
	});
	return doc;
}

describe('visit documents', () => {
	it('round-trips with defaults for the check-in fields', () => {
		const copy = replicaOf(newVisit());
		expect(readMeta(copy)?.kind).toBe('visit');
		expect(readVisit(copy)).toEqual({
			accountId: 'acc-0001',
			repId: 'u-rep1',
			plannedDate: '2025-03-12',
			sequence: 2,
			status: 'planned',
			checkInAt: null,
			checkInLat: null,
			checkInLng: null,
			checkOutAt: null,
			outcome: null,
			appointmentAt: null,
			priority: 'normal',
			plannedAt: null,
			checkInDistanceM: null,
			checkInReason: null,
			checkInStoreLat: null,
			checkInStoreLng: null,
			report: 'Met the owner.',
			tasks: [{ id: 't1', title: 'Check shelf facings', done: false }]
		});
	});

	it('checks in and out through field writes', () => {
		const doc = newVisit();
		const updates = countUpdates(doc, () =>
			setVisitFields(doc, { status: 'checked_in', checkInAt: '2025-03-12T08:05:00.000Z', checkInLat: 45.77, checkInLng: 4.83 })
		);
		expect(updates).toBe(1);
		setVisitFields(doc, { status: 'completed', checkOutAt: '2025-03-12T08:30:00.000Z', outcome: 'order_taken' });
		expect(readVisit(doc)).toMatchObject({
			status: 'completed',
			checkInAt: '2025-03-12T08:05:00.000Z',
			checkInLat: 45.77,
			checkOutAt: '2025-03-12T08:30:00.000Z',
			outcome: 'order_taken'
		});
		expect(() => setVisitFields(doc, { sequence: 1.5 })).toThrow(RangeError);
	});

	it('writes the optional route fields only when given, and reads them back', () => {
		const doc = new Y.Doc();
		createVisit(doc, { accountId: 'acc-1', repId: 'u-rep1', plannedDate: '2025-03-12', sequence: 1 });
		expect([...visitFields(doc).keys()]).not.toContain('priority');
		expect(readVisit(doc).priority).toBe('normal');

		const planned = new Y.Doc();
		createVisit(planned, {
			accountId: 'acc-1',
			repId: 'u-rep1',
			plannedDate: '2025-03-12',
			sequence: 1,
			appointmentAt: '2025-03-12T09:30:00.000Z',
			priority: 'high'
		});
		setVisitFields(planned, {
			plannedAt: '2025-03-12T09:30:00.000Z',
			status: 'checked_in',
			checkInAt: '2025-03-12T09:41:00.000Z',
			checkInLat: 45.78,
			checkInLng: 4.83,
			checkInDistanceM: 1112,
			checkInReason: 'Met the buyer at the market',
			checkInStoreLat: 45.77,
			checkInStoreLng: 4.83
		});
		expect(readVisit(replicaOf(planned))).toMatchObject({
			appointmentAt: '2025-03-12T09:30:00.000Z',
			priority: 'high',
			plannedAt: '2025-03-12T09:30:00.000Z',
			checkInDistanceM: 1112,
			checkInReason: 'Met the buyer at the market',
			checkInStoreLat: 45.77,
			checkInStoreLng: 4.83
		});
	});

	it('reads an unknown priority as normal', () => {
		const doc = newVisit();
		visitFields(doc).set('priority', 'urgent');
		expect(readVisit(doc).priority).toBe('normal');
	});

	it('writes the report as shared text', () => {
		const doc = newVisit();
		visitReport(doc).insert(visitReport(doc).length, ' Wants the spring promo.');
		expect(readVisit(doc).report).toBe('Met the owner. Wants the spring promo.');
	});

	it('adds, ticks, renames and removes tasks', () => {
		const doc = newVisit();
		const id = addTask(doc, { title: 'Collect payment' });
		expect(setTaskDone(doc, id, true)).toBe(true);
		expect(countUpdates(doc, () => setTaskDone(doc, id, true))).toBe(0);
		expect(renameTask(doc, 't1', 'Count facings')).toBe(true);
		expect(readVisit(doc).tasks).toEqual([
			{ id: 't1', title: 'Count facings', done: false },
			{ id, title: 'Collect payment', done: true }
		]);
		expect(removeTask(doc, 't1')).toBe(true);
		expect(setTaskDone(doc, 't1', true)).toBe(false);
		expect(readVisit(doc).tasks.map((task) => task.id)).toEqual([id]);
	});
});
