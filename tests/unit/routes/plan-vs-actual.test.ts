import { describe, expect, it } from 'vitest';
import type { LatLng } from '../../../src/lib/routes/geo';
import { planVsActual, type DayVisitRecord } from '../../../src/lib/routes/plan-vs-actual';

const ORIGIN = { lat: 45.75, lng: 4.85 };
function at(eastM: number, northM = 0): LatLng {
	return { lat: ORIGIN.lat + northM / 111_195, lng: ORIGIN.lng + eastM / (111_195 * Math.cos((ORIGIN.lat * Math.PI) / 180)) };
}

function record(name: string, sequence: number, extra: Partial<DayVisitRecord> = {}): DayVisitRecord {
	return {
		name,
		title: name,
		sequence,
		status: 'planned',
		plannedAt: null,
		appointmentAt: null,
		checkInAt: null,
		checkOutAt: null,
		checkIn: null,
		store: at(sequence * 1000),
		checkInDistanceM: null,
		checkInReason: null,
		outcome: null,
		...extra
	};
}

describe('plan vs actual', () => {
	const day = [
		record('visit:1', 1, {
			status: 'completed',
			plannedAt: '2026-11-24T08:30:00.000Z',
			checkInAt: '2026-11-24T08:36:00.000Z',
			checkIn: at(1000, 40)
		}),
		// Visited third instead of second, 600 m from the store, with a reason.
		record('visit:2', 2, {
			status: 'completed',
			plannedAt: '2026-11-24T09:10:00.000Z',
			checkInAt: '2026-11-24T10:40:00.000Z',
			checkIn: at(2000, 600),
			checkInReason: 'Met the owner at the market'
		}),
		record('visit:3', 3, {
			status: 'checked_in',
			appointmentAt: '2026-11-24T09:45:00.000Z',
			plannedAt: '2026-11-24T09:40:00.000Z',
			checkInAt: '2026-11-24T09:50:00.000Z',
			checkIn: at(3000)
		}),
		record('visit:4', 4, { status: 'skipped', checkInReason: null, outcome: 'not_visited' }),
		record('visit:5', 5, { plannedAt: '2026-11-24T11:30:00.000Z' }),
		record('visit:6', 6, { status: 'cancelled' })
	];

	it('lines up each planned visit with its check-in: position, time, distance off-site', () => {
		const { rows } = planVsActual(day, { dayOver: false });
		expect(rows.map((r) => [r.plannedPosition, r.actualPosition, r.result])).toEqual([
			[1, 1, 'visited'],
			[2, 3, 'visited'],
			[3, 2, 'in_progress'],
			[4, null, 'skipped'],
			[5, null, 'pending'],
			[6, null, 'cancelled']
		]);
		expect(rows[0]).toMatchObject({ delayMinutes: 6, offSite: false, outOfOrder: false });
		expect(rows[0]!.offSiteM).toBeCloseTo(40, 0);
		expect(rows[1]).toMatchObject({ delayMinutes: 90, offSite: true, outOfOrder: true, reason: 'Met the owner at the market' });
		expect(rows[1]!.offSiteM).toBeCloseTo(600, 0);
		// An appointment is the planned time when there is one.
		expect(rows[2]).toMatchObject({ plannedTime: '2026-11-24T09:45:00.000Z', delayMinutes: 5, outOfOrder: true });
	});

	it('sums up the day, and counts visits nobody came to as missed once the day is over', () => {
		const live = planVsActual(day, { dayOver: false }).summary;
		expect(live).toMatchObject({ planned: 5, visited: 3, skipped: 1, cancelled: 1, missed: 0, pending: 1, offSite: 1, outOfOrder: 2, late: 1 });
		expect(live.averageDelayMinutes).toBe(Math.round((6 + 90 + 5) / 3));
		expect(live.plannedDistanceM).toBeCloseTo(4000, -1);
		expect(live.actualDistanceM).toBeGreaterThan(2000);
		const over = planVsActual(day, { dayOver: true }).summary;
		expect(over).toMatchObject({ missed: 1, pending: 0 });
	});

	it('uses the recorded distance when a position is missing, and flags a check-in explained by a reason', () => {
		const { rows } = planVsActual(
			[
				record('visit:a', 1, { status: 'completed', checkInAt: '2026-11-24T08:00:00.000Z', checkInDistanceM: 350, store: null }),
				record('visit:b', 2, { status: 'completed', checkInAt: '2026-11-24T09:00:00.000Z', checkInReason: 'GPS unavailable' })
			],
			{ dayOver: true, radiusM: 300 }
		);
		expect(rows[0]).toMatchObject({ offSiteM: 350, offSite: true });
		expect(rows[1]).toMatchObject({ offSiteM: null, offSite: true, delayMinutes: null });
	});

	it('is empty for a day with no visits', () => {
		expect(planVsActual([], { dayOver: true })).toEqual({
			rows: [],
			summary: expect.objectContaining({ planned: 0, visited: 0, plannedDistanceM: 0, averageDelayMinutes: null })
		});
	});
});
