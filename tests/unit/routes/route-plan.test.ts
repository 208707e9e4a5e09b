import { describe, expect, it } from 'vitest';
import type { LatLng } from '../../../src/lib/routes/geo';
import { byRouteOrder, canMove, moveInRoute, optimiseDay, routeStart, routeStartTime, routeWrites, scheduleDay, type DayStop } from '../../../src/lib/routes/route-plan';

const ORIGIN = { lat: 45.75, lng: 4.85 };
function at(eastM: number): LatLng {
	return { lat: ORIGIN.lat, lng: ORIGIN.lng + eastM / (111_195 * Math.cos((ORIGIN.lat * Math.PI) / 180)) };
}

function visit(name: string, sequence: number, eastM: number | null, extra: Partial<DayStop> = {}): DayStop {
	return {
		name,
		sequence,
		status: 'planned',
		position: eastM === null ? null : at(eastM),
		appointmentAt: null,
		priority: 'normal',
		plannedAt: null,
		checkIn: null,
		...extra
	};
}

const START = Date.parse('2026-11-24T08:30:00.000Z');

describe("planning a rep's day", () => {
	it('orders the visits still to do after the ones already done, unplaceable ones last', () => {
		const stops = [
			visit('visit:done', 1, 0, { status: 'completed', checkIn: at(0) }),
			visit('visit:far', 2, 3000),
			visit('visit:no-coords', 3, null),
			visit('visit:near', 4, 1000),
			visit('visit:mid', 5, 2000)
		];
		const plan = optimiseDay(stops, { startAt: START });
		expect(plan.order).toEqual(['visit:done', 'visit:near', 'visit:mid', 'visit:far', 'visit:no-coords']);
		expect(plan.improved).toBe(true);
		expect(plan.lengthM).toBeLessThan(plan.inputLengthM);
		expect(plan.plannedAt.get('visit:no-coords')).toBeNull();
		expect(plan.plannedAt.has('visit:done')).toBe(false);
		expect(Date.parse(plan.plannedAt.get('visit:near')!)).toBeGreaterThan(START);
	});

	it('starts from the rep’s position when known, else from the last store visited', () => {
		const stops = [visit('visit:a', 1, 0, { status: 'completed', checkIn: at(50) }), visit('visit:b', 2, 500)];
		expect(routeStart(stops, at(4000))).toEqual(at(4000));
		expect(routeStart(stops, null)).toEqual(at(50));
		expect(routeStart([visit('visit:b', 1, 500)], null)).toBeNull();
	});

	it('writes only the sequences and planned times that change', () => {
		const stops = [visit('visit:a', 1, 1000, { plannedAt: '2026-11-24T08:33:07.000Z' }), visit('visit:b', 2, 2000)];
		const writes = routeWrites(stops, {
			order: ['visit:b', 'visit:a'],
			plannedAt: new Map([
				['visit:a', '2026-11-24T08:33:07.000Z'],
				['visit:b', '2026-11-24T09:00:00.000Z']
			])
		});
		expect(writes).toEqual([
			{ name: 'visit:b', fields: { sequence: 1, plannedAt: '2026-11-24T09:00:00.000Z' } },
			{ name: 'visit:a', fields: { sequence: 2 } }
		]);
		expect(routeWrites(stops, { order: ['visit:a', 'visit:b'], plannedAt: new Map() })).toEqual([]);
	});

	it('moves a visit up or down by hand, but never past one already done', () => {
		const stops = [visit('visit:done', 1, 0, { status: 'completed' }), visit('visit:b', 2, 1000), visit('visit:c', 3, 2000)];
		expect(moveInRoute(stops, 'visit:c', -1)).toEqual(['visit:done', 'visit:c', 'visit:b']);
		expect(moveInRoute(stops, 'visit:b', -1)).toEqual(['visit:done', 'visit:b', 'visit:c']);
		expect(moveInRoute(stops, 'visit:c', 1)).toEqual(['visit:done', 'visit:b', 'visit:c']);
		expect(canMove(stops, 'visit:b', -1)).toBe(false);
		expect(canMove(stops, 'visit:b', 1)).toBe(true);
		expect(canMove(stops, 'visit:done', 1)).toBe(false);
	});

	it('re-times a hand-made order without changing it', () => {
		const stops = [visit('visit:a', 1, 1000), visit('visit:b', 2, 2000), visit('visit:x', 3, null)];
		const plan = scheduleDay(stops, ['visit:b', 'visit:x', 'visit:a'], { startAt: START, position: null });
		expect(plan.order).toEqual(['visit:b', 'visit:x', 'visit:a']);
		expect(Date.parse(plan.plannedAt.get('visit:a')!)).toBeGreaterThan(Date.parse(plan.plannedAt.get('visit:b')!));
		expect(plan.plannedAt.get('visit:x')).toBeNull();
	});

	it('sorts by sequence, ties by name', () => {
		expect(byRouteOrder([visit('visit:b', 1, 0), visit('visit:a', 1, 0), visit('visit:c', 0, 0)]).map((s) => s.name)).toEqual([
			'visit:c',
			'visit:a',
			'visit:b'
		]);
	});

	it('starts the day at 08:30 local, or now when the day is under way', () => {
		const morning = new Date(2026, 10, 24, 7, 0);
		expect(routeStartTime('2026-11-24', morning)).toBe(new Date(2026, 10, 24, 8, 30).getTime());
		const noon = new Date(2026, 10, 24, 12, 0);
		expect(routeStartTime('2026-11-24', noon)).toBe(noon.getTime());
		expect(routeStartTime('2026-11-25', noon, '09:00')).toBe(new Date(2026, 10, 25, 9, 0).getTime());
	});
});
