import { distanceMeters, type LatLng } from './geo';

/**
 * Orders a day's stops to minimise travel from a start point, on the device, with
 * no server. Fixed-time appointments are near-hard constraints (a minute late costs
 * more than any detour in a city), high-priority stops pull towards the morning by a
 * tunable amount of travel per minute, and the result is never worse than the order
 * the rep already had. Pure and deterministic: the same input gives the same route.
 */

export type StopPriority = 'normal' | 'high';

export interface RouteStop {
	id: string;
	position: LatLng;
	/** Fixed-time appointment, epoch ms; the rep waits when early. */
	appointmentAt?: number | null;
	priority?: StopPriority;
	/** Minutes spent at this store; the route default otherwise. */
	serviceMinutes?: number;
}

export interface RouteOptions {
	/** Where the day starts (the rep's position or a depot); null lets the route begin at any stop. */
	start?: LatLng | null;
	/** When the route starts, epoch ms; only matters for appointments and priorities. */
	startAt?: number;
	/** Average door-to-door speed in a city, parking included. */
	speedKmh?: number;
	/** Streets are longer than the straight line between two shops. */
	detourFactor?: number;
	serviceMinutes?: number;
	/** Count the way back to the start (a depot) as part of the tour. */
	returnToStart?: boolean;
	/** Cost of each minute late at an appointment, in metres of travel. */
	latePenaltyMPerMinute?: number;
	/** Cost of each minute a high-priority stop waits in the day, in metres of travel. */
	priorityPenaltyMPerMinute?: number;
	/** Up to this many stops the optimiser searches every order (exact). */
	exactUpTo?: number;
}

export interface StopSchedule {
	id: string;
	/** When the rep reaches the store (after waiting for an appointment), epoch ms. */
	arriveAt: number;
	waitMinutes: number;
	lateMinutes: number;
	/** Straight-line metres from the previous point. */
	legM: number;
}

export interface RouteEvaluation {
	/** Stop ids in route order. */
	order: string[];
	/** Straight-line length of the tour in metres, from the start when there is one. */
	lengthM: number;
	/** What the optimiser minimises: length plus lateness and priority penalties, in metres. */
	cost: number;
	lateMinutes: number;
	schedule: StopSchedule[];
	/** When the last stop is done, epoch ms. */
	finishAt: number;
}

export type OptimiseMethod = 'input' | 'exact' | 'local-search';

export interface OptimisedRoute extends RouteEvaluation {
	method: OptimiseMethod;
	/** False when the input order was already as good as anything found (it is then returned as is). */
	improved: boolean;
}

export const ROUTE_DEFAULTS = {
	speedKmh: 25,
	detourFactor: 1.3,
	serviceMinutes: 20,
	latePenaltyMPerMinute: 50_000,
	priorityPenaltyMPerMinute: 100,
	exactUpTo: 8
} as const;

/** Replayed stops the clock-aware search may spend per optimisation: about 80 ms on the bench machine, and enough for 50 stops. */
const CONSTRAINED_BUDGET = 8_000_000;

/** Candidate neighbours per stop for Or-opt moves of untimed runs. */
const NEAR_NEIGHBOURS = 10;

/** Relative improvements smaller than this are float noise, not a better route. */
const EPSILON = 1e-9;

/** The problem in flat arrays: matrix index n is the start, n + 1 the end of the day. */
class RouteProblem {
	/**
	 * Stops the clock-aware search may still replay. A count, not a timer, so the same
	 * day gives the same route on any phone; it bounds the rare 100-stop day with many
	 * appointments instead of freezing the screen.
	 */
	budget = CONSTRAINED_BUDGET;
	readonly n: number;
	readonly size: number;
	readonly startNode: number;
	readonly endNode: number;
	readonly dist: Float64Array;
	readonly minutesPerMetre: number;
	readonly appointment: Float64Array;
	readonly high: Uint8Array;
	readonly service: Float64Array;
	readonly constrained: boolean;
	readonly lateWeight: number;
	readonly priorityWeight: number;
	readonly startAt: number;
	readonly hasStart: boolean;

