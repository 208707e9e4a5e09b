import { parseArgs } from 'node:util';
import { appBenchmark } from './app/index';
import { crdtBenchmark } from './crdt/index';
import { inventoryBenchmark } from './inventory/index';
import { INSTALL_HINT, missingAnyPeer } from './peer-modules';
import { relayBenchmark } from './relay/index';
import { routesBenchmark } from './routes/index';
import { syncBenchmark } from './sync/index';
import { fanoutBenchmark } from './fanout/index';
import { soakBenchmark } from './soak/index';
import type { Benchmark } from './types';

/** Every benchmark `npm run bench` knows, run in this order. Add new ones here. */
const BENCHMARKS: Benchmark[] = [relayBenchmark, appBenchmark, routesBenchmark, crdtBenchmark, inventoryBenchmark, syncBenchmark, fanoutBenchmark, soakBenchmark];

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const { values } = parseArgs({
		args,
		options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean', default: false } },
		strict: false
	});
	if (values.help) {
		process.stdout.write(
			'Usage: npm run bench -- [--quick] [--only=<name>] [benchmark flags]\n\n' +
				BENCHMARKS.map((b) => `  ${b.name}: ${b.description}${b.onlyWhenNamed ? ' (only with --only)' : ''}`).join('\n') +
				'\n'
		);
		return;
	}
	const only = typeof values.only === 'string' ? values.only.split(',') : undefined;
	const selected = BENCHMARKS.filter((b) => (only ? only.includes(b.name) : !b.onlyWhenNamed));
	if (selected.length === 0) throw new Error(`no benchmark named ${String(values.only)}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);

	// The comparisons' peers are bench/'s own dependencies: without them each benchmark skips its peers.
	if (missingAnyPeer().length > 0) process.stderr.write(`${INSTALL_HINT}\n`);

	const started = performance.now();
	let failed = false;
	for (const bench of selected) {
		const t0 = performance.now();
		process.stderr.write(`\n== ${bench.name}: ${bench.description}\n`);
		const report = await bench.run({
			quick: values.quick === true,
			args,
			log: (line) => process.stderr.write(`[${bench.name}] ${line}\n`)
		});
		process.stdout.write(`\n## ${bench.name}\n\n${report.markdown}\n`);
		process.stdout.write(`\n_${bench.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s_\n`);
		if (report.passed === false) failed = true;
	}
	process.stdout.write(`\nTotal wall time: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	// A missed target is reported, not fatal: the numbers are what the run is for.
	if (failed) process.stderr.write('Some benchmark targets were not met (see the tables above).\n');
}

main().then(
	() => process.exit(0),
	(err: unknown) => {
		process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
		process.exit(1);
	}
);
