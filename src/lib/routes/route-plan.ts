import type { VisitPriority, VisitStatus } from '../model/visit';
import { isUsablePosition, type LatLng } from './geo';
import { evaluateRoute, optimiseRoute, type OptimiseMethod, type RouteOptions, type RouteStop } from './optimise';

/**
 * A rep's day as the planner sees it: which visits may still move, where the route
 * starts, and which visit documents need a new `sequence` / `plannedAt` afterwards.
 */

export interface DayStop {
	/** The visit's document name. */
	name: string;
	status: VisitStatus;
	sequence: number;
	/** The store's position; null when the account has no coordinates. */
	position: LatLng | null;
	appointmentAt: string | null;
	priority: VisitPriority;
	plannedAt: string | null;
	/** Where the rep checked in, if they did. */
	checkIn: LatLng | null;
}

export interface DayPlanOptions extends Omit<RouteOptions, 'start' | 'startAt'> {
	/** The rep's position now, when the device has one. */
	position?: LatLng | null;
	/** When the remaining route starts, epoch ms. */
	startAt: number;
}

export interface DayRoutePlan {
	/** Visit names in the new route order: visits already done first, as they were. */
	order: string[];
	/** Planned arrival (ISO) per movable visit; null for a visit that cannot be placed on the map. */
	plannedAt: Map<string, string | null>;
	/** Straight-line metres of the remaining route, before and after. */
	inputLengthM: number;
	lengthM: number;
	lateMinutes: number;
	method: OptimiseMethod;
	improved: boolean;
}

export interface VisitRouteWrite {
	name: string;
	fields: { sequence?: number; plannedAt?: string | null };
}

/** Only visits still to do are the planner's to move; the rest is history. */
export function isMovable(stop: Pick<DayStop, 'status'>): boolean {
	return stop.status === 'planned';
}

/** Route order as stored: by sequence, ties by name so every device agrees. */
export function byRouteOrder<T extends Pick<DayStop, 'sequence' | 'name'>>(stops: readonly T[]): T[] {
	return [...stops].sort((a, b) => a.sequence - b.sequence || a.name.localeCompare(b.name));
}

function parseTime(iso: string | null): number | null {
	if (iso === null) return null;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? null : ms;
}

/** Where the rest of the day starts: the device's position, else the last store visited. */
export function routeStart(stops: readonly DayStop[], position: LatLng | null | undefined): LatLng | null {
	if (isUsablePosition(position)) return position;
	const done = byRouteOrder(stops).filter((stop) => !isMovable(stop) && stop.status !== 'cancelled');
	for (let i = done.length - 1; i >= 0; i--) {
		const stop = done[i]!;
		if (isUsablePosition(stop.checkIn)) return stop.checkIn;
		if (stop.status !== 'skipped' && isUsablePosition(stop.position)) return stop.position;
	}
	return null;
}

function split(stops: readonly DayStop[]): { fixed: DayStop[]; routable: DayStop[]; unplaced: DayStop[] } {
	const ordered = byRouteOrder(stops);
	return {
		fixed: ordered.filter((stop) => !isMovable(stop)),
		routable: ordered.filter((stop) => isMovable(stop) && isUsablePosition(stop.position)),
		unplaced: ordered.filter((stop) => isMovable(stop) && !isUsablePosition(stop.position))
	};
}

function toRouteStop(stop: DayStop): RouteStop {
	return { id: stop.name, position: stop.position as LatLng, appointmentAt: parseTime(stop.appointmentAt), priority: stop.priority };
}

function planFrom(
	fixed: DayStop[],
	ordered: RouteStop[],
	unplaced: DayStop[],
	schedule: { id: string; arriveAt: number }[],
	stats: Pick<DayRoutePlan, 'inputLengthM' | 'lengthM' | 'lateMinutes' | 'method' | 'improved'>
): DayRoutePlan {
	const plannedAt = new Map<string, string | null>();
	for (const { id, arriveAt } of schedule) plannedAt.set(id, new Date(arriveAt).toISOString());
	for (const stop of unplaced) plannedAt.set(stop.name, null);
	return {
		order: [...fixed.map((s) => s.name), ...ordered.map((s) => s.id), ...unplaced.map((s) => s.name)],
		plannedAt,
		...stats
	};
}