	constructor(
		readonly stops: readonly RouteStop[],
		options: RouteOptions
	) {
		const n = stops.length;
		this.n = n;
		this.size = n + 2;
		this.startNode = n;
		this.endNode = n + 1;
		this.startAt = options.startAt ?? 0;
		this.hasStart = options.start != null;
		const speed = options.speedKmh ?? ROUTE_DEFAULTS.speedKmh;
		const detour = options.detourFactor ?? ROUTE_DEFAULTS.detourFactor;
		this.minutesPerMetre = (detour * 60) / (speed * 1000);
		this.lateWeight = options.latePenaltyMPerMinute ?? ROUTE_DEFAULTS.latePenaltyMPerMinute;
		this.priorityWeight = options.priorityPenaltyMPerMinute ?? ROUTE_DEFAULTS.priorityPenaltyMPerMinute;
		const defaultService = options.serviceMinutes ?? ROUTE_DEFAULTS.serviceMinutes;

		this.dist = new Float64Array(this.size * this.size);
		for (let i = 0; i < n; i++) {
			for (let j = i + 1; j < n; j++) {
				const d = distanceMeters(stops[i]!.position, stops[j]!.position);
				this.dist[i * this.size + j] = d;
				this.dist[j * this.size + i] = d;
			}
		}
		const start = options.start ?? null;
		if (start) {
			for (let i = 0; i < n; i++) {
				const d = distanceMeters(start, stops[i]!.position);
				this.dist[this.startNode * this.size + i] = d;
				this.dist[i * this.size + this.startNode] = d;
				// The end of the day is the start again only for a depot round trip; otherwise it is free.
				if (options.returnToStart) {
					this.dist[this.endNode * this.size + i] = d;
					this.dist[i * this.size + this.endNode] = d;
				}
			}
		}

		this.appointment = new Float64Array(n).fill(Number.NaN);
		this.high = new Uint8Array(n);
		this.service = new Float64Array(n);
		let constrained = false;
		for (let i = 0; i < n; i++) {
			const stop = stops[i]!;
			if (stop.appointmentAt != null && Number.isFinite(stop.appointmentAt)) {
				this.appointment[i] = (stop.appointmentAt - this.startAt) / 60_000;
				constrained = true;
			}
			if (stop.priority === 'high') {
				this.high[i] = 1;
				if (this.priorityWeight > 0) constrained = true;
			}
			this.service[i] = Math.max(0, stop.serviceMinutes ?? defaultService);
		}
		this.constrained = constrained;
	}

	d(a: number, b: number): number {
		return this.dist[a * this.size + b]!;
	}

	/** Whether the stop has a clock to keep (appointment or priority). */
	isTimed(s: number): boolean {
		return this.high[s] === 1 || !Number.isNaN(this.appointment[s]!);
	}

	#near: Uint8Array | null = null;

	/** Whether b is among a's nearest stops (or the start or end of the day, given as -1). */
	near(a: number, b: number): boolean {
		if (b < 0) return true;
		if (!this.#near) {
			const n = this.n;
			const count = Math.min(n - 1, NEAR_NEIGHBOURS);
			this.#near = new Uint8Array(n * n);
			const others = Array.from({ length: n }, (_, i) => i);
			for (let i = 0; i < n; i++) {
				others.sort((x, y) => this.d(i, x) - this.d(i, y));
				let taken = 0;
				for (const j of others) {
					if (j === i) continue;
					if (taken++ >= count) break;
					this.#near[i * n + j] = 1;
					this.#near[j * n + i] = 1;
				}
			}
		}
		return this.#near[a * this.n + b] === 1;
	}

	/**
	 * Cost of the route `order` from position `from` to its end, given the node before
	 * it, the minute clock and the cost so far. Stops early once past `limit`.
	 */
	costFrom(order: ArrayLike<number>, from: number, prev: number, clock: number, cost: number, limit = Infinity): number {
		const n = this.n;
		for (let k = from; k < n; k++) {
			const s = order[k]!;
			const leg = this.dist[prev * this.size + s]!;
			cost += leg;
			clock += leg * this.minutesPerMetre;
			const appointment = this.appointment[s]!;
			if (appointment === appointment) {
				if (clock < appointment) clock = appointment;
				else cost += this.lateWeight * (clock - appointment);
			}
			if (this.high[s] === 1) cost += this.priorityWeight * clock;
			if (cost > limit) return cost;
			clock += this.service[s]!;
			prev = s;
		}
		return cost + this.dist[prev * this.size + this.endNode]!;
	}

	cost(order: ArrayLike<number>): number {
		return this.costFrom(order, 0, this.startNode, 0, 0);
	}

