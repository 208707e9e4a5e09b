import { describe, expect, it } from 'vitest';
import { MAX_DEVICES_PER_USER, mergeActivity, type StoredActivity } from '../../../server/activity/activity-records';
import { SYNC_ACTIVITY_KEY, SyncActivity } from '../../../server/activity/sync-activity';
import { createLogger } from '../../../server/log';
import { MemoryStore } from '../../../server/store/memory-store';

const log = createLogger('silent');

async function openStore(): Promise<MemoryStore> {
	const store = new MemoryStore();
	await store.open();
	return store;
}

describe('Sync Activity in the store', () => {
	it('keeps what devices reported and refused writes across a restart', async () => {
		const store = await openStore();
		let now = new Date('2026-11-23T08:00:00.000Z');
		const first = await SyncActivity.load({ store, log, now: () => now });
		first.report('ann', 'phone', { waiting: 3, error: 'Connection lost', lastSyncedAt: '2026-11-23T07:55:00.000Z' });
		first.noteRefusals('ann', 'account:a1', ['price list can only be changed by a manager']);
		now = new Date('2026-11-23T09:00:00.000Z');
		first.report('ann', 'phone', { waiting: 0, error: null, lastSyncedAt: '2026-11-23T09:00:00.000Z' });
		await first.close();

		const second = await SyncActivity.load({ store, log });
		expect(second.listDevices()).toEqual([
			{
				userId: 'ann',
				deviceId: 'phone',
				firstSeenAt: '2026-11-23T08:00:00.000Z',
				lastConnectedAt: null,
				lastDisconnectedAt: null,
				lastSeenAt: '2026-11-23T09:00:00.000Z',
				report: { waiting: 0, error: null, lastSyncedAt: '2026-11-23T09:00:00.000Z', at: '2026-11-23T09:00:00.000Z' },
				connected: false
			}
		]);
		expect(second.refusalsOf('ann')).toEqual({
			userId: 'ann',
			refusedWrites: 1,
			lastRefusal: { reason: 'price list can only be changed by a manager', doc: 'account:a1', at: '2026-11-23T08:00:00.000Z' }
		});
	});

	it('starts empty, and says why, when the stored value is unreadable', async () => {
		const store = await openStore();
		await store.putMeta(SYNC_ACTIVITY_KEY, '{"version":1,"devices":"oops"}');
		const activity = await SyncActivity.load({ store, log });
		expect(activity.listDevices()).toEqual([]);
		activity.report('ann', 'phone', { waiting: 0, error: null, lastSyncedAt: null });
		await activity.close();
		expect((await SyncActivity.load({ store, log })).listDevices()).toHaveLength(1);
	});

	it('merges with what another server stored, keeping each device\'s latest record', async () => {
		const store = await openStore();
		const ours = await SyncActivity.load({ store, log, now: () => new Date('2026-11-24T10:00:00.000Z') });
		const theirs = await SyncActivity.load({ store, log, now: () => new Date('2026-11-24T11:00:00.000Z') });
		ours.report('ann', 'phone', { waiting: 5, error: null, lastSyncedAt: null });
		theirs.report('ann', 'phone', { waiting: 0, error: null, lastSyncedAt: null });
		theirs.report('bob', 'tablet', { waiting: 1, error: null, lastSyncedAt: null });
		await theirs.flush();
		await ours.flush();
		const merged = await SyncActivity.load({ store, log });
		expect(merged.listDevices().map((d) => [d.userId, d.deviceId, d.report?.waiting])).toEqual([
			['ann', 'phone', 0],
			['bob', 'tablet', 1]
		]);
	});

	it('knows a device connected to another instance while that instance keeps its record fresh', async () => {
		const store = await openStore();
		let now = new Date('2026-11-24T10:00:00.000Z');
		const here = await SyncActivity.load({ store, log, now: () => now });
		// What another instance holding the device's socket wrote at its last heartbeat.
		const elsewhere: StoredActivity = {
			version: 1,
			users: [],
			devices: [{ userId: 'ann', deviceId: 'phone', firstSeenAt: '2026-11-24T08:00:00.000Z', lastConnectedAt: '2026-11-24T08:00:00.000Z', lastDisconnectedAt: null, lastSeenAt: '2026-11-24T09:59:40.000Z', open: true, report: null }]
		};
		await store.putMeta(SYNC_ACTIVITY_KEY, JSON.stringify(elsewhere));
		await here.refreshFromStore();
		expect(here.listDevices()).toEqual([expect.objectContaining({ deviceId: 'phone', connected: true, lastSeenAt: '2026-11-24T09:59:40.000Z' })]);
		// That instance died: no heartbeat, and the device is no longer shown connected.
		now = new Date('2026-11-24T10:05:00.000Z');
		expect(here.listDevices()[0]!.connected).toBe(false);
		await here.close();
	});

	it('keeps only the most recently seen devices of a user', () => {
		const stored: StoredActivity = {
			version: 1,
			users: [],
			devices: Array.from({ length: MAX_DEVICES_PER_USER + 2 }, (_, i) => ({
				userId: 'ann',
				deviceId: `d${i}`,
				firstSeenAt: '2026-11-01T00:00:00.000Z',
				lastConnectedAt: null,
				lastDisconnectedAt: null,
				lastSeenAt: `2026-11-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`,
				open: false,
				report: null
			}))
		};
		const kept = mergeActivity(stored, { version: 1, devices: [], users: [] }).devices.map((d) => d.deviceId);
		expect(kept).toHaveLength(MAX_DEVICES_PER_USER);
		expect(kept).not.toContain('d0');
		expect(kept).not.toContain('d1');
	});

	it('takes only ids the app makes as device ids', () => {
		expect(SyncActivity.isDeviceId('aB3_-x')).toBe(true);
		for (const bad of [null, '', 'a b', 'x'.repeat(65), '../etc']) expect(SyncActivity.isDeviceId(bad)).toBe(false);
	});
});
