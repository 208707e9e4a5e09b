import { describe, expect, it } from 'vitest';
import { batchRows, configRows, formatBytes, formatDuration, formatUptime, updateRates, type Reading, type RelayStatus } from '../../../src/lib/admin/relay-status';

function reading(at: number, received: number, sent: number, startedAt = '2026-11-24T08:00:00.000Z'): Reading {
	return { at, status: { startedAt, updates: { received, sent, persisted: 0 } } as RelayStatus };
}

describe('the admin page’s reading of the relay status', () => {
	it('turns two readings into update rates, and shows none across a restart', () => {
		expect(updateRates(null, reading(10_000, 50, 100))).toBeNull();
		expect(updateRates(reading(0, 0, 0), reading(5000, 50, 100))).toEqual({ received: 10, sent: 20 });
		expect(updateRates(reading(0, 500, 900), reading(5000, 10, 20, '2026-11-24T09:00:00.000Z'))).toBeNull();
	});

	it('labels group-commit buckets as ranges, leaving out empty ones and counting those past the last', () => {
		const buckets = [1, 2, 5, 10, 20].map((le) => ({ le, count: 0 }));
		buckets[0]!.count = 4;
		buckets[2]!.count = 3;
		expect(batchRows({ count: 9, meanUpdates: 3, buckets })).toEqual([
			{ label: '1', count: 4 },
			{ label: '3–5', count: 3 },
			{ label: 'over 20', count: 2 }
		]);
	});

	it('writes sizes, durations and uptimes as a person reads them', () => {
		expect(formatBytes(null)).toBe('—');
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(110_592)).toBe('111 KB');
		expect(formatBytes(2_400_000)).toBe('2.4 MB');
		expect(formatDuration(null)).toBe('—');
		expect(formatDuration(0.0042)).toBe('4.2 ms');
		expect(formatDuration(0.0004)).toBe('0.40 ms');
		expect(formatDuration(1.5)).toBe('1.50 s');
		expect(formatUptime(42)).toBe('42 s');
		expect(formatUptime(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
		expect(formatUptime(2 * 86_400 + 7200)).toBe('2 d 2 h');
	});

	it('flattens the configuration into named rows, unset ones said so', () => {
		expect(configRows({ port: 3000, authSecret: '********', databaseUrl: null, limits: { burst: 2000 } })).toEqual([
			['port', '3000'],
			['authSecret', '********'],
			['databaseUrl', 'not set'],
			['limits.burst', '2000']
		]);
	});
});
