/** Small formatting helpers shared by the benchmarks' tables. */

/** A Markdown table with aligned columns. */
export function table(head: string[], rows: string[][]): string {
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
	return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function round(n: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}

/** A number for a table cell; an en dash when there is none. */
export function fmt(n: number | undefined | null, digits = 2): string {
	return n === undefined || n === null || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

/** "×1.84" for a/b, an en dash when either is missing or b is zero. */
export function ratio(a: number | undefined | null, b: number | undefined | null, digits = 2): string {
	if (a === undefined || a === null || b === undefined || b === null || b === 0 || Number.isNaN(a) || Number.isNaN(b)) return '–';
	return `×${(a / b).toFixed(digits)}`;
}

export function kib(bytes: number | undefined | null, digits = 1): string {
	return bytes === undefined || bytes === null ? '–' : (bytes / 1024).toFixed(digits);
}

/** Nearest-rank percentiles and the mean of a set of samples (ms). */
export function summarize(samples: ArrayLike<number>): { samples: number; mean: number; p50: number; p95: number; p99: number; max: number } {
	if (samples.length === 0) return { samples: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
	const sorted = Float64Array.from(samples).sort();
	// The smallest sample with at least q of all samples at or below it.
	const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
	let sum = 0;
	for (const v of sorted) sum += v;
	return {
		samples: sorted.length,
		mean: round(sum / sorted.length, 2),
		p50: round(q(0.5), 2),
		p95: round(q(0.95), 2),
		p99: round(q(0.99), 2),
		max: round(sorted[sorted.length - 1] ?? 0, 2)
	};
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