	evaluate(order: ArrayLike<number>): RouteEvaluation {
		const schedule: StopSchedule[] = [];
		let prev = this.startNode;
		let clock = 0;
		let lengthM = 0;
		let lateMinutes = 0;
		for (let k = 0; k < this.n; k++) {
			const s = order[k]!;
			const legM = this.d(prev, s);
			lengthM += legM;
			clock += legM * this.minutesPerMetre;
			let waitMinutes = 0;
			let late = 0;
			const appointment = this.appointment[s]!;
			if (!Number.isNaN(appointment)) {
				if (clock < appointment) {
					waitMinutes = appointment - clock;
					clock = appointment;
				} else late = clock - appointment;
			}
			lateMinutes += late;
			schedule.push({ id: this.stops[s]!.id, arriveAt: this.startAt + clock * 60_000, waitMinutes, lateMinutes: late, legM });
			clock += this.service[s]!;
			prev = s;
		}
		lengthM += this.d(prev, this.endNode);
		return {
			order: Array.from(order, (s) => this.stops[s]!.id),
			lengthM,
			cost: this.cost(order),
			lateMinutes,
			schedule,
			finishAt: this.startAt + clock * 60_000
		};
	}
}

/** Deterministic pseudo-random numbers (mulberry32), so a route does not change between taps. */
function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function identity(n: number): Int32Array {
	const order = new Int32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	return order;
}

/** Greedy: always the closest stop not yet visited, from the start (or the first stop). */
function nearestNeighbour(problem: RouteProblem): Int32Array {
	const n = problem.n;
	const order = new Int32Array(n);
	const used = new Uint8Array(n);
	let prev = problem.startNode;
	for (let k = 0; k < n; k++) {
		let best = -1;
		let bestD = Infinity;
		for (let s = 0; s < n; s++) {
			if (used[s]) continue;
			// With no start every stop is at distance 0: begin at the first one given.
			const d = problem.d(prev, s);
			if (d < bestD) {
				bestD = d;
				best = s;
			}
		}
		order[k] = best;
		used[best] = 1;
		prev = best;
	}
	return order;
}

/**
 * Appointments in time order first, then every other stop inserted where it costs
 * least: a start that already respects the clock, which 2-opt alone rarely finds.
 */
function cheapestInsertion(problem: RouteProblem): Int32Array {
	const n = problem.n;
	const route: number[] = [];
	const rest: number[] = [];
	for (let s = 0; s < n; s++) (Number.isNaN(problem.appointment[s]!) ? rest : route).push(s);
	route.sort((a, b) => problem.appointment[a]! - problem.appointment[b]!);
	// High-priority stops are placed first so the rest fit around them.
	rest.sort((a, b) => problem.high[b]! - problem.high[a]! || problem.d(problem.startNode, a) - problem.d(problem.startNode, b));
	const buffer = new Int32Array(n);
	for (const stop of rest) {
		let bestAt = 0;
		let bestCost = Infinity;
		for (let at = 0; at <= route.length; at++) {
			let k = 0;
			for (let i = 0; i < at; i++) buffer[k++] = route[i]!;
			buffer[k++] = stop;
			for (let i = at; i < route.length; i++) buffer[k++] = route[i]!;
			const cost = problem.costFrom(buffer.subarray(0, k), 0, problem.startNode, 0, 0, bestCost);
			if (cost < bestCost) {
				bestCost = cost;
				bestAt = at;
			}
		}
		route.splice(bestAt, 0, stop);
	}
	return Int32Array.from(route);
}

