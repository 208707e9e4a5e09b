import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMeters, type LatLng } from '../../../src/lib/routes/geo';
import { evaluateRoute, nearestNeighbourRoute, optimiseRoute, type RouteOptions, type RouteStop } from '../../../src/lib/routes/optimise';

const ORIGIN = { lat: 45.75, lng: 4.85 };
const DAY = Date.parse('2026-11-24T08:00:00.000Z');
const MINUTE = 60_000;

/** A point `eastM` metres east and `northM` metres north of the origin. */
function at(eastM: number, northM = 0): LatLng {
	return { lat: ORIGIN.lat + northM / 111_195, lng: ORIGIN.lng + eastM / (111_195 * Math.cos((ORIGIN.lat * Math.PI) / 180)) };
}

function stop(id: string, position: LatLng, extra: Partial<RouteStop> = {}): RouteStop {
	return { id, position, ...extra };
}

/** Seeded stops scattered over a city of about 10 × 8 km. */
function cityStops(n: number, seed: number): RouteStop[] {
	let state = seed;
	const random = () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
	return Array.from({ length: n }, (_, i) => stop(`s${i}`, at(random() * 10_000, random() * 8000)));
}

/** Every permutation's cost, to check the optimiser against the true optimum. */
function bruteForceCost(stops: RouteStop[], options: RouteOptions): number {
	let best = Infinity;
	const permute = (rest: RouteStop[], chosen: RouteStop[]) => {
		if (rest.length === 0) {
			best = Math.min(best, evaluateRoute(chosen, options).cost);
			return;
		}
		rest.forEach((s, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...chosen, s]));
	};
	permute(stops, []);
	return best;
}

/** The shortest open path from `start` through every stop, by trying every order. */
function shortestPathLength(start: LatLng, stops: RouteStop[]): number {
	const points = [start, ...stops.map((s) => s.position)];
	const d = points.map((a) => points.map((b) => distanceMeters(a, b)));
	const used = new Array<boolean>(points.length).fill(false);
	let best = Infinity;
	const walk = (from: number, left: number, length: number) => {
		if (length >= best) return;
		if (left === 0) {
			best = length;
			return;
		}
		for (let next = 1; next < points.length; next++) {
			if (used[next]) continue;
			used[next] = true;
			walk(next, left - 1, length + d[from]![next]!);
			used[next] = false;
		}
	};
	walk(0, stops.length, 0);
	return best;
}

