import { describe, expect, it } from 'vitest';
import { secondsUntil, syncLabel, syncTone } from '../../../src/lib/ui/sync-label';
import { syncStatus } from '../../helpers/ui-fixtures';

const NOW = new Date(2026, 10, 24, 15, 0, 0);

const status = syncStatus;

function inSeconds(seconds: number): string {
	return new Date(NOW.getTime() + seconds * 1000).toISOString();
}

describe('the sync indicator text', () => {
	it('shows the local time of the last sync when nothing waits', () => {
		const lastSyncedAt = new Date(2026, 10, 24, 14, 32, 10).toISOString();
		expect(syncLabel(status({ lastSyncedAt }), NOW)).toBe('Synced · last at 14:32');
	});

	it('pads hours and minutes to two digits', () => {
		const lastSyncedAt = new Date(2026, 10, 24, 9, 5).toISOString();
		expect(syncLabel(status({ lastSyncedAt }), NOW)).toBe('Synced · last at 09:05');
	});

	it('counts waiting changes, singular and plural', () => {
		expect(syncLabel(status({ waiting: 1, connection: 'offline' }), NOW)).toBe('1 change waiting');
		expect(syncLabel(status({ waiting: 3, connection: 'offline', lastSyncedAt: inSeconds(-600) }), NOW)).toBe('3 changes waiting');
	});

	it('says it is syncing while connecting', () => {
		expect(syncLabel(status({ connection: 'connecting', waiting: 2 }), NOW)).toBe('Syncing…');
	});

	it('shows first-download progress in records', () => {
		expect(syncLabel(status({ downloading: true, downloaded: 312, total: 540 }), NOW)).toBe('Downloading 312 of 540 records');
	});

	it('says syncing while downloading before the total is known', () => {
		expect(syncLabel(status({ downloading: true, downloaded: 0, total: 0 }), NOW)).toBe('Syncing…');
	});

	it('counts down to the next attempt after a failure, in whole seconds', () => {
		const retryAt = inSeconds(20);
		expect(syncLabel(status({ connection: 'offline', retryAt, error: 'timeout' }), NOW)).toBe('Sync failed, retrying in 20 s');
		expect(syncLabel(status({ connection: 'offline', retryAt }), new Date(NOW.getTime() + 1500))).toBe('Sync failed, retrying in 19 s');
		expect(syncLabel(status({ connection: 'offline', retryAt }), new Date(NOW.getTime() + 19_200))).toBe('Sync failed, retrying in 1 s');
	});

	it('stops counting down once the retry time has passed', () => {
		const retryAt = inSeconds(-1);
		expect(syncLabel(status({ connection: 'connecting', retryAt }), NOW)).toBe('Syncing…');
		expect(syncLabel(status({ connection: 'offline', retryAt, waiting: 2 }), NOW)).toBe('2 changes waiting');
	});

	it('asks to sign in again above everything else', () => {
		expect(syncLabel(status({ needsSignIn: true, waiting: 4, retryAt: inSeconds(10), downloading: true, total: 9 }), NOW)).toBe(
			'Sign in again to sync'
		);
	});

	it('says syncing before anything has ever synced', () => {
		expect(syncLabel(status(), NOW)).toBe('Syncing…');
	});

	it('picks a tone that matches the words', () => {
		expect(syncTone(status({ lastSyncedAt: inSeconds(-5) }), NOW)).toBe('ok');
		expect(syncTone(status({ waiting: 2 }), NOW)).toBe('waiting');
		expect(syncTone(status({ connection: 'connecting' }), NOW)).toBe('busy');
		expect(syncTone(status({ retryAt: inSeconds(5) }), NOW)).toBe('problem');
		expect(syncTone(status({ needsSignIn: true }), NOW)).toBe('problem');
	});

	it('reads no countdown from a missing or malformed time', () => {
		expect(secondsUntil(null, NOW)).toBeNull();
		expect(secondsUntil('soon', NOW)).toBeNull();
	});
});
