/**
 * Soak: a relay in its own process under a steady mixed load for a long time
 * (connect/disconnect churn, edits across many documents, presence), sampled
 * every few seconds; then every client leaves and the run watches documents in
 * memory and the relay's memory come back down. A leak shows as memory that
 * climbs under a steady load or stays up once everyone has gone.
 *
 * `--only=soak` (30 minutes; `--minutes=N`), `--quick` (1 minute). Not part of
 * the default run. Flags: --minutes, --sample-seconds, --clients, --docs,
 * --edits-per-second, --idle-ms (the relay's DOC_IDLE_MS), --seed, --label
 * (results in `soak.<label>.json`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, table } from '../markdown';
import { RelayHost } from '../relay/relay-host';
import type { Benchmark, BenchOptions, BenchReport } from '../types';
import { LoadMix, type LoadMixOptions } from './load-mix';
import { sampleRelay, type SoakPhase, type SoakSample } from './relay-sampler';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

interface SoakSettings {
	quick: boolean;
	/** Names the results file (`soak.<label>.json`), to keep runs of another configuration apart. */
	label?: string;
	minutes: number;
	sampleSeconds: number;
	idleMs: number;
	mix: Omit<LoadMixOptions, 'wsBase' | 'token'>;
}

/**
 * After everyone left, the relay's live heap may keep this much over its idle
 * baseline: code compiled under load, warmed caches.
 */
const HEAP_SLACK_MB = 10;
/** Resident memory may stay this far over the baseline (freed pages are not all given back at once). */
const RSS_SLACK_MB = 48;
/** How long the run keeps watching memory once the documents have left. */
const SETTLE_MS = 60_000;

export const soakBenchmark: Benchmark = {
	name: 'soak',
	description: 'Steady mixed load for 30 min (churn, edits, presence), then everyone leaves: documents in memory and RSS back to baseline',
	onlyWhenNamed: true,
	run: runSoak
};

function settingsFrom(options: BenchOptions): SoakSettings {
	const { values } = parseArgs({
		args: options.args,
		options: {
			minutes: { type: 'string' },
			'sample-seconds': { type: 'string' },
			clients: { type: 'string' },
			docs: { type: 'string' },
			'edits-per-second': { type: 'string' },
			'idle-ms': { type: 'string' },
			seed: { type: 'string' },
			label: { type: 'string' }
		},
		strict: false
	});
	const number = (name: keyof typeof values, fallback: number): number => {
		const raw = values[name];
		if (typeof raw !== 'string') return fallback;
		const n = Number(raw);
		if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
		return n;
	};
	const clients = number('clients', options.quick ? 100 : 300);
	return {
		quick: options.quick,
		label: typeof values.label === 'string' && /^[\w.-]+$/.test(values.label) ? values.label : undefined,
		minutes: number('minutes', options.quick ? 1 : 30),
		sampleSeconds: number('sample-seconds', options.quick ? 5 : 10),
		idleMs: number('idle-ms', 3000),
		mix: {
			clients,
			docs: number('docs', options.quick ? 300 : 1000),
			docsPerDevice: 8,
			plainShare: 0.25,
			// A twentieth of the clients is replaced every second: every client lives about 20 s.
			churnPerSecond: Math.max(1, Math.round(clients / 20)),
			editsPerSecond: number('edits-per-second', 200),
			presencePerSecond: Math.max(1, Math.round(clients / 5)),
			seed: number('seed', 8)
		}
	};
}