describe('the route optimiser', () => {
	it('visits stops on a line in order from the end where the rep stands', () => {
		const line = [3000, 1000, 4000, 2000, 5000].map((m) => stop(`${m}`, at(m)));
		const result = optimiseRoute(line, { start: at(0) });
		expect(result.order).toEqual(['1000', '2000', '3000', '4000', '5000']);
		expect(result.lengthM).toBeCloseTo(5000, -1);
		expect(result.improved).toBe(true);
	});

	it('goes round a square instead of across it', () => {
		const corners = [stop('a', at(0, 0)), stop('c', at(1000, 1000)), stop('b', at(1000, 0)), stop('d', at(0, 1000))];
		const result = optimiseRoute(corners, { start: at(0, -10) });
		expect(result.order).toEqual(['a', 'b', 'c', 'd']);
		expect(result.lengthM).toBeCloseTo(3010, -1);
	});

	it('returns the input order untouched when it is already the best', () => {
		const line = [1000, 2000, 3000].map((m) => stop(`${m}`, at(m)));
		const result = optimiseRoute(line, { start: at(0) });
		expect(result).toMatchObject({ order: ['1000', '2000', '3000'], improved: false, method: 'input' });
	});

	it('handles no stops, one stop and no start point', () => {
		expect(optimiseRoute([], {}).order).toEqual([]);
		expect(optimiseRoute([stop('only', at(500))], { start: at(0) })).toMatchObject({ order: ['only'], lengthM: expect.closeTo(500, -1) });
		// With no start the route may begin anywhere: the line is walked end to end.
		const free = optimiseRoute([2000, 0, 4000, 1000].map((m) => stop(`${m}`, at(m))), {});
		expect(free.lengthM).toBeCloseTo(4000, -1);
	});

	it('reaches a fixed-time appointment on time even when it means a detour', () => {
		// The far store has a 08:20 appointment: with 20 minutes at each store, only going there first makes it.
		const stops = [stop('near-1', at(500)), stop('near-2', at(900)), stop('far', at(-4000), { appointmentAt: DAY + 20 * MINUTE })];
		const options = { start: at(0), startAt: DAY };
		const plain = optimiseRoute(stops.map((s) => ({ ...s, appointmentAt: null })), options);
		expect(plain.order.indexOf('far')).toBe(2);
		const result = optimiseRoute(stops, options);
		expect(result.order[0]).toBe('far');
		expect(result.lateMinutes).toBe(0);
		expect(result.schedule[0]!.arriveAt).toBeLessThanOrEqual(DAY + 20 * MINUTE);
	});

	it('waits for an appointment when early, and the schedule says so', () => {
		const evaluation = evaluateRoute([stop('a', at(1000), { appointmentAt: DAY + 60 * MINUTE })], { start: at(0), startAt: DAY, serviceMinutes: 30 });
		expect(evaluation.schedule[0]).toMatchObject({ id: 'a', arriveAt: DAY + 60 * MINUTE, lateMinutes: 0 });
		expect(evaluation.schedule[0]!.waitMinutes).toBeGreaterThan(55);
		expect(evaluation.finishAt).toBe(DAY + 90 * MINUTE);
	});

	it('pulls a high-priority stop towards the start of the day', () => {
		const stops = [1000, 2000, 3000, 4000].map((m) => stop(`${m}`, at(m)));
		const normal = optimiseRoute(stops, { start: at(0), startAt: DAY });
		expect(normal.order.at(-1)).toBe('4000');
		const urgent = optimiseRoute(stops.map((s) => (s.id === '4000' ? { ...s, priority: 'high' as const } : s)), { start: at(0), startAt: DAY });
		expect(urgent.order[0]).toBe('4000');
		// Priority is a trade, not a rule: with no weight the short route wins again.
		const weightless = optimiseRoute(stops.map((s) => (s.id === '4000' ? { ...s, priority: 'high' as const } : s)), {
			start: at(0),
			startAt: DAY,
			priorityPenaltyMPerMinute: 0
		});
		expect(weightless.order.at(-1)).toBe('4000');
	});

	it('finds the optimum of small random days (exact search)', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const stops = cityStops(7, seed).map((s, i) => (i === 2 ? { ...s, appointmentAt: DAY + 90 * MINUTE } : i === 4 ? { ...s, priority: 'high' as const } : s));
			const options = { start: at(5000, 4000), startAt: DAY };
			const result = optimiseRoute(stops, options);
			expect(result.cost).toBeCloseTo(Math.min(bruteForceCost(stops, options), evaluateRoute(stops, options).cost), 6);
		}
	});

	it('gets within a few per cent of the optimum by local search alone', () => {
		for (const seed of [11, 12, 13]) {
			const stops = cityStops(9, seed);
			const start = at(0, 0);
			const result = optimiseRoute(stops, { start, exactUpTo: 0 });
			expect(result.method === 'local-search' || result.method === 'input').toBe(true);
			expect(result.lengthM).toBeLessThanOrEqual(shortestPathLength(start, stops) * 1.03);
		}
	});

	it('is never worse than the input order, and returns every stop exactly once', () => {
		const stopArb = fc.record({
			east: fc.integer({ min: 0, max: 12_000 }),
			north: fc.integer({ min: 0, max: 9000 }),
			appointment: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
			high: fc.boolean()
		});
		fc.assert(
			fc.property(fc.array(stopArb, { minLength: 0, maxLength: 24 }), fc.boolean(), fc.boolean(), (raw, withStart, roundTrip) => {
				const stops = raw.map((r, i) =>
					stop(`s${i}`, at(r.east, r.north), {
						appointmentAt: r.appointment === null ? null : DAY + r.appointment * MINUTE,
						priority: r.high ? 'high' : 'normal'
					})
				);
				const options = { start: withStart ? at(6000, 4500) : null, startAt: DAY, returnToStart: roundTrip };
				const input = evaluateRoute(stops, options);
				const result = optimiseRoute(stops, options);
				expect(result.cost).toBeLessThanOrEqual(input.cost + 1e-6);
				expect([...result.order].sort()).toEqual(stops.map((s) => s.id).sort());
				expect(result.schedule.map((s) => s.id)).toEqual(result.order);
			}),
			{ numRuns: 150 }
		);
	});

	it('never lengthens a day with no appointments or priorities', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })), { maxLength: 40 }), (points) => {
				const stops = points.map(([e, n], i) => stop(`s${i}`, at(e, n)));
				const options = { start: at(5000, 5000) };
				expect(optimiseRoute(stops, options).lengthM).toBeLessThanOrEqual(evaluateRoute(stops, options).lengthM + 1e-6);
			}),
			{ numRuns: 60 }
		);
	});

	it('beats nearest neighbour on a city day of 50 stops, and gives the same route every time', () => {
		const stops = cityStops(50, 42);
		const options = { start: at(5000, 4000) };
		const first = optimiseRoute(stops, options);
		const nearest = nearestNeighbourRoute(stops, options);
		expect(first.lengthM).toBeLessThan(nearest.lengthM);
		expect(optimiseRoute(stops, options).order).toEqual(first.order);
	});

	it('counts the way back for a depot round trip', () => {
		const stops = [stop('a', at(1000)), stop('b', at(2000))];
		const open = evaluateRoute(stops, { start: at(0) });
		const round = evaluateRoute(stops, { start: at(0), returnToStart: true });
		expect(round.lengthM - open.lengthM).toBeCloseTo(distanceMeters(at(2000), at(0)), 3);
	});
});