/** 2-opt and Or-opt on pure distance, with O(1) move deltas. The path is start · order · end. */
function improveDistance(problem: RouteProblem, initial: Int32Array): Int32Array {
	const n = problem.n;
	// path[0] = start, path[1..n] = stops, path[n + 1] = end
	const path = new Int32Array(n + 2);
	path[0] = problem.startNode;
	path.set(initial, 1);
	path[n + 1] = problem.endNode;
	const d = (a: number, b: number) => problem.dist[a * problem.size + b]!;

	let improved = true;
	while (improved) {
		improved = false;
		// 2-opt: reverse path[i..j].
		for (let i = 1; i < n; i++) {
			for (let j = i + 1; j <= n; j++) {
				const a = path[i - 1]!;
				const b = path[i]!;
				const c = path[j]!;
				const e = path[j + 1]!;
				const delta = d(a, c) + d(b, e) - d(a, b) - d(c, e);
				if (delta < -EPSILON * (1 + d(a, b) + d(c, e))) {
					for (let lo = i, hi = j; lo < hi; lo++, hi--) {
						const t = path[lo]!;
						path[lo] = path[hi]!;
						path[hi] = t;
					}
					improved = true;
				}
			}
		}
		// Or-opt: move a run of 1–3 stops elsewhere, either way round.
		for (let length = 1; length <= 3; length++) {
			for (let i = 1; i + length - 1 <= n; i++) {
				const last = i + length - 1;
				const before = path[i - 1]!;
				const first = path[i]!;
				const end = path[last]!;
				const after = path[last + 1]!;
				const removeGain = d(before, first) + d(end, after) - d(before, after);
				let bestDelta = -EPSILON * (1 + removeGain);
				let bestK = -1;
				let bestReversed = false;
				for (let k = 0; k <= n; k++) {
					if (k >= i - 1 && k <= last) continue;
					const p = path[k]!;
					const q = path[k + 1]!;
					const base = d(p, q);
					const forward = d(p, first) + d(end, q) - base - removeGain;
					const backward = d(p, end) + d(first, q) - base - removeGain;
					if (forward < bestDelta) {
						bestDelta = forward;
						bestK = k;
						bestReversed = false;
					}
					if (backward < bestDelta) {
						bestDelta = backward;
						bestK = k;
						bestReversed = true;
					}
				}
				if (bestK >= 0) {
					moveRun(path, i, length, bestK, bestReversed);
					improved = true;
				}
			}
		}
	}
	return path.slice(1, n + 1);
}

/** Moves path[i .. i+length-1] to sit between path[k] and path[k+1] (k outside the run). */
function moveRun(path: Int32Array, i: number, length: number, k: number, reversed: boolean): void {
	const run = Array.from(path.subarray(i, i + length));
	if (reversed) run.reverse();
	const rest: number[] = [];
	let insertAt = -1;
	for (let p = 0; p < path.length; p++) {
		if (p >= i && p < i + length) continue;
		rest.push(path[p]!);
		if (p === k) insertAt = rest.length;
	}
	rest.splice(insertAt, 0, ...run);
	path.set(rest);
}

/**
 * 2-opt and Or-opt on the full cost (appointments, priorities): each move is priced
 * by replaying the day from the first changed position, which the prefix clock makes
 * O(n) instead of O(n) from the start every time.
 */
