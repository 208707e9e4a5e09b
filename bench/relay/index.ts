/**
 * Relay load benchmark: N y-websocket clients over M documents against a relay
 * in its own process; fan-out latency, throughput, relay RSS and CPU.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Benchmark, BenchOptions, BenchReport } from '../types';
import type { RelayStats } from './ipc';
import { LoadGenerator } from './load-generator';
import { RelayHost } from './relay-host';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const MB = 1024 * 1024;

export interface Scenario {
	name: string;
	sockets: number;
	docs: number;
	/** Updates per second across all sockets. */
	rate: number;
	seconds: number;
	warmupSeconds: number;
	/** The issue's target, checked for this row. */
	target?: { p99Ms: number; rssMb: number };
}

/** The issue's goal for this 2-core machine. */
const TARGET = { p99Ms: 50, rssMb: 300 };

const FULL: Scenario[] = [
	{ name: 'small', sockets: 200, docs: 100, rate: 200, seconds: 10, warmupSeconds: 2 },
	{ name: 'target', sockets: 2000, docs: 1000, rate: 500, seconds: 10, warmupSeconds: 2, target: TARGET },
	{ name: 'double rate', sockets: 2000, docs: 1000, rate: 1000, seconds: 10, warmupSeconds: 2 }
];

const QUICK: Scenario[] = [{ name: 'smoke', sockets: 200, docs: 100, rate: 200, seconds: 3, warmupSeconds: 0.5 }];

export interface ScenarioResult {
	scenario: string;
	sockets: number;
	docs: number;
	targetRate: number;
	seconds: number;
	error?: string;
	connectSeconds?: number;
	achievedRate?: number;
	deliveredPerSecond?: number;
	expectedDeliveries?: number;
	deliveries?: number;
	latencyMs?: { samples: number; mean: number; p50: number; p95: number; p99: number; max: number };
	relay?: {
		rssMb: { idle: number; connected: number; peakUnderLoad: number; afterLoad: number };
		heapUsedMbAfterLoad: number;
		cpuSeconds: number;
		cpuPercent: number;
		loopDelayMs: { p50: number; p99: number; max: number };
		commits: { count: number; perSecond: number; meanMs: number; maxMs: number; updatesPerCommit: number };
		shutdownMs: number;
	};
	generator?: { cpuSeconds: number; loopDelayP99Ms: number };
	unexpectedCloses?: Record<string, number>;
	target?: { p99Ms: number; rssMb: number; passed: boolean };
}

export const relayBenchmark: Benchmark = {
	name: 'relay',
	description: 'N y-websocket clients × M documents: fan-out latency, updates/s, relay RSS and CPU',
	run: runRelayBenchmark
};

async function runRelayBenchmark(options: BenchOptions): Promise<BenchReport> {
	const { scenarios, mode, cpuProfile } = chooseScenarios(options);
	const fdLimit = openFileLimit();
	// Other work on the machine skews every figure here; recorded so a noisy run can be recognised.
	const loadAtStart = loadavg().map((n) => round(n, 2));
	const neededFds = Math.max(...scenarios.map((s) => s.sockets)) + 128;
	const notes: string[] = [];
	if (fdLimit !== undefined && fdLimit < neededFds) {
		const note = `Open-file limit is ${fdLimit}, below the ~${neededFds} descriptors each side needs: raise it first (\`ulimit -n 8192\`).`;
		notes.push(`**Warning:** ${note}`);
		options.log(note);
	}
	const profileDir = cpuProfile ? `${RESULTS_DIR}profiles` : undefined;

	const results: ScenarioResult[] = [];
	for (const scenario of scenarios) {
		options.log(
			`scenario "${scenario.name}": ${scenario.sockets} sockets × ${scenario.docs} docs, ${scenario.rate} upd/s for ${scenario.seconds} s`
		);
		const result = await runScenario(scenario, options.log, profileDir);
		results.push(result);
		options.log(result.error ? `  failed: ${result.error}` : `  p50 ${fmt(result.latencyMs?.p50)} ms, p99 ${fmt(result.latencyMs?.p99)} ms`);
	}

	const targetRows = results.filter((r) => r.target);
	const passed = targetRows.length > 0 ? targetRows.every((r) => r.target?.passed) : undefined;

	const file = mode === 'full' ? 'relay.json' : `relay.${mode}.json`;
	mkdirSync(RESULTS_DIR, { recursive: true });
	const cpu = cpus();
	const doc = {
		benchmark: 'relay',
		mode,
		date: new Date().toISOString(),
		node: process.version,
		platform: `${platform()} ${release()}`,
		cpu: { model: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length },
		memoryGb: round(totalmem() / 1024 ** 3, 1),
		openFileLimit: fdLimit ?? null,
		loadAverageAtStart: loadAtStart,
		note: 'Relay in its own process; the load generator shares the same machine (and cores). Latency is sender-to-receiver wall time, both in the generator process.',
		target: { scenario: '2000 sockets × 1000 docs at 500 upd/s', p99Ms: TARGET.p99Ms, rssMb: TARGET.rssMb, passed: passed ?? null },
		scenarios: results
	};
	writeFileSync(`${RESULTS_DIR}${file}`, `${JSON.stringify(doc, null, '\t')}\n`);
	notes.push(`Results written to \`bench/results/${file}\`.`);
	if (profileDir) notes.push(`Relay CPU profiles written to \`bench/results/profiles/\` (open in Chrome DevTools → Performance).`);

	return { markdown: render(results, notes), passed };
}