async function runSoak(options: BenchOptions): Promise<BenchReport> {
	const settings = settingsFrom(options);
	const { log } = options;
	const drainLimitMs = Math.max(90_000, settings.idleMs * 20) + SETTLE_MS;
	const relay = await RelayHost.start({
		env: {
			DOC_IDLE_MS: String(settings.idleMs),
			// Each sample starts with a full GC in the relay, so the heap figures are live memory.
			NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
			BENCH_RELAY_MAX_LIFETIME_MS: String(settings.minutes * 60_000 + drainLimitMs + 120_000)
		},
		log
	});
	const baseUrl = `http://127.0.0.1:${relay.port}`;
	const mix = new LoadMix({ ...settings.mix, wsBase: `ws://127.0.0.1:${relay.port}`, token: relay.token });
	const started = performance.now();
	const samples: SoakSample[] = [];
	const sample = async (phase: SoakPhase): Promise<SoakSample> => {
		const s = await sampleRelay(relay, baseUrl, {
			t: (performance.now() - started) / 1000,
			phase,
			clientsConnected: mix.connected,
			edits: mix.counts.edits
		});
		samples.push(s);
		return s;
	};
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

	let drainSeconds: number | undefined;
	try {
		// The idle relay, settled after start-up.
		await sleep(3000);
		const baseline = await sample('baseline');
		log(`baseline: ${baseline.rssMb} MB RSS, ${baseline.heapUsedMb} MB heap, ${baseline.documentsInMemory} documents`);

		mix.start();
		const loadEnds = performance.now() + settings.minutes * 60_000;
		while (performance.now() < loadEnds) {
			await sleep(Math.min(settings.sampleSeconds * 1000, Math.max(0, loadEnds - performance.now())));
			const s = await sample('load');
			log(`t=${s.t}s clients ${s.clientsConnected}, ${s.documentsInMemory} documents, ${s.rssMb} MB RSS, ${s.heapUsedMb}/${s.heapTotalMb} MB heap, ${s.externalMb} MB external, ${s.edits} edits`);
		}
		mix.stop();
		const left = performance.now();
		log('every client left; watching the relay come back down');

		// Until the documents are gone, then as long again as the settle time, for memory to follow.
		let goneAt: number | undefined;
		for (;;) {
			await sleep(settings.sampleSeconds * 1000);
			const s = await sample('drain');
			log(`drain t=${s.t}s ${s.documentsInMemory} documents, ${s.relayConnections} connections, ${s.rssMb} MB RSS, ${s.heapUsedMb}/${s.heapTotalMb} MB heap, ${s.externalMb} MB external`);
			const documentsGone = s.documentsInMemory <= baseline.documentsInMemory && s.relayConnections === 0;
			if (documentsGone && goneAt === undefined) {
				goneAt = performance.now();
				drainSeconds = Math.round((goneAt - left) / 1000);
			}
			if (goneAt !== undefined && performance.now() - goneAt >= SETTLE_MS) break;
			if (performance.now() - left > drainLimitMs) break;
		}
	} finally {
		mix.stop();
		await relay.shutdown();
	}
	return report(settings, samples, mix.counts, drainSeconds);
}

