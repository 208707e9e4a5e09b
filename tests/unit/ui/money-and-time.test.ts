import { describe, expect, it } from 'vitest';
import { formatClock, formatDay, localDay } from '../../../src/lib/ui/clock-time';
import { formatMoney } from '../../../src/lib/ui/money';

describe('money', () => {
	it('formats integer cents as euros', () => {
		expect(formatMoney(1234)).toBe('€12.34');
		expect(formatMoney(95)).toBe('€0.95');
		expect(formatMoney(0)).toBe('€0.00');
		expect(formatMoney(123456789)).toBe('€1,234,567.89');
	});
});

describe('times and days', () => {
	it('reads an ISO time as local HH:MM', () => {
		expect(formatClock(new Date(2026, 0, 2, 7, 4).toISOString())).toBe('07:04');
		expect(formatClock('not a time')).toBe('--:--');
	});

	it('gives the local calendar day, even just after midnight', () => {
		expect(localDay(new Date(2026, 10, 24, 0, 5))).toBe('2026-11-24');
		expect(localDay(new Date(2026, 0, 9, 23, 59))).toBe('2026-01-09');
	});

	it('writes a planned day in words without shifting it by time zone', () => {
		expect(formatDay('2026-11-24')).toBe('24 Nov 2026');
		expect(formatDay('someday')).toBe('someday');
	});
});
