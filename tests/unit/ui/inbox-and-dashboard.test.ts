import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_COLUMNS, DEFAULT_ACTIVITY_SORT, nextSort, sortActivity, syncTime, timeAgo } from '../../../src/lib/dashboard/activity-table';
import { badgeText, countUnread, kindLabel, messageScreen, newestFirst } from '../../../src/lib/inbox/inbox-view';
import { ShownToasts, toastsDue } from '../../../src/lib/inbox/urgent-toasts';
import type { InboxMessage } from '../../../src/lib/model';
import type { DeviceActivityRow, DeviceReportRequest } from '../../../src/lib/protocol/office-api';
import { DeviceReporter } from '../../../src/lib/sync/device-report';
import { syncStatus } from '../../helpers/ui-fixtures';

function message(id: string, at: string, extra: Partial<InboxMessage> = {}): InboxMessage {
	return { id, kind: 'manager_message', title: id, body: '', at, readAt: null, ...extra };
}

/** The browser's localStorage, as far as the toasts use it. */
class MemoryStorage {
	readonly items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.items.set(key, value);
	}
}

describe('the inbox list', () => {
	it('puts the newest first and counts what is unread', () => {
		const messages = [message('a', '2026-11-24T07:00:00.000Z', { readAt: '2026-11-24T08:00:00.000Z' }), message('b', '2026-11-24T09:00:00.000Z'), message('c', '2026-11-24T09:00:00.000Z')];
		expect(newestFirst(messages).map((m) => m.id)).toEqual(['c', 'b', 'a']);
		expect(countUnread(messages)).toBe(2);
		expect(badgeText(2)).toBe('2');
		expect(badgeText(12)).toBe('9+');
	});

	it('opens the record a message is about, whether linked by document name or app path', () => {
		expect(messageScreen({ link: 'account:north-1' })).toEqual({ route: '/(app)/accounts/[id]', id: 'north-1' });
		expect(messageScreen({ link: '/orders/o-17' })).toEqual({ route: '/(app)/orders/[id]', id: 'o-17' });
		expect(messageScreen({ link: '/visits/v1' })).toEqual({ route: '/(app)/visits/[id]', id: 'v1' });
		for (const link of [undefined, null, 'catalog:standard', 'https://example.com/orders/1', '/orders/../x']) expect(messageScreen({ link })).toBeNull();
	});

	it('labels kinds it knows and calls the others a notice', () => {
		expect(kindLabel('price_change')).toBe('Price change');
		expect(kindLabel('order_reconciled')).toBe('Order');
		expect(kindLabel('something_new')).toBe('Notice');
	});
});

describe('urgent toasts', () => {
	it('shows each urgent unread message once per device, across reloads', () => {
		const storage = new MemoryStorage();
		const messages = [
			message('late', '2026-11-24T10:00:00.000Z', { urgent: true }),
			message('early', '2026-11-24T09:00:00.000Z', { urgent: true }),
			message('calm', '2026-11-24T09:30:00.000Z'),
			message('read', '2026-11-24T08:00:00.000Z', { urgent: true, readAt: '2026-11-24T08:05:00.000Z' })
		];
		const shown = new ShownToasts(storage, 'u1');
		expect(toastsDue(messages, shown).map((m) => m.id)).toEqual(['early', 'late']);
		shown.remember('early');
		expect(toastsDue(messages, new ShownToasts(storage, 'u1')).map((m) => m.id)).toEqual(['late']);
		// Another device (its own storage) or another user of this one still gets it.
		expect(toastsDue(messages, new ShownToasts(new MemoryStorage(), 'u1')).map((m) => m.id)).toEqual(['early', 'late']);
		expect(toastsDue(messages, new ShownToasts(storage, 'u2')).map((m) => m.id)).toEqual(['early', 'late']);
	});

	it('survives storage that is blocked or holds garbage', () => {
		const broken = { getItem: () => '{not json', setItem: () => { throw new Error('quota'); } };
		const shown = new ShownToasts(broken, 'u1');
		shown.remember('m1');
		expect(shown.has('m1')).toBe(true);
		expect(new ShownToasts(null, 'u1').has('m1')).toBe(false);
	});
});

function row(overrides: Partial<DeviceActivityRow>): DeviceActivityRow {
	return {
		userId: 'u',
		username: 'u',
		displayName: 'U',
		role: 'rep',
		deviceId: 'd',
		connected: false,
		lastSyncAt: null,
		lastConnectedAt: null,
		lastDisconnectedAt: null,
		waiting: null,
		reportedAt: null,
		deviceSyncedAt: null,
		deviceError: null,
		refusedWrites: 0,
		lastRefusal: null,
		flagged: 0,
		stale: false,
		...overrides
	};
}