function report(settings: SoakSettings, samples: SoakSample[], counts: LoadMix['counts'], drainSeconds: number | undefined): BenchReport {
	const baseline = samples.find((s) => s.phase === 'baseline')!;
	const load = samples.filter((s) => s.phase === 'load');
	const end = samples[samples.length - 1]!;
	const endOfLoad = load[load.length - 1] ?? baseline;
	const peak = load.reduce((p, s) => (s.rssMb > p.rssMb ? s : p), baseline);
	// Under a steady load memory should level off: the trend over the second half of the load.
	const secondHalf = load.slice(Math.floor(load.length / 2));
	const slope = (pick: (s: SoakSample) => number) =>
		secondHalf.length >= 2 ? ((pick(secondHalf[secondHalf.length - 1]!) - pick(secondHalf[0]!)) / (secondHalf[secondHalf.length - 1]!.t - secondHalf[0]!.t)) * 60 : Number.NaN;
	const verdict = {
		documentsBackToBaseline: end.documentsInMemory <= baseline.documentsInMemory,
		connectionsClosed: end.relayConnections === 0,
		heapBackToBaseline: end.heapUsedMb <= baseline.heapUsedMb + HEAP_SLACK_MB,
		rssBackToBaseline: end.rssMb <= baseline.rssMb + RSS_SLACK_MB
	};
	const passed = Object.values(verdict).every(Boolean);
	const seconds = (endOfLoad.t - baseline.t) || 1;

	const mode = settings.quick ? 'quick' : 'full';
	const file = `soak${settings.label ? `.${settings.label}` : ''}${settings.quick ? '.quick' : ''}.json`;
	const cpu = cpus();
	mkdirSync(RESULTS_DIR, { recursive: true });
	writeFileSync(
		`${RESULTS_DIR}${file}`,
		`${JSON.stringify(
			{
				benchmark: 'soak',
				mode,
				date: new Date().toISOString(),
				node: process.version,
				platform: `${platform()} ${release()}`,
				cpu: { model: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length },
				loadAverageAtEnd: loadavg().map((n) => Math.round(n * 100) / 100),
				settings,
				allocator: allocatorSettings(),
				counts,
				ratesAchieved: { editsPerSecond: Math.round(counts.edits / seconds), presencePerSecond: Math.round(counts.presence / seconds) },
				baseline,
				peak,
				endOfLoad,
				afterDrain: end,
				drainSeconds: drainSeconds ?? null,
				trendUnderLoadMbPerMinute: { rss: slope((s) => s.rssMb), heap: slope((s) => s.heapUsedMb) },
				slackMb: { heap: HEAP_SLACK_MB, rss: RSS_SLACK_MB },
				verdict,
				passed,
				samples
			},
			null,
			'\t'
		)}\n`
	);

	const allocator = Object.entries(allocatorSettings()).map(([name, value]) => `${name}=${value}`);
	const row = (label: string, s: SoakSample) => [label, `${s.t}`, `${s.clientsConnected}`, `${s.documentsInMemory}`, `${s.rssMb}`, `${s.heapUsedMb}`, `${s.externalMb}`];
	// One row a minute (at most), so a long run stays readable; every sample is in the JSON.
	const every = Math.max(1, Math.round(60 / settings.sampleSeconds));
	const timeline = load.filter((_, i) => i % every === every - 1 || i === load.length - 1);
	const markdown = [
		`${settings.minutes} min at ${settings.mix.editsPerSecond} edits/s over ${settings.mix.docs} documents, ` +
			`${settings.mix.clients} clients (${Math.round(settings.mix.plainShare * 100)} % plain \`/doc\`, the rest \`/sync\` devices on ${settings.mix.docsPerDevice} documents each), ` +
			`${settings.mix.churnPerSecond} replaced per second, ${settings.mix.presencePerSecond} presence changes/s; relay DOC_IDLE_MS=${settings.idleMs}` +
			`${allocator.length > 0 ? `, ${allocator.join(' ')}` : ''}. Heap is live memory after a full GC.`,
		'',
		table(['', 's', 'clients', 'docs in memory', 'RSS MB', 'heap MB', 'external MB'], [
			row('baseline (idle)', baseline),
			...timeline.map((s) => row('load', s)),
			row('peak RSS under load', peak),
			row(`after everyone left (${drainSeconds ?? '–'} s to unload)`, end)
		]),
		'',
		table(['measure', 'value'], [
			['edits made / presence changes', `${counts.edits} / ${counts.presence} (${Math.round(counts.edits / seconds)}/s, ${Math.round(counts.presence / seconds)}/s)`],
			['connects / disconnects', `${counts.connects} / ${counts.disconnects}`],
			['RSS / heap trend, second half of the load', `${fmt(slope((s) => s.rssMb), 1)} / ${fmt(slope((s) => s.heapUsedMb), 1)} MB/min`],
			['documents back to baseline', verdict.documentsBackToBaseline ? 'yes' : 'no'],
			[`heap within ${HEAP_SLACK_MB} MB of baseline`, verdict.heapBackToBaseline ? 'yes' : 'no'],
			[`RSS within ${RSS_SLACK_MB} MB of baseline`, verdict.rssBackToBaseline ? 'yes' : 'no']
		]),
		'',
		`Results written to \`bench/results/${file}\`.`
	].join('\n');
	return { markdown, passed };
}

/**
 * glibc's malloc settings the relay inherited: they decide whether memory zlib
 * freed (per-message deflate) goes back to the system, so they belong with the figures.
 */
function allocatorSettings(): Record<string, string> {
	return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('MALLOC_') && entry[1] !== undefined));
}