async function runScenario(scenario: Scenario, log: (line: string) => void, cpuProfileDir: string | undefined): Promise<ScenarioResult> {
	const base: ScenarioResult = {
		scenario: scenario.name,
		sockets: scenario.sockets,
		docs: scenario.docs,
		targetRate: scenario.rate,
		seconds: scenario.seconds
	};
	const relay = await RelayHost.start({ cpuProfileDir, log });
	const generator = new LoadGenerator({
		wsBase: `ws://127.0.0.1:${relay.port}`,
		token: relay.token,
		sockets: scenario.sockets,
		docs: scenario.docs,
		docName: (i) => `account:bench-${i}`,
		connectBatch: 100,
		log: (line) => log(`  ${line}`)
	});
	// Every phase below is bounded on its own; this is the backstop if something hangs anyway.
	const budgetMs = 120_000 + (scenario.seconds + scenario.warmupSeconds) * 3_000 + scenario.sockets * 50;
	let guard: NodeJS.Timeout | undefined;
	const timedOut = new Promise<never>((_, reject) => {
		guard = setTimeout(() => reject(new Error(`scenario exceeded ${Math.round(budgetMs / 1000)} s`)), budgetMs);
	});
	let result: ScenarioResult;
	try {
		result = await Promise.race([measure(scenario, relay, generator, base), timedOut]);
	} catch (err) {
		relay.kill();
		result = { ...base, error: err instanceof Error ? err.message : String(err) };
	} finally {
		clearTimeout(guard);
	}
	await generator.close();
	const closed = await relay.shutdown();
	if (result.relay) result.relay.shutdownMs = Math.round(closed.ms);
	log(`  relay closed in ${Math.round(closed.ms)} ms`);
	return result;
}

