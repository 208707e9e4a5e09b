import type { SyncStatus } from '../sync/engine-types';
import { formatClock } from './clock-time';

/**
 * The one line the sync indicator shows. Ordered by what the rep can act on:
 * an expired session blocks everything, a first download explains an empty app,
 * a failure says when it tries again, then waiting changes, then reassurance.
 */
export function syncLabel(status: SyncStatus, now: Date): string {
	if (status.needsSignIn) return 'Sign in again to sync';
	if (status.downloading && status.total > 0) return `Downloading ${status.downloaded} of ${status.total} records`;
	const retryIn = secondsUntil(status.retryAt, now);
	if (retryIn !== null && retryIn > 0) return `Sync failed, retrying in ${retryIn} s`;
	if (status.connection === 'connecting' || status.downloading) return 'Syncing…';
	if (status.waiting > 0) return status.waiting === 1 ? '1 change waiting' : `${status.waiting} changes waiting`;
	if (status.lastSyncedAt !== null) return `Synced · last at ${formatClock(status.lastSyncedAt)}`;
	// Nothing has completed a sync yet on this device: the first connection is still ahead.
	return 'Syncing…';
}

/** Whole seconds until `iso`, rounded up so the countdown never shows 0 while still waiting. */
export function secondsUntil(iso: string | null, now: Date): number | null {
	if (iso === null) return null;
	const at = Date.parse(iso);
	if (Number.isNaN(at)) return null;
	return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Tone for the indicator's colour; the words above carry the meaning. */
export type SyncTone = 'ok' | 'busy' | 'waiting' | 'problem';

export function syncTone(status: SyncStatus, now: Date): SyncTone {
	if (status.needsSignIn) return 'problem';
	const retryIn = secondsUntil(status.retryAt, now);
	if (retryIn !== null && retryIn > 0) return 'problem';
	if (status.downloading || status.connection === 'connecting') return 'busy';
	if (status.waiting > 0) return 'waiting';
	return 'ok';
}
