import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/**
 * Writes `bench/results/<benchmark>.json` (`<benchmark>.quick.json` for a quick run)
 * with the machine it ran on ahead of the benchmark's own figures, so a result
 * file always says where and under what load it was measured. Returns the file name.
 */
export function writeResultsFile(benchmark: string, mode: 'full' | 'quick', loadAverageAtStart: number[], figures: Record<string, unknown>): string {
	mkdirSync(RESULTS_DIR, { recursive: true });
	const file = mode === 'full' ? `${benchmark}.json` : `${benchmark}.quick.json`;
	const body = {
		benchmark,
		mode,
		date: new Date().toISOString(),
		node: process.version,
		platform: `${platform()} ${release()}`,
		cpu: { model: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length },
		loadAverageAtStart,
		...figures
	};
	writeFileSync(`${RESULTS_DIR}${file}`, `${JSON.stringify(body, null, '\t')}\n`);
	return file;
}
