/**
 * Relay load benchmark: the same load generator (N sockets × M documents,
 * updates/s, fan-out latency) against Outrider and the servers it is compared
 * with (the y-websocket reference server, Hocuspocus), each in its own child
 * process with its own client; relay RSS and CPU; and a capacity ramp giving
 * each server's updates/s at equal p99.
 *
 * Flags (after `npm run bench -- --only=relay`): --targets=<ids> (default: all
 * that can run here), --scenario=<names> (small, target, double rate,
 * capacity), --rounds=<n> (capacity ramps per server, best counts; 3 by default),
 * --sockets/--docs/--rate/--seconds (one custom scenario), --cpu-prof.
 * BENCH_SERVER_NODE_FLAGS adds Node flags to every server process (`--trace-gc`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round } from '../markdown';
import type { Benchmark, BenchOptions, BenchReport } from '../types';
import { bestRounds, runCapacity, type CapacityPlan, type CapacityResult } from './capacity';
import { runScenario, type Scenario, type ScenarioResult } from './measure';
import { render, type Goal } from './render';
import { TARGETS, type RelayTarget } from './targets';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** The goal for Outrider on this 2-core machine. */
const TARGET = { p99Ms: 50, rssMb: 300 };
/** "Throughput at equal p99": every server's rate is read at the same p99 ceiling. */
const P99_LIMIT_MS = 50;

const FULL: Scenario[] = [
	{ name: 'small', sockets: 200, docs: 100, rate: 200, seconds: 10, warmupSeconds: 2 },
	{ name: 'target', sockets: 2000, docs: 1000, rate: 500, seconds: 10, warmupSeconds: 2, target: TARGET },
	{ name: 'double rate', sockets: 2000, docs: 1000, rate: 1000, seconds: 10, warmupSeconds: 2 }
];
const QUICK: Scenario[] = [{ name: 'smoke', sockets: 200, docs: 100, rate: 200, seconds: 3, warmupSeconds: 0.5 }];

const FULL_CAPACITY: CapacityPlan = {
	sockets: 2000,
	docs: 1000,
	// Finer steps where the servers part ways (8,000–12,000 on a 2-core machine shared with the generator).
	rates: [2000, 4000, 6000, 8000, 9000, 10000, 11000, 12000, 14000],
	stepSeconds: 4,
	warmupSeconds: 1,
	p99LimitMs: P99_LIMIT_MS,
	rounds: 3
};
const QUICK_CAPACITY: CapacityPlan = { sockets: 200, docs: 100, rates: [500, 1000, 2000, 4000], stepSeconds: 2, warmupSeconds: 0.5, p99LimitMs: P99_LIMIT_MS, rounds: 1 };

export const relayBenchmark: Benchmark = {
	name: 'relay',
	description: 'Outrider vs y-websocket and Hocuspocus under one load generator: fan-out latency, updates/s at equal p99, RSS, CPU',
	run: runRelayBenchmark
};

interface Plan {
	scenarios: Scenario[];
	capacity?: CapacityPlan;
	mode: 'full' | 'quick' | 'custom';
	cpuProfile: boolean;
	targetIds?: string[];
}

async function runRelayBenchmark(options: BenchOptions): Promise<BenchReport> {
	const plan = choosePlan(options);
	const fdLimit = openFileLimit();
	// Other work on the machine skews every figure here; recorded so a noisy run can be recognised.
	const loadAtStart = loadavg().map((n) => round(n, 2));
	const notes: string[] = [];
	const neededFds = Math.max(0, ...plan.scenarios.map((s) => s.sockets), plan.capacity?.sockets ?? 0) + 128;
	if (fdLimit !== undefined && fdLimit < neededFds) {
		const note = `Open-file limit is ${fdLimit}, below the ~${neededFds} descriptors each side needs: raise it first (\`ulimit -n 8192\`).`;
		notes.push(`**Warning:** ${note}`);
		options.log(note);
	}

	const { targets, skipped } = await chooseTargets(plan.targetIds);
	for (const s of skipped) {
		options.log(`skipping ${s.id}: ${s.reason}`);
		notes.push(`${s.label} skipped: ${s.reason}.`);
	}
	const profileDir = plan.cpuProfile ? `${RESULTS_DIR}profiles` : undefined;

	// Scenario by scenario, every server in turn: drifting load on the shared machine then touches all of them alike.
	const results: ScenarioResult[] = [];
	for (const scenario of plan.scenarios) {
		for (const target of targets) {
			options.log(`${target.label}, "${scenario.name}": ${scenario.sockets} sockets × ${scenario.docs} docs, ${scenario.rate} upd/s for ${scenario.seconds} s`);
			const checked = target.id === 'outrider' ? scenario : { ...scenario, target: undefined };
			const result = await runScenario(target, checked, options.log, target.outrider ? profileDir : undefined);
			results.push(result);
			options.log(result.error ? `  failed: ${result.error}` : `  p50 ${result.latencyMs?.p50} ms, p99 ${result.latencyMs?.p99} ms`);
		}
	}
	const capacity: CapacityResult[] = [];
	if (plan.capacity) {
		for (let round = 1; round <= plan.capacity.rounds; round++) {
			for (const target of round % 2 === 1 ? targets : [...targets].reverse()) {
				options.log(
					`${target.label}, capacity round ${round}/${plan.capacity.rounds}: ${plan.capacity.sockets} sockets × ${plan.capacity.docs} docs, rates ${plan.capacity.rates.join(', ')} upd/s`
				);
				const result = await runCapacity(target, plan.capacity, round, options.log, target.outrider && round === 1 ? profileDir : undefined);
				capacity.push(result);
				options.log(result.error ? `  failed: ${result.error}` : `  max ${result.maxRate ?? '–'} upd/s with p99 ≤ ${plan.capacity.p99LimitMs} ms`);
			}
		}
	}

	const targetRows = results.filter((r) => r.target);
	const passed = targetRows.length > 0 ? targetRows.every((r) => r.target?.passed) : undefined;
	const goal = plan.capacity ? assessGoal(targets, capacity, plan.capacity) : undefined;

	const file = plan.mode === 'full' ? 'relay.json' : `relay.${plan.mode}.json`;
	mkdirSync(RESULTS_DIR, { recursive: true });
	const cpu = cpus();
	const doc = {
		benchmark: 'relay',
		mode: plan.mode,
		date: new Date().toISOString(),
		node: process.version,
		platform: `${platform()} ${release()}`,
		cpu: { model: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length },
		memoryGb: round(totalmem() / 1024 ** 3, 1),
		openFileLimit: fdLimit ?? null,
		loadAverageAtStart: loadAtStart,
		note: 'Each server in its own process; the load generator shares the same machine (and cores). Latency is sender-to-receiver wall time, both in the generator process.',
		servers: targets.map((t) => ({ id: t.id, label: t.label, persistence: t.persistence, durable: t.durable, instances: t.instances })),
		skipped,
		target: { scenario: '2000 sockets × 1000 docs at 500 upd/s (Outrider, SQLite)', p99Ms: TARGET.p99Ms, rssMb: TARGET.rssMb, passed: passed ?? null },
		goal: goal ?? null,
		scenarios: results,
		capacity
	};
	writeFileSync(`${RESULTS_DIR}${file}`, `${JSON.stringify(doc, null, '\t')}\n`);
	notes.push(`Results written to \`bench/results/${file}\`.`);
	if (profileDir) notes.push('Outrider CPU profiles written to `bench/results/profiles/` (open in Chrome DevTools → Performance).');

	return { markdown: render({ targets, results, capacity, capacityPlan: plan.capacity, goal, notes }), passed: goal ? passed !== false && goal.met : passed };
}