function improveConstrained(problem: RouteProblem, initial: Int32Array): Int32Array {
	const n = problem.n;
	const order = Int32Array.from(initial);
	const scratch = new Int32Array(n);
	// State before position k: previous node, clock, cost so far.
	const prevAt = new Int32Array(n + 1);
	const clockAt = new Float64Array(n + 1);
	const costAt = new Float64Array(n + 1);
	let current = 0;

	const refresh = (): void => {
		let prev = problem.startNode;
		let clock = 0;
		let cost = 0;
		for (let k = 0; k < n; k++) {
			prevAt[k] = prev;
			clockAt[k] = clock;
			costAt[k] = cost;
			const s = order[k]!;
			const leg = problem.d(prev, s);
			cost += leg;
			clock += leg * problem.minutesPerMetre;
			const appointment = problem.appointment[s]!;
			if (!Number.isNaN(appointment)) {
				if (clock < appointment) clock = appointment;
				else cost += problem.lateWeight * (clock - appointment);
			}
			if (problem.high[s] === 1) cost += problem.priorityWeight * clock;
			clock += problem.service[s]!;
			prev = s;
		}
		prevAt[n] = prev;
		clockAt[n] = clock;
		costAt[n] = cost;
		current = cost + problem.d(prev, problem.endNode);
	};
	// The day replayed inline with local copies: this loop runs millions of times, and a call per
	// candidate would box every floating-point argument.
	const { dist, size, appointment, high, service, minutesPerMetre, lateWeight, priorityWeight, endNode } = problem;
	const tryScratch = (from: number): boolean => {
		problem.budget -= n - from;
		const limit = current - EPSILON * (1 + current);
		let prev = prevAt[from]!;
		let clock = clockAt[from]!;
		let cost = costAt[from]!;
		for (let k = from; k < n; k++) {
			const s = scratch[k]!;
			const leg = dist[prev * size + s]!;
			cost += leg;
			clock += leg * minutesPerMetre;
			const due = appointment[s]!;
			if (due === due) {
				if (clock < due) clock = due;
				else cost += lateWeight * (clock - due);
			}
			if (high[s] === 1) cost += priorityWeight * clock;
			if (cost >= limit) return false;
			clock += service[s]!;
			prev = s;
		}
		cost += dist[prev * size + endNode]!;
		if (cost >= limit) return false;
		for (let k = from; k < n; k++) order[k] = scratch[k]!;
		refresh();
		return true;
	};

	refresh();
	let improved = true;
	while (improved && problem.budget > 0) {
		improved = false;
		for (let i = 0; i < n - 1 && problem.budget > 0; i++) {
			for (let j = i + 1; j < n; j++) {
				// Only reversals that join near neighbours: the distance pass already tried the rest.
				if (!problem.near(order[j]!, i === 0 ? -1 : order[i - 1]!) && !problem.near(order[i]!, j === n - 1 ? -1 : order[j + 1]!)) continue;
				for (let k = i; k <= j; k++) scratch[k] = order[i + j - k]!;
				for (let k = j + 1; k < n; k++) scratch[k] = order[k]!;
				if (tryScratch(i)) improved = true;
			}
		}
		for (let length = 1; length <= 3; length++) {
			for (let i = 0; i + length <= n && problem.budget > 0; i++) {
				// A single timed stop (appointment or priority) may go anywhere in the day; everything else
				// only next to one of its ends' near neighbours, since elsewhere only lengthens the day.
				const timed = length === 1 && problem.isTimed(order[i]!);
				const first = order[i]!;
				const last = order[i + length - 1]!;
				// Insert the run before position `to` of the order without it, as is and reversed.
				for (let to = 0; to <= n - length; to++) {
					if (to === i) continue;
					if (!timed) {
						const before = to === 0 ? -1 : to - 1 < i ? order[to - 1]! : order[to - 1 + length]!;
						const after = to === n - length ? -1 : to < i ? order[to]! : order[to + length]!;
						if (!problem.near(first, before) && !problem.near(last, before) && !problem.near(first, after) && !problem.near(last, after)) continue;
					}
					const from = to < i ? to : i;
					for (let turn = 0; turn < (length === 1 ? 1 : 2); turn++) {
						let w = from;
						for (let p = from; p < to; p++) scratch[w++] = p < i ? order[p]! : order[p + length]!;
						if (turn === 0) for (let r = 0; r < length; r++) scratch[w++] = order[i + r]!;
						else for (let r = length - 1; r >= 0; r--) scratch[w++] = order[i + r]!;
						for (let p = to; p < n - length; p++) scratch[w++] = p < i ? order[p]! : order[p + length]!;
						if (tryScratch(from)) improved = true;
					}
				}
			}
		}
	}
	return order;
}

/** A random segment-swap (double bridge): the classic kick that 2-opt cannot undo in one move. */
function doubleBridge(order: Int32Array, random: () => number): Int32Array {
	const n = order.length;
	const cuts = [1 + Math.floor(random() * (n - 3)), 0, 0];
	cuts[1] = cuts[0]! + 1 + Math.floor(random() * (n - cuts[0]! - 2));
	cuts[2] = cuts[1]! + 1 + Math.floor(random() * (n - cuts[1]! - 1));
	const [a, b, c] = cuts as [number, number, number];
	// A · C · B · D
	const result = new Int32Array(n);
	result.set(order.subarray(0, a), 0);
	result.set(order.subarray(b, c), a);
	result.set(order.subarray(a, b), a + c - b);
	result.set(order.subarray(c), c);
	return result;
}

