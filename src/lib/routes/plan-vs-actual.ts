import type { VisitStatus } from '../model/visit';
import { distanceMeters, isUsablePosition, pathLengthMeters, type LatLng } from './geo';
import { DEFAULT_GEOFENCE_RADIUS_M } from './geofence';

/** One visit of a day, as plan vs actual compares it. */
export interface DayVisitRecord {
	/** The visit's document name. */
	name: string;
	title: string;
	sequence: number;
	status: VisitStatus;
	plannedAt: string | null;
	appointmentAt: string | null;
	checkInAt: string | null;
	checkOutAt: string | null;
	checkIn: LatLng | null;
	/** The store's position: recorded at check-in, else the account's. */
	store: LatLng | null;
	/** Metres from the store the device recorded at check-in, if any. */
	checkInDistanceM: number | null;
	checkInReason: string | null;
	outcome: string | null;
}

/**
 * What became of a planned visit: visited (checked in), skipped by the rep, cancelled
 * by the office, missed (the day is over and nobody came), or still to do.
 */
export type VisitResult = 'visited' | 'in_progress' | 'skipped' | 'cancelled' | 'missed' | 'pending';

export interface PlanVsActualRow {
	name: string;
	title: string;
	/** 1-based place in the plan. */
	plannedPosition: number;
	/** 1-based place among the day's check-ins, by time; null when not checked in. */
	actualPosition: number | null;
	/** Planned time: the appointment, else the planned arrival. */
	plannedTime: string | null;
	actualTime: string | null;
	/** Check-in minus planned time, in whole minutes (negative: early). */
	delayMinutes: number | null;
	/** Metres between the check-in position and the store; null without both. */
	offSiteM: number | null;
	/** Checked in outside the geofence (or with no position, which the rep had to explain). */
	offSite: boolean;
	/** Visited in another place of the order than planned. */
	outOfOrder: boolean;
	result: VisitResult;
	reason: string | null;
	outcome: string | null;
}

export interface DaySummary {
	planned: number;
	visited: number;
	skipped: number;
	cancelled: number;
	missed: number;
	pending: number;
	offSite: number;
	outOfOrder: number;
	/** Visits more than the tolerance after their planned time. */
	late: number;
	/** Store to store in planned order, metres (straight line). */
	plannedDistanceM: number;
	/** Check-in to check-in in actual order, metres (straight line). */
	actualDistanceM: number;
	/** Mean of the delays of visits with a planned time, minutes; null when none. */
	averageDelayMinutes: number | null;
}

export interface PlanVsActual {
	rows: PlanVsActualRow[];
	summary: DaySummary;
}

export interface PlanVsActualOptions {
	radiusM?: number;
	/** Whether the day is over, so planned visits nobody checked into count as missed. */
	dayOver: boolean;
	/** A check-in this many minutes after plan is still on time. */
	lateToleranceMinutes?: number;
}

function minutesBetween(fromIso: string | null, toIso: string | null): number | null {
	if (fromIso === null || toIso === null) return null;
	const from = Date.parse(fromIso);
	const to = Date.parse(toIso);
	if (Number.isNaN(from) || Number.isNaN(to)) return null;
	return Math.round((to - from) / 60_000);
}

function resultOf(visit: DayVisitRecord, dayOver: boolean): VisitResult {
	switch (visit.status) {
		case 'completed':
			return 'visited';
		case 'checked_in':
			return 'in_progress';
		case 'skipped':
			return 'skipped';
		case 'cancelled':
			return 'cancelled';
		case 'planned':
			return dayOver ? 'missed' : 'pending';
	}
}

function offSiteDistance(visit: DayVisitRecord): number | null {
	if (isUsablePosition(visit.checkIn) && isUsablePosition(visit.store)) return distanceMeters(visit.checkIn, visit.store);
	return visit.checkInDistanceM;
}

/** The day's plan against what happened, visit by visit and in total. */
export function planVsActual(visits: readonly DayVisitRecord[], options: PlanVsActualOptions): PlanVsActual {
	const radiusM = options.radiusM ?? DEFAULT_GEOFENCE_RADIUS_M;
	const tolerance = options.lateToleranceMinutes ?? 15;
	const planned = [...visits].sort((a, b) => a.sequence - b.sequence || a.name.localeCompare(b.name));
	const checkedIn = planned
		.filter((visit) => visit.checkInAt !== null && !Number.isNaN(Date.parse(visit.checkInAt)))
		.sort((a, b) => Date.parse(a.checkInAt!) - Date.parse(b.checkInAt!) || a.sequence - b.sequence);
	const actualPosition = new Map(checkedIn.map((visit, index) => [visit.name, index + 1]));
	// Out of order is judged among the visits that happened: skipping one is not reordering.
	const expectedPosition = new Map(
		planned.filter((visit) => actualPosition.has(visit.name)).map((visit, index) => [visit.name, index + 1])
	);

	const rows = planned.map((visit, index): PlanVsActualRow => {
		const plannedTime = visit.appointmentAt ?? visit.plannedAt;
		const offSiteM = visit.checkInAt === null ? null : offSiteDistance(visit);
		const position = actualPosition.get(visit.name) ?? null;
		return {
			name: visit.name,
			title: visit.title,
			plannedPosition: index + 1,
			actualPosition: position,
			plannedTime,
			actualTime: visit.checkInAt,
			delayMinutes: visit.checkInAt === null ? null : minutesBetween(plannedTime, visit.checkInAt),
			offSiteM,
			offSite: visit.checkInAt !== null && (offSiteM === null ? visit.checkInReason !== null : offSiteM > radiusM),
			outOfOrder: position !== null && position !== expectedPosition.get(visit.name),
			result: resultOf(visit, options.dayOver),
			reason: visit.checkInReason,
			outcome: visit.outcome
		};
	});

	const delays = rows.map((row) => row.delayMinutes).filter((delay): delay is number => delay !== null);
	const count = (result: VisitResult) => rows.filter((row) => row.result === result).length;
	const plannedStores = planned.filter((visit) => visit.status !== 'cancelled').map((visit) => visit.store).filter(isUsablePosition);
	const actualPoints = checkedIn.map((visit) => (isUsablePosition(visit.checkIn) ? visit.checkIn : visit.store)).filter(isUsablePosition);
	return {
		rows,
		summary: {
			planned: rows.filter((row) => row.result !== 'cancelled').length,
			visited: count('visited') + count('in_progress'),
			skipped: count('skipped'),
			cancelled: count('cancelled'),
			missed: count('missed'),
			pending: count('pending'),
			offSite: rows.filter((row) => row.offSite).length,
			outOfOrder: rows.filter((row) => row.outOfOrder).length,
			late: delays.filter((delay) => delay > tolerance).length,
			plannedDistanceM: pathLengthMeters(plannedStores),
			actualDistanceM: pathLengthMeters(actualPoints),
			averageDelayMinutes: delays.length === 0 ? null : Math.round(delays.reduce((sum, d) => sum + d, 0) / delays.length)
		}
	};
}
