import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DashboardResponse } from '../../../src/lib/protocol/office-api';
import { DashboardState } from '../../../src/lib/state/dashboard.svelte';

function response(generatedAt: string): DashboardResponse {
	return { day: '2026-11-24', generatedAt, staleAfterHours: 24, team: [], attention: [], activity: [] };
}

describe('DashboardState', () => {
	afterEach(() => vi.useRealTimers());

	it('polls, keeps the last figures when a poll fails and says so, and stops when destroyed', async () => {
		vi.useFakeTimers();
		const answers: Array<DashboardResponse | Error> = [response('t1'), new Error('Failed to fetch'), response('t3')];
		let calls = 0;
		const state = new DashboardState(async () => {
			const answer = answers[calls++] ?? response('later');
			if (answer instanceof Error) throw answer;
			return answer;
		}, 5000);
		await vi.advanceTimersByTimeAsync(0);
		expect(state.current?.generatedAt).toBe('t1');
		await vi.advanceTimersByTimeAsync(5000);
		expect(state.current?.generatedAt).toBe('t1');
		expect(state.error).toBe('Failed to fetch');
		await vi.advanceTimersByTimeAsync(5000);
		expect(state.current?.generatedAt).toBe('t3');
		expect(state.error).toBeNull();
		state.destroy();
		await vi.advanceTimersByTimeAsync(20_000);
		expect(calls).toBe(3);
	});

	it('asks at once on refresh, sharing a poll already under way', async () => {
		let calls = 0;
		const state = new DashboardState(async () => response(`t${++calls}`), 60_000);
		await Promise.all([state.refresh(), state.refresh()]);
		expect(calls).toBe(1);
		await state.refresh();
		expect(state.current?.generatedAt).toBe('t2');
		state.destroy();
	});
});