describe('the Sync Activity table', () => {
	const rows = [
		row({ displayName: 'Bea', deviceId: 'b1', lastSyncAt: '2026-11-24T10:00:00.000Z', connected: true, waiting: 0 }),
		row({ displayName: 'Ann', deviceId: 'a1', lastSyncAt: '2026-11-22T10:00:00.000Z', stale: true, waiting: 4, refusedWrites: 2 }),
		row({ displayName: 'Cid', deviceId: null, stale: true }),
		row({ displayName: 'Ann', deviceId: 'a2', lastSyncAt: '2026-11-24T09:00:00.000Z', deviceError: 'Connection lost' })
	];
	const order = (sorted: DeviceActivityRow[]) => sorted.map((r) => `${r.displayName}/${r.deviceId ?? '-'}`);

	it('puts the oldest sync first by default, never-synced on top', () => {
		expect(order(sortActivity(rows, DEFAULT_ACTIVITY_SORT))).toEqual(['Cid/-', 'Ann/a1', 'Ann/a2', 'Bea/b1']);
	});

	it('sorts by any column, and the same column again turns the order round', () => {
		expect(order(sortActivity(rows, { column: 'user', direction: 'asc' }))).toEqual(['Ann/a1', 'Ann/a2', 'Bea/b1', 'Cid/-']);
		expect(order(sortActivity(rows, { column: 'state', direction: 'asc' }))).toEqual(['Bea/b1', 'Ann/a2', 'Ann/a1', 'Cid/-']);
		expect(order(sortActivity(rows, { column: 'errors', direction: 'desc' }))).toEqual(['Ann/a1', 'Ann/a2', 'Bea/b1', 'Cid/-']);
		expect(order(sortActivity(rows, { column: 'waiting', direction: 'desc' }))).toEqual(['Ann/a1', 'Bea/b1', 'Ann/a2', 'Cid/-']);
		expect(nextSort({ column: 'user', direction: 'asc' }, 'user')).toEqual({ column: 'user', direction: 'desc' });
		expect(nextSort({ column: 'user', direction: 'desc' }, 'waiting')).toEqual({ column: 'waiting', direction: 'asc' });
		expect(ACTIVITY_COLUMNS).toContain('device');
	});

	it('says how long ago in words, and when in local time', () => {
		const now = new Date(2026, 10, 24, 12, 0, 0);
		expect(timeAgo(null, now)).toBe('never');
		expect(timeAgo(new Date(2026, 10, 24, 11, 59, 30).toISOString(), now)).toBe('just now');
		expect(timeAgo(new Date(2026, 10, 24, 11, 48).toISOString(), now)).toBe('12 min ago');
		expect(timeAgo(new Date(2026, 10, 23, 12, 0).toISOString(), now)).toBe('24 h ago');
		expect(timeAgo(new Date(2026, 10, 20, 12, 0).toISOString(), now)).toBe('4 days ago');
		expect(syncTime(new Date(2026, 10, 24, 9, 5, 7).toISOString(), now)).toBe('09:05:07');
		expect(syncTime(new Date(2026, 10, 20, 9, 5, 7).toISOString(), now)).toBe('20 Nov 09:05');
	});
});

describe('the device report', () => {
	afterEach(() => vi.useRealTimers());

	it('reports a change at once while online, folds a burst of changes into one, and skips repeats', async () => {
		vi.useFakeTimers();
		const sent: DeviceReportRequest[] = [];
		const reporter = new DeviceReporter(async (report) => void sent.push(report), 5000);
		reporter.observe(syncStatus({ connection: 'offline', waiting: 3 }), 'dev1');
		await vi.runAllTimersAsync();
		expect(sent).toEqual([]);

		reporter.observe(syncStatus({ waiting: 3 }), 'dev1');
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toEqual([{ deviceId: 'dev1', waiting: 3, error: null, lastSyncedAt: null }]);

		reporter.observe(syncStatus({ waiting: 2 }), 'dev1');
		reporter.observe(syncStatus({ waiting: 0, lastSyncedAt: '2026-11-24T10:00:00.000Z' }), 'dev1');
		await vi.advanceTimersByTimeAsync(4000);
		expect(sent).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1000);
		expect(sent.at(-1)).toEqual({ deviceId: 'dev1', waiting: 0, error: null, lastSyncedAt: '2026-11-24T10:00:00.000Z' });
		expect(sent).toHaveLength(2);

		reporter.observe(syncStatus({ waiting: 0, lastSyncedAt: '2026-11-24T10:00:00.000Z' }), 'dev1');
		await vi.runAllTimersAsync();
		expect(sent).toHaveLength(2);
		reporter.stop();
	});

	it('sends again at the next change after a report failed', async () => {
		vi.useFakeTimers();
		let fail = true;
		const sent: DeviceReportRequest[] = [];
		const reporter = new DeviceReporter(async (report) => {
			if (fail) throw new Error('offline');
			sent.push(report);
		}, 1000);
		reporter.observe(syncStatus({ waiting: 1 }), 'dev1');
		await vi.runAllTimersAsync();
		fail = false;
		reporter.observe(syncStatus({ waiting: 1 }), 'dev1');
		await vi.runAllTimersAsync();
		expect(sent).toEqual([{ deviceId: 'dev1', waiting: 1, error: null, lastSyncedAt: null }]);
		reporter.stop();
	});
});
