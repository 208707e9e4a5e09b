/** Delays between reconnect attempts: quick at first, then every 30 s at most. */
const STEPS_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000];

/** The delay before attempt `attempt` (0-based), with ±20% jitter so devices spread out. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
	const base = STEPS_MS[Math.min(attempt, STEPS_MS.length - 1)]!;
	return Math.round(base * (0.8 + 0.4 * random()));
}