async function chooseTargets(ids: string[] | undefined): Promise<{ targets: RelayTarget[]; skipped: Array<{ id: string; label: string; reason: string }> }> {
	if (ids) {
		const unknown = ids.filter((id) => !TARGETS.some((t) => t.id === id));
		if (unknown.length > 0) throw new Error(`no relay target named ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.id).join(', ')}`);
	}
	const targets: RelayTarget[] = [];
	const skipped: Array<{ id: string; label: string; reason: string }> = [];
	for (const target of TARGETS) {
		if (ids && !ids.includes(target.id)) continue;
		const reason = await target.unavailable();
		if (reason) skipped.push({ id: target.id, label: target.label, reason });
		else targets.push(target);
	}
	return { targets, skipped };
}

/** The goal: Outrider (SQLite) ahead of the best persisting peer on updates/s at equal p99. */
function assessGoal(targets: RelayTarget[], capacity: CapacityResult[], plan: CapacityPlan): Goal | undefined {
	const rounds = bestRounds(capacity);
	const outrider = rounds.find((c) => c.server === 'outrider');
	const peers = rounds.filter((c) => {
		const target = targets.find((t) => t.id === c.server);
		return target && !target.outrider && target.durable;
	});
	if (!outrider || peers.length === 0) return undefined;
	const best = peers.reduce((a, c) => ((c.maxRate ?? 0) > (a.maxRate ?? 0) ? c : a));
	const ours = outrider.maxRate ?? 0;
	const theirs = best.maxRate ?? 0;
	// Both at the top of the ramp: the ramp, not either server, set the figures.
	const undecided = outrider.rampTopReached && best.rampTopReached;
	return {
		statement: `Outrider ahead of the best of them on throughput at equal p99 (≤ ${plan.p99LimitMs} ms), with persistence on`,
		outriderRate: ours,
		bestPeer: best.server,
		bestPeerRate: theirs,
		met: !undecided && ours > theirs,
		undecided
	};
}

function choosePlan(options: BenchOptions): Plan {
	const { values } = parseArgs({
		args: options.args,
		options: {
			sockets: { type: 'string' },
			docs: { type: 'string' },
			rate: { type: 'string' },
			seconds: { type: 'string' },
			scenario: { type: 'string' },
			targets: { type: 'string' },
			rounds: { type: 'string' },
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
	const rawTargets = typeof values.targets === 'string' ? values.targets : process.env.BENCH_TARGETS;
	const targetIds = rawTargets ? rawTargets.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

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
		return { scenarios: [custom], mode: 'custom', cpuProfile, targetIds };
	}
	let scenarios = options.quick ? QUICK : FULL;
	let capacity: CapacityPlan | undefined = options.quick ? QUICK_CAPACITY : FULL_CAPACITY;
	if (typeof values.scenario === 'string') {
		const wanted = values.scenario.split(',');
		scenarios = FULL.concat(QUICK).filter((s) => wanted.includes(s.name));
		if (!wanted.includes('capacity')) capacity = undefined;
		if (scenarios.length === 0 && !capacity) throw new Error(`no relay scenario named ${values.scenario}`);
	}
	const rounds = pick(values.rounds, 'BENCH_ROUNDS');
	if (capacity && rounds !== undefined) capacity = { ...capacity, rounds: Math.round(rounds) };
	if (seconds !== undefined) scenarios = scenarios.map((s) => ({ ...s, seconds }));
	const mode = options.quick ? 'quick' : typeof values.scenario === 'string' || seconds !== undefined || rounds !== undefined || targetIds ? 'custom' : 'full';
	return { scenarios, capacity, mode, cpuProfile, targetIds };
}

/** Soft RLIMIT_NOFILE of this process (the server children inherit it); undefined off Linux. */
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
