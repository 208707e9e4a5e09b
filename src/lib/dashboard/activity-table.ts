import type { DeviceActivityRow } from '../protocol/office-api';

export const ACTIVITY_COLUMNS = ['user', 'device', 'state', 'lastSync', 'waiting', 'errors'] as const;
export type ActivityColumn = (typeof ACTIVITY_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

export interface ActivitySort {
	column: ActivityColumn;
	direction: SortDirection;
}

/** Oldest sync first: the devices someone should call about are on top. */
export const DEFAULT_ACTIVITY_SORT: ActivitySort = { column: 'lastSync', direction: 'asc' };

/** Problems on a row: refused writes, flagged records and the device's own error. */
export function errorCount(row: DeviceActivityRow): number {
	return row.refusedWrites + row.flagged + (row.deviceError ? 1 : 0);
}

function stateRank(row: DeviceActivityRow): number {
	return row.connected ? 0 : row.stale ? 2 : 1;
}

function compare(a: DeviceActivityRow, b: DeviceActivityRow, column: ActivityColumn): number {
	switch (column) {
		case 'user':
			return a.displayName.localeCompare(b.displayName);
		case 'device':
			return (a.deviceId ?? '').localeCompare(b.deviceId ?? '');
		case 'state':
			return stateRank(a) - stateRank(b);
		case 'lastSync':
			// Never synced sorts as the oldest of all.
			return (a.lastSyncAt ?? '').localeCompare(b.lastSyncAt ?? '');
		case 'waiting':
			return (a.waiting ?? -1) - (b.waiting ?? -1);
		case 'errors':
			return errorCount(a) - errorCount(b);
	}
}

/** Rows in the chosen order; ties fall back to name, then device, so the table never jumps between polls. */
export function sortActivity(rows: readonly DeviceActivityRow[], sort: ActivitySort): DeviceActivityRow[] {
	const sign = sort.direction === 'asc' ? 1 : -1;
	return [...rows].sort(
		(a, b) => sign * compare(a, b, sort.column) || a.displayName.localeCompare(b.displayName) || (a.deviceId ?? '').localeCompare(b.deviceId ?? '')
	);
}

/** Clicking a column sorts by it; clicking it again turns the order round. */
export function nextSort(current: ActivitySort, column: ActivityColumn): ActivitySort {
	if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
	return { column, direction: 'asc' };
}

/** "just now", "12 min ago", "5 h ago", "3 days ago", or "never". */
export function timeAgo(iso: string | null, now: Date): string {
	if (iso === null) return 'never';
	const ms = now.getTime() - Date.parse(iso);
	if (Number.isNaN(ms)) return 'unknown';
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 1) return 'just now';
	if (minutes < 60) return `${minutes} min ago`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours} h ago`;
	return `${Math.floor(hours / 24)} days ago`;
}

/** A device id is long and random; its head is enough to tell a user's devices apart. */
export function shortDevice(deviceId: string | null): string {
	return deviceId === null ? 'no device yet' : deviceId.slice(0, 6);
}

/** "14:32:05" today, "12 Mar 14:32" before, in the viewer's time zone. */
export function syncTime(iso: string, now: Date): string {
	const at = new Date(iso);
	if (Number.isNaN(at.getTime())) return iso;
	const pad = (n: number) => String(n).padStart(2, '0');
	const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
	if (at.toDateString() === now.toDateString()) return `${clock}:${pad(at.getSeconds())}`;
	return `${at.getDate()} ${at.toLocaleDateString('en-GB', { month: 'short' })} ${clock}`;
}
