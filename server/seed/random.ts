/**
 * A small seeded PRNG (mulberry32) so demo data is the same on every machine for a
 * given seed: screenshots, bug reports and tests can point at "acc-0042" and mean
 * the same shop. Not for anything secret.
 */
export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number;
	/** Uniform in [min, max). */
	float(min: number, max: number): number;
	chance(probability: number): boolean;
	pick<T>(items: readonly T[]): T;
	/** Picks by weight; weights need not sum to 1. */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
	/** A new array in random order; the input is untouched. */
	shuffle<T>(items: readonly T[]): T[];
	/** Up to n distinct items, in random order. */
	sample<T>(items: readonly T[], n: number): T[];
}

export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function createRandom(seed: number): Random {
	const next = mulberry32(seed);
	const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
	const pick = <T>(items: readonly T[]): T => {
		if (items.length === 0) throw new RangeError('cannot pick from an empty list');
		return items[int(0, items.length - 1)] as T;
	};
	const shuffle = <T>(items: readonly T[]): T[] => {
		const copy = [...items];
		for (let i = copy.length - 1; i > 0; i--) {
			const j = int(0, i);
			[copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
		}
		return copy;
	};
	return {
		next,
		int,
		float: (min, max) => min + next() * (max - min),
		chance: (probability) => next() < probability,
		pick,
		weighted: (entries) => {
			const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
			let roll = next() * total;
			for (const [value, weight] of entries) {
				roll -= weight;
				if (roll < 0) return value;
			}
			const last = entries[entries.length - 1];
			if (!last) throw new RangeError('cannot pick from an empty list');
			return last[0];
		},
		shuffle,
		sample: (items, n) => shuffle(items).slice(0, Math.max(0, n))
	};
}