async function measure(scenario: Scenario, relay: RelayHost, generator: LoadGenerator, base: ScenarioResult): Promise<ScenarioResult> {
	const idle = await relay.stats();
	const connectMs = await generator.connect();
	const connected = await relay.stats();

	if (scenario.warmupSeconds > 0) await generator.drive(scenario.rate, scenario.warmupSeconds, false);

	const before = await relay.stats({ resetLoopDelay: true });
	let peakRss = before.rssBytes;
	const sampler = setInterval(() => {
		relay.stats().then(
			(s) => {
				peakRss = Math.max(peakRss, s.rssBytes);
			},
			() => undefined
		);
	}, 500);
	let phase;
	try {
		phase = await generator.drive(scenario.rate, scenario.seconds, true);
	} finally {
		clearInterval(sampler);
	}
	const after = await relay.stats();
	peakRss = Math.max(peakRss, after.rssBytes);

	const lat = summarize(phase.latencies);
	const cpuSeconds = cpuOf(after) - cpuOf(before);
	const loadSeconds = phase.wallMs / 1000;
	const commits = after.commits.count - before.commits.count;
	const commitMs = after.commits.totalMs - before.commits.totalMs;
	const peakRssMb = round(peakRss / MB, 1);

	const result: ScenarioResult = {
		...base,
		connectSeconds: round(connectMs / 1000, 2),
		achievedRate: round(phase.sent / (phase.sendMs / 1000), 1),
		deliveredPerSecond: round(phase.deliveries / loadSeconds, 1),
		expectedDeliveries: phase.expectedDeliveries,
		deliveries: phase.deliveries,
		latencyMs: lat,
		relay: {
			rssMb: {
				idle: round(idle.rssBytes / MB, 1),
				connected: round(connected.rssBytes / MB, 1),
				peakUnderLoad: peakRssMb,
				afterLoad: round(after.rssBytes / MB, 1)
			},
			heapUsedMbAfterLoad: round(after.heapUsedBytes / MB, 1),
			cpuSeconds: round(cpuSeconds, 2),
			cpuPercent: round((cpuSeconds / loadSeconds) * 100, 1),
			loopDelayMs: { p50: round(after.loopDelay.p50, 2), p99: round(after.loopDelay.p99, 2), max: round(after.loopDelay.max, 2) },
			commits: {
				count: commits,
				perSecond: round(commits / loadSeconds, 1),
				meanMs: commits > 0 ? round(commitMs / commits, 2) : 0,
				// Since the relay started: the per-phase maximum is not tracked separately.
				maxMs: round(after.commits.maxMs, 2),
				updatesPerCommit: commits > 0 ? round((after.commits.updates - before.commits.updates) / commits, 1) : 0
			},
			shutdownMs: 0
		},
		generator: { cpuSeconds: round(phase.generatorCpuMs / 1000, 2), loopDelayP99Ms: round(phase.generatorLoopDelayP99Ms, 2) },
		unexpectedCloses: Object.fromEntries([...generator.unexpectedCloses].map(([code, n]) => [String(code), n]))
	};
	if (scenario.target) {
		const passed =
			lat.samples > 0 &&
			lat.p99 < scenario.target.p99Ms &&
			peakRssMb < scenario.target.rssMb &&
			phase.deliveries >= phase.expectedDeliveries;
		result.target = { ...scenario.target, passed };
	}
	return result;
}

function chooseScenarios(options: BenchOptions): { scenarios: Scenario[]; mode: 'full' | 'quick' | 'custom'; cpuProfile: boolean } {
	const { values } = parseArgs({
		args: options.args,
		options: {
			sockets: { type: 'string' },
			docs: { type: 'string' },
			rate: { type: 'string' },
			seconds: { type: 'string' },
			scenario: { type: 'string' },
			'cpu-prof': { type: 'boolean' }
		},
		strict: false
	});
	const pick = (flag: unknown, env: string): number | undefined => {
		const raw = typeof flag === 'string' ? flag : process.env[env];
		if (raw === undefined || raw === '') return undefined;
		const n = Number(raw);
		if (!Number.isFinite(n) || n <= 0) throw new Error(`${env} / --${env.slice(6).toLowerCase()} must be a positive number, got ${raw}`);
		return n;
	};
	const sockets = pick(values.sockets, 'BENCH_SOCKETS');
	const docs = pick(values.docs, 'BENCH_DOCS');
	const rate = pick(values.rate, 'BENCH_RATE');
	const seconds = pick(values.seconds, 'BENCH_SECONDS');
	const cpuProfile = values['cpu-prof'] === true || process.env.BENCH_CPU_PROF === '1';

	if (sockets !== undefined || docs !== undefined || rate !== undefined) {
		const s = sockets ?? 2000;
		const d = Math.min(docs ?? Math.max(1, Math.round(s / 2)), s);
		const custom: Scenario = {
			name: 'custom',
			sockets: Math.round(s),
			docs: Math.round(d),
			rate: rate ?? 500,
			seconds: seconds ?? (options.quick ? 3 : 10),
			warmupSeconds: options.quick ? 0.5 : 2
		};
		if (custom.sockets === 2000 && custom.docs === 1000 && custom.rate === 500) custom.target = TARGET;
		return { scenarios: [custom], mode: 'custom', cpuProfile };
	}
	let scenarios = options.quick ? QUICK : FULL;
	if (typeof values.scenario === 'string') {
		const wanted = values.scenario.split(',');
		scenarios = FULL.concat(QUICK).filter((s) => wanted.includes(s.name));
		if (scenarios.length === 0) throw new Error(`no relay scenario named ${values.scenario}`);
	}
	if (seconds !== undefined) scenarios = scenarios.map((s) => ({ ...s, seconds }));
	const mode = options.quick ? 'quick' : typeof values.scenario === 'string' || seconds !== undefined ? 'custom' : 'full';
	return { scenarios, mode, cpuProfile };
}