/** Every order, pruned by the cost so far (each term only grows as the route goes on). */
function exhaustive(problem: RouteProblem, best: Int32Array): Int32Array {
	const n = problem.n;
	let bestCost = problem.cost(best);
	let bestOrder = Int32Array.from(best);
	const order = new Int32Array(n);
	const used = new Uint8Array(n);
	const visit = (k: number, prev: number, clock: number, cost: number): void => {
		if (k === n) {
			const total = cost + problem.d(prev, problem.endNode);
			if (total < bestCost - EPSILON * (1 + bestCost)) {
				bestCost = total;
				bestOrder = Int32Array.from(order);
			}
			return;
		}
		for (let s = 0; s < n; s++) {
			if (used[s]) continue;
			const leg = problem.d(prev, s);
			let nextCost = cost + leg;
			let nextClock = clock + leg * problem.minutesPerMetre;
			const appointment = problem.appointment[s]!;
			if (!Number.isNaN(appointment)) {
				if (nextClock < appointment) nextClock = appointment;
				else nextCost += problem.lateWeight * (nextClock - appointment);
			}
			if (problem.high[s] === 1) nextCost += problem.priorityWeight * nextClock;
			if (nextCost >= bestCost) continue;
			used[s] = 1;
			order[k] = s;
			visit(k + 1, s, nextClock + problem.service[s]!, nextCost);
			used[s] = 0;
		}
	};
	visit(0, problem.startNode, 0, 0);
	return bestOrder;
}

/** How many kicks the local search gets: enough to matter, bounded so 100 stops stay fast. */
function kicksFor(problem: RouteProblem): number {
	if (problem.n < 8) return 0;
	if (!problem.constrained) return problem.n <= 60 ? 60 : 30;
	return problem.n <= 30 ? 10 : problem.n <= 60 ? 4 : 2;
}

interface SearchStart {
	order: Int32Array;
	/** Shorten it on distance first (fast), then fix the clock: right for orders that ignore time. */
	distanceFirst: boolean;
}

function localSearch(problem: RouteProblem, starts: SearchStart[]): Int32Array {
	const improve = (order: Int32Array, distanceFirst: boolean) => {
		if (!problem.constrained) return improveDistance(problem, order);
		return improveConstrained(problem, distanceFirst ? improveDistance(problem, order) : order);
	};
	let best = starts[0]!.order;
	let bestCost = Infinity;
	for (const start of starts) {
		const candidate = improve(start.order, start.distanceFirst);
		const cost = problem.cost(candidate);
		if (cost < bestCost) {
			best = candidate;
			bestCost = cost;
		}
	}
	const random = seededRandom(problem.n * 7919 + 17);
	for (let kick = kicksFor(problem); kick > 0 && !(problem.constrained && problem.budget <= 0); kick--) {
		// A kicked tour keeps most of the day's timing: repair it with the clock-aware moves alone.
		const candidate = improve(doubleBridge(best, random), false);
		const cost = problem.cost(candidate);
		if (cost < bestCost - EPSILON * (1 + bestCost)) {
			best = candidate;
			bestCost = cost;
		}
	}
	return best;
}

/** The stops in the order given, with their schedule and cost. */
export function evaluateRoute(stops: readonly RouteStop[], options: RouteOptions = {}): RouteEvaluation {
	const problem = new RouteProblem(stops, options);
	return problem.evaluate(identity(problem.n));
}

/** The nearest-neighbour tour alone (no improvement): the baseline the bench compares against. */
export function nearestNeighbourRoute(stops: readonly RouteStop[], options: RouteOptions = {}): RouteEvaluation {
	const problem = new RouteProblem(stops, options);
	return problem.evaluate(nearestNeighbour(problem));
}

/** The best order found for the stops; the input order when nothing beats it. */
export function optimiseRoute(stops: readonly RouteStop[], options: RouteOptions = {}): OptimisedRoute {
	const problem = new RouteProblem(stops, options);
	const input = identity(problem.n);
	const inputCost = problem.cost(input);
	if (problem.n < 2) return { ...problem.evaluate(input), method: 'input', improved: false };

	let order: Int32Array;
	let method: OptimiseMethod;
	if (problem.n <= (options.exactUpTo ?? ROUTE_DEFAULTS.exactUpTo)) {
		order = exhaustive(problem, input);
		method = 'exact';
	} else {
		const starts: SearchStart[] = [
			{ order: nearestNeighbour(problem), distanceFirst: true },
			{ order: input, distanceFirst: true }
		];
		if (problem.constrained) starts.unshift({ order: cheapestInsertion(problem), distanceFirst: false });
		order = localSearch(problem, starts);
		method = 'local-search';
	}
	const cost = problem.cost(order);
	if (!(cost < inputCost - EPSILON * (1 + inputCost))) return { ...problem.evaluate(input), method: 'input', improved: false };
	return { ...problem.evaluate(order), method, improved: true };
}