/** The best order for the visits still to do, after those already done, unplaceable ones last. */
export function optimiseDay(stops: readonly DayStop[], options: DayPlanOptions): DayRoutePlan {
	const { fixed, routable, unplaced } = split(stops);
	const routeOptions: RouteOptions = { ...options, start: routeStart(stops, options.position), startAt: options.startAt };
	const input = routable.map(toRouteStop);
	const inputLengthM = evaluateRoute(input, routeOptions).lengthM;
	const result = optimiseRoute(input, routeOptions);
	const byId = new Map(input.map((stop) => [stop.id, stop]));
	const ordered = result.order.map((id) => byId.get(id) as RouteStop);
	return planFrom(fixed, ordered, unplaced, result.schedule, {
		inputLengthM,
		lengthM: result.lengthM,
		lateMinutes: result.lateMinutes,
		method: result.method,
		improved: result.improved
	});
}

/** Planned times for an order the rep chose by hand (`names`: the visits in their new order). */
export function scheduleDay(stops: readonly DayStop[], names: readonly string[], options: DayPlanOptions): DayRoutePlan {
	const rank = new Map(names.map((name, index) => [name, index]));
	const reordered = stops.map((stop) => ({ ...stop, sequence: rank.get(stop.name) ?? names.length + stop.sequence }));
	const { fixed, routable, unplaced } = split(reordered);
	const route = routable.map(toRouteStop);
	const evaluation = evaluateRoute(route, { ...options, start: routeStart(stops, options.position), startAt: options.startAt });
	// A hand-made order keeps every visit where the rep put it, placed or not.
	const plan = planFrom(fixed, route, unplaced, evaluation.schedule, {
		inputLengthM: evaluation.lengthM,
		lengthM: evaluation.lengthM,
		lateMinutes: evaluation.lateMinutes,
		method: 'input',
		improved: false
	});
	plan.order = [...fixed.map((s) => s.name), ...byRouteOrder([...routable, ...unplaced]).map((s) => s.name)];
	return plan;
}

/** The field writes that put a plan into the visit documents: only values that change. */
export function routeWrites(stops: readonly DayStop[], plan: Pick<DayRoutePlan, 'order' | 'plannedAt'>): VisitRouteWrite[] {
	const byName = new Map(stops.map((stop) => [stop.name, stop]));
	const writes: VisitRouteWrite[] = [];
	plan.order.forEach((name, index) => {
		const stop = byName.get(name);
		if (!stop) return;
		const fields: VisitRouteWrite['fields'] = {};
		if (stop.sequence !== index + 1) fields.sequence = index + 1;
		const plannedAt = plan.plannedAt.get(name);
		if (plannedAt !== undefined && plannedAt !== stop.plannedAt) fields.plannedAt = plannedAt;
		if (Object.keys(fields).length > 0) writes.push({ name, fields });
	});
	return writes;
}

/** The order with one visit moved a place up (-1) or down (+1); visits already done do not move. */
export function moveInRoute(stops: readonly DayStop[], name: string, delta: -1 | 1): string[] {
	const order = byRouteOrder(stops);
	const index = order.findIndex((stop) => stop.name === name);
	const target = index + delta;
	const names = order.map((stop) => stop.name);
	if (index < 0 || target < 0 || target >= order.length) return names;
	if (!isMovable(order[index]!) || !isMovable(order[target]!)) return names;
	names[index] = order[target]!.name;
	names[target] = name;
	return names;
}

/** Whether the hand-reorder buttons for this visit can do anything. */
export function canMove(stops: readonly DayStop[], name: string, delta: -1 | 1): boolean {
	return moveInRoute(stops, name, delta).some((n, i) => n !== byRouteOrder(stops)[i]?.name);
}

/**
 * When the day's remaining route starts: the planned start of the working day, or
 * now when planning a day already under way. `dayStart` is local wall-clock "HH:MM".
 */
export function routeStartTime(day: string, now: Date, dayStart = '08:30'): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	const time = /^(\d{1,2}):(\d{2})$/.exec(dayStart);
	if (!match) return now.getTime();
	const start = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(time?.[1] ?? 8), Number(time?.[2] ?? 30));
	return sameLocalDay(start, now) && now.getTime() > start.getTime() ? now.getTime() : start.getTime();
}

function sameLocalDay(a: Date, b: Date): boolean {
	return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