function render(results: ScenarioResult[], notes: string[]): string {
	const head = ['scenario', 'sockets', 'docs', 'target upd/s', 'achieved upd/s', 'p50 ms', 'p99 ms', 'max ms', 'relay RSS MB', 'relay CPU s'];
	const rows = results.map((r) => [
		r.scenario + (r.error ? ' (failed)' : ''),
		String(r.sockets),
		String(r.docs),
		String(r.targetRate),
		fmt(r.achievedRate, 0),
		fmt(r.latencyMs?.p50),
		fmt(r.latencyMs?.p99),
		fmt(r.latencyMs?.max),
		fmt(r.relay?.rssMb.peakUnderLoad, 0),
		fmt(r.relay?.cpuSeconds)
	]);
	const detailHead = [
		'scenario',
		'p95 ms',
		'delivered msg/s',
		'delivered/expected',
		'connect s',
		'relay CPU %',
		'relay loop delay p99 ms',
		'commits/s',
		'commit mean ms',
		'RSS idle → connected MB',
		'generator CPU s'
	];
	const detailRows = results
		.filter((r) => !r.error)
		.map((r) => [
			r.scenario,
			fmt(r.latencyMs?.p95),
			fmt(r.deliveredPerSecond, 0),
			`${r.deliveries}/${r.expectedDeliveries}`,
			fmt(r.connectSeconds, 1),
			fmt(r.relay?.cpuPercent, 0),
			fmt(r.relay?.loopDelayMs.p99),
			fmt(r.relay?.commits.perSecond, 1),
			fmt(r.relay?.commits.meanMs),
			`${fmt(r.relay?.rssMb.idle, 0)} → ${fmt(r.relay?.rssMb.connected, 0)}`,
			fmt(r.generator?.cpuSeconds)
		]);

	const lines = [table(head, rows), ''];
	for (const r of results) {
		if (r.target) {
			lines.push(
				`Target (${r.sockets} sockets × ${r.docs} docs at ${r.targetRate} upd/s: p99 < ${r.target.p99Ms} ms, RSS < ${r.target.rssMb} MB, nothing lost): **${r.target.passed ? 'PASS' : 'FAIL'}**`,
				''
			);
		}
		if (r.error) lines.push(`Scenario "${r.scenario}" failed: ${r.error}`, '');
		const closes = Object.entries(r.unexpectedCloses ?? {});
		if (closes.length > 0) lines.push(`Scenario "${r.scenario}": sockets closed by the relay: ${closes.map(([c, n]) => `${n}× code ${c}`).join(', ')}`, '');
	}
	if (detailRows.length > 0) lines.push('Details:', '', table(detailHead, detailRows), '');
	lines.push(
		'Latency is from the sender calling Y.Map.set to the other socket of the document receiving the relayed message, all clients in one generator process on the same cores as the relay. RSS is the relay process peak during the measured phase (MiB); CPU is user+system of the relay during that phase.',
		...notes.map((n) => `\n${n}`)
	);
	return lines.join('\n');
}

function table(head: string[], rows: string[][]): string {
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
	return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function summarize(samples: Float64Array): NonNullable<ScenarioResult['latencyMs']> {
	if (samples.length === 0) return { samples: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
	const sorted = Float64Array.from(samples).sort();
	// Nearest rank: the smallest sample with at least q of all samples at or below it.
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

const cpuOf = (s: RelayStats) => (s.cpuUserMicros + s.cpuSystemMicros) / 1e6;

/** Soft RLIMIT_NOFILE of this process (the relay child inherits it); undefined off Linux. */
function openFileLimit(): number | undefined {
	try {
		const line = readFileSync('/proc/self/limits', 'utf8')
			.split('\n')
			.find((l) => l.startsWith('Max open files'));
		const soft = line?.split(/\s{2,}/)[1];
		if (!soft) return undefined;
		return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
	} catch {
		return undefined;
	}
}

function round(n: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}

function fmt(n: number | undefined, digits = 2): string {
	return n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
}
