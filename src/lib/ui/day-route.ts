import type { AccountFields } from '../model/account';
import type { VisitFields } from '../model/visit';
import type { MapMarker } from '../map/features';
import { isUsablePosition, type LatLng } from '../routes/geo';
import type { DayVisitRecord } from '../routes/plan-vs-actual';
import { byRouteOrder, type DayStop } from '../routes/route-plan';
import type { DeviceDocEntry } from '../sync/engine-types';
import { idOf } from './today';

/** One visit of a rep's day with what the screens need from its account. */
export interface DayVisit {
	/** The visit's document name. */
	name: string;
	id: string;
	fields: VisitFields;
	account: AccountFields | null;
	title: string;
	/** The store's position, when the account has coordinates. */
	position: LatLng | null;
}

/** Names of the visit documents planned on `day` (any rep: the index does not know whose they are). */
export function visitNamesOn(entries: readonly DeviceDocEntry[], day: string): string[] {
	return entries.filter((entry) => entry.kind === 'visit' && entry.day === day).map((entry) => entry.name);
}

export function accountDocName(accountId: string): string {
	return `account:${accountId}`;
}

/** Account documents the loaded visits point at. */
export function accountNamesOf(visits: Iterable<VisitFields>): string[] {
	const names = new Set<string>();
	for (const visit of visits) if (visit.accountId !== '') names.add(accountDocName(visit.accountId));
	return [...names].sort();
}

/**
 * The day's visits of one rep (or every rep for null), in route order. A visit whose
 * document moved to another day since the index was written is left out.
 */
export function buildDayVisits(
	day: string,
	visits: ReadonlyMap<string, VisitFields>,
	accounts: ReadonlyMap<string, AccountFields>,
	repId: string | null,
	accountIndex: ReadonlyMap<string, DeviceDocEntry>
): DayVisit[] {
	const result: (DayVisit & { sequence: number })[] = [];
	for (const [name, fields] of visits) {
		if (fields.plannedDate !== day) continue;
		if (repId !== null && fields.repId !== repId) continue;
		const account = accounts.get(accountDocName(fields.accountId)) ?? null;
		const title = account?.name || accountIndex.get(fields.accountId)?.title || fields.accountId || idOf(name);
		const position = account && isUsablePosition(account) ? { lat: account.lat as number, lng: account.lng as number } : null;
		result.push({ name, id: idOf(name), fields, account, title, position, sequence: fields.sequence });
	}
	return byRouteOrder(result);
}

export function toDayStop(visit: DayVisit): DayStop {
	const f = visit.fields;
	return {
		name: visit.name,
		status: f.status,
		sequence: f.sequence,
		position: visit.position,
		appointmentAt: f.appointmentAt,
		priority: f.priority,
		plannedAt: f.plannedAt,
		checkIn: checkInPosition(f)
	};
}

function checkInPosition(f: VisitFields): LatLng | null {
	const position = { lat: f.checkInLat, lng: f.checkInLng };
	return isUsablePosition(position) ? position : null;
}

export function toDayRecord(visit: DayVisit): DayVisitRecord {
	const f = visit.fields;
	const recordedStore = { lat: f.checkInStoreLat, lng: f.checkInStoreLng };
	return {
		name: visit.name,
		title: visit.title,
		sequence: f.sequence,
		status: f.status,
		plannedAt: f.plannedAt,
		appointmentAt: f.appointmentAt,
		checkInAt: f.checkInAt,
		checkOutAt: f.checkOutAt,
		checkIn: checkInPosition(f),
		store: isUsablePosition(recordedStore) ? recordedStore : visit.position,
		checkInDistanceM: f.checkInDistanceM,
		checkInReason: f.checkInReason,
		outcome: f.outcome
	};
}

/** Numbered markers in route order: the number is the place in the day, as the list shows it. */
export function routeMarkers(visits: readonly DayVisit[]): MapMarker[] {
	return visits.flatMap((visit, index) =>
		visit.position ? [{ name: visit.name, position: visit.position, label: String(index + 1), title: visit.title, status: visit.fields.status }] : []
	);
}

/** Where the route line runs: the rep (when known), then each store in order. */
export function routeLinePoints(visits: readonly DayVisit[], from: LatLng | null): LatLng[] {
	const stores = visits.filter((visit) => visit.fields.status !== 'cancelled' && visit.fields.status !== 'skipped').flatMap((v) => (v.position ? [v.position] : []));
	return from && isUsablePosition(from) ? [from, ...stores] : stores;
}
