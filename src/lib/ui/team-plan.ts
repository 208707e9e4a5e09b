import type { VisitFields } from '../model/visit';

/** Calendar days as YYYY-MM-DD strings, read as local dates and never shifted by time zone. */
function parseDay(day: string): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

function formatDayKey(date: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(day: string, days: number): string {
	const date = parseDay(day);
	if (!date) return day;
	date.setDate(date.getDate() + days);
	return formatDayKey(date);
}

/** Monday to Sunday of the week holding `day`. */
export function weekOf(day: string): string[] {
	const date = parseDay(day);
	if (!date) return [day];
	const monday = addDays(day, -((date.getDay() + 6) % 7));
	return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** "Mon 24" for a week strip. */
export function shortDay(day: string): string {
	const date = parseDay(day);
	if (!date) return day;
	return `${date.toLocaleDateString('en-GB', { weekday: 'short' })} ${date.getDate()}`;
}

export function isDay(value: string | null | undefined): value is string {
	return typeof value === 'string' && parseDay(value) !== null;
}

/** The place after the last visit a rep already has that day, so a new visit joins the end of the route. */
export function nextSequence(visits: Iterable<Pick<VisitFields, 'repId' | 'plannedDate' | 'sequence'>>, repId: string, day: string): number {
	let last = 0;
	for (const visit of visits) if (visit.repId === repId && visit.plannedDate === day) last = Math.max(last, visit.sequence);
	return Math.floor(last) + 1;
}

/** An appointment at local wall-clock `time` ("HH:MM") on `day`, as ISO UTC; null for no time. */
export function appointmentAt(day: string, time: string): string | null {
	const date = parseDay(day);
	const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
	if (!date || !match) return null;
	const hours = Number(match[1]);
	const minutes = Number(match[2]);
	if (hours > 23 || minutes > 59) return null;
	date.setHours(hours, minutes, 0, 0);
	return date.toISOString();
}

/** Visits grouped by rep id, each group in route order. */
export function groupByRep<T extends { fields: Pick<VisitFields, 'repId' | 'sequence'> }>(visits: readonly T[]): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const visit of visits) {
		const group = groups.get(visit.fields.repId) ?? [];
		group.push(visit);
		groups.set(visit.fields.repId, group);
	}
	for (const group of groups.values()) group.sort((a, b) => a.fields.sequence - b.fields.sequence);
	return groups;
}

/**
 * The place after every visit the device knows on `day`, whoever's it is: the index
 * does not say whose a visit is, and a number past the rep's last stop is all a new
 * visit needs (the rep's next optimisation renumbers the day).
 */
export function nextSequenceOnDay(entries: Iterable<{ kind: string; day: string | null; sequence: number | null }>, day: string): number {
	let last = 0;
	for (const entry of entries) if (entry.kind === 'visit' && entry.day === day && entry.sequence !== null) last = Math.max(last, entry.sequence);
	return Math.floor(last) + 1;
}

/** How many visits the device knows on each of `days`. */
export function visitCounts(entries: Iterable<{ kind: string; day: string | null; status: string | null }>, days: readonly string[]): Map<string, number> {
	const counts = new Map(days.map((day) => [day, 0]));
	for (const entry of entries) {
		if (entry.kind !== 'visit' || entry.day === null || entry.status === 'cancelled') continue;
		const count = counts.get(entry.day);
		if (count !== undefined) counts.set(entry.day, count + 1);
	}
	return counts;
}

/** The search part of a day screen's URL (without the '?'): the day, and the rep when it is not the viewer. */
export function dayParams(day: string, repId: string | null, viewerId: string | null): string {
	const params = new URLSearchParams({ date: day });
	if (repId && repId !== viewerId) params.set('rep', repId);
	return params.toString();
}
