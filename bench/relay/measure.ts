/**
 * One target under one load: start its server(s), connect the generator's
 * sockets with the target's own client, drive updates, read the server's
 * RSS and CPU around the measured phase. A fixed-rate scenario gives one row;
 * a capacity ramp raises the rate until p99 or delivery gives way.
 */
import { loadavg } from 'node:os';
import { round, summarize } from '../markdown';
import type { RelayStats } from './ipc';
import { LoadGenerator, type PhaseResult } from './load-generator';
import { TargetServers } from './target-servers';
import type { RelayTarget } from './targets';

const MB = 1024 * 1024;

export interface Scenario {
	name: string;
	sockets: number;
	docs: number;
	/** Updates per second across all sockets. */
	rate: number;
	seconds: number;
	warmupSeconds: number;
	/** The issue's target, checked for this row (Outrider's rows only). */
	target?: { p99Ms: number; rssMb: number };
}

export interface ScenarioResult {
	/** Which server (RelayTarget.id). */
	server: string;
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
	generator?: { cpuSeconds: number; cpuPercent: number; loopDelayP99Ms: number };
	unexpectedCloses?: Record<string, number>;
	target?: { p99Ms: number; rssMb: number; passed: boolean };
}

export interface CapacityPlan {
	sockets: number;
	docs: number;
	/** Rates tried in order until one fails (twice); then one step halfway back. */
	rates: number[];
	stepSeconds: number;
	warmupSeconds: number;
	/** A step passes when p99 stays at or under this, every delivery arrives and the rate is reached. */
	p99LimitMs: number;
}

export interface CapacityStep {
	rate: number;
	achievedRate: number;
	deliveries: number;
	expectedDeliveries: number;
	latencyMs: NonNullable<ScenarioResult['latencyMs']>;
	serverCpuPercent: number;
	generatorCpuPercent: number;
	serverLoopDelayP99Ms: number;
	peakRssMb: number;
	/** The machine's 1-minute load average after the step: other work skews it. */
	loadAverage1m: number;
	passed: boolean;
	/** Why it did not pass. */
	failed?: string;
}

export interface CapacityResult {
	server: string;
	sockets: number;
	docs: number;
	p99LimitMs: number;
	steps: CapacityStep[];
	/** The highest achieved rate of a passing step: updates/s sustained with p99 within the limit. */
	maxRate?: number;
	/** The passing step that gave maxRate. */
	atMax?: CapacityStep;
	/** Whether even the top of the ramp passed, so the true maximum is higher. */
	rampTopReached: boolean;
	connectSeconds?: number;
	error?: string;
	unexpectedCloses?: Record<string, number>;
}

interface Running {
	servers: TargetServers;
	generator: LoadGenerator;
}

/** Starts the target and connects `sockets` clients over `docs` documents. */
async function open(target: RelayTarget, sockets: number, docs: number, log: (line: string) => void, cpuProfileDir?: string): Promise<Running> {
	const servers = await TargetServers.start(target, { cpuProfileDir, log });
	try {
		const generator = new LoadGenerator({
			sockets,
			docs,
			docName: (i) => `account:bench-${i}`,
			transport: await target.transport(servers.endpoints),
			connectBatch: 100,
			log: (line) => log(`  ${line}`)
		});
		return { servers, generator };
	} catch (err) {
		servers.kill();
		throw err;
	}
}

async function close(running: Running, log: (line: string) => void): Promise<number> {
	await running.generator.close();
	const closed = await running.servers.shutdown();
	log(`  server closed in ${Math.round(closed.ms)} ms`);
	return closed.ms;
}

/** Rejects after `ms`: every phase is bounded on its own; this is the backstop if something hangs anyway. */
function deadline(ms: number, what: string): { promise: Promise<never>; clear(): void } {
	let timer: NodeJS.Timeout | undefined;
	const promise = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} exceeded ${Math.round(ms / 1000)} s`)), ms);
	});
	return { promise, clear: () => clearTimeout(timer) };
}

/** Samples the server's RSS every 500 ms while `work` runs; resolves with both. */
async function withPeakRss<T>(servers: TargetServers, start: number, work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
	let peakRss = start;
	const sampler = setInterval(() => {
		servers.stats().then(
			(s) => {
				peakRss = Math.max(peakRss, s.rssBytes);
			},
			() => undefined
		);
	}, 500);
	try {
		return { value: await work(), peakRss };
	} finally {
		clearInterval(sampler);
	}
}

const cpuOf = (s: RelayStats) => (s.cpuUserMicros + s.cpuSystemMicros) / 1e6;
const closesOf = (generator: LoadGenerator) => Object.fromEntries([...generator.unexpectedCloses].map(([code, n]) => [String(code), n]));

export async function runScenario(target: RelayTarget, scenario: Scenario, log: (line: string) => void, cpuProfileDir?: string): Promise<ScenarioResult> {
	const base: ScenarioResult = {
		server: target.id,
		scenario: scenario.name,
		sockets: scenario.sockets,
		docs: scenario.docs,
		targetRate: scenario.rate,
		seconds: scenario.seconds
	};
	let running: Running;
	try {
		running = await open(target, scenario.sockets, scenario.docs, log, cpuProfileDir);
	} catch (err) {
		return { ...base, error: err instanceof Error ? err.message : String(err) };
	}
	const guard = deadline(120_000 + (scenario.seconds + scenario.warmupSeconds) * 3_000 + scenario.sockets * 50, `scenario ${scenario.name}`);
	let result: ScenarioResult;
	try {
		result = await Promise.race([measureScenario(scenario, running, base), guard.promise]);
	} catch (err) {
		running.servers.kill();
		result = { ...base, error: err instanceof Error ? err.message : String(err) };
	} finally {
		guard.clear();
	}
	const shutdownMs = await close(running, log);
	if (result.relay) result.relay.shutdownMs = Math.round(shutdownMs);
	return result;
}

async function measureScenario(scenario: Scenario, { servers, generator }: Running, base: ScenarioResult): Promise<ScenarioResult> {
	const idle = await servers.stats();
	const connectMs = await generator.connect();
	const connected = await servers.stats();
	if (scenario.warmupSeconds > 0) await generator.drive(scenario.rate, scenario.warmupSeconds, false);

	const before = await servers.stats({ resetLoopDelay: true });
	const { value: phase, peakRss: sampledPeak } = await withPeakRss(servers, before.rssBytes, () => generator.drive(scenario.rate, scenario.seconds, true));
	const after = await servers.stats();
	const peakRssMb = round(Math.max(sampledPeak, after.rssBytes) / MB, 1);

	const lat = summarize(phase.latencies);
	const cpuSeconds = cpuOf(after) - cpuOf(before);
	const loadSeconds = phase.wallMs / 1000;
	const commits = after.commits.count - before.commits.count;
	const commitMs = after.commits.totalMs - before.commits.totalMs;

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
				// Since the server started: the per-phase maximum is not tracked separately.
				maxMs: round(after.commits.maxMs, 2),
				updatesPerCommit: commits > 0 ? round((after.commits.updates - before.commits.updates) / commits, 1) : 0
			},
			shutdownMs: 0
		},
		generator: generatorFigures(phase),
		unexpectedCloses: closesOf(generator)
	};
	if (scenario.target) {
		const passed = lat.samples > 0 && lat.p99 < scenario.target.p99Ms && peakRssMb < scenario.target.rssMb && phase.deliveries >= phase.expectedDeliveries;
		result.target = { ...scenario.target, passed };
	}
	return result;
}

function generatorFigures(phase: PhaseResult): NonNullable<ScenarioResult['generator']> {
	return {
		cpuSeconds: round(phase.generatorCpuMs / 1000, 2),
		cpuPercent: round((phase.generatorCpuMs / phase.wallMs) * 100, 1),
		loopDelayP99Ms: round(phase.generatorLoopDelayP99Ms, 2)
	};
}

export async function runCapacity(target: RelayTarget, plan: CapacityPlan, log: (line: string) => void): Promise<CapacityResult> {
	const base: CapacityResult = { server: target.id, sockets: plan.sockets, docs: plan.docs, p99LimitMs: plan.p99LimitMs, steps: [], rampTopReached: false };
	let running: Running;
	try {
		running = await open(target, plan.sockets, plan.docs, log);
	} catch (err) {
		return { ...base, error: err instanceof Error ? err.message : String(err) };
	}
	const guard = deadline(120_000 + (plan.rates.length + 1) * (plan.stepSeconds + plan.warmupSeconds + 10) * 1000 + plan.sockets * 50, 'capacity ramp');
	try {
		await Promise.race([ramp(plan, running, base, log), guard.promise]);
	} catch (err) {
		running.servers.kill();
		base.error = err instanceof Error ? err.message : String(err);
	} finally {
		guard.clear();
	}
	base.unexpectedCloses = closesOf(running.generator);
	await close(running, log);
	const passing = base.steps.filter((s) => s.passed);
	const best = passing.reduce<CapacityStep | undefined>((a, s) => (!a || s.achievedRate > a.achievedRate ? s : a), undefined);
	if (best) {
		base.maxRate = best.achievedRate;
		base.atMax = best;
	}
	return base;
}

async function ramp(plan: CapacityPlan, { servers, generator }: Running, result: CapacityResult, log: (line: string) => void): Promise<void> {
	result.connectSeconds = round((await generator.connect()) / 1000, 2);
	let lastPass: CapacityStep | undefined;
	let failedAt: number | undefined;
	for (const rate of plan.rates) {
		const step = await attempt(plan, rate, servers, generator, result, log);
		if (!step.passed) {
			failedAt = rate;
			break;
		}
		lastPass = step;
	}
	if (failedAt === undefined) {
		result.rampTopReached = true;
		return;
	}
	// One step halfway between the last rate that held and the first that did not.
	const mid = lastPass ? Math.round((lastPass.rate + failedAt) / 200) * 100 : undefined;
	if (mid === undefined || !lastPass || mid <= lastPass.rate || mid >= failedAt) return;
	await attempt(plan, mid, servers, generator, result, log);
}

/**
 * One rate, measured up to twice: other work on the shared cores can spoil one
 * short step, so a rate fails only when a second try fails too.
 */
async function attempt(
	plan: CapacityPlan,
	rate: number,
	servers: TargetServers,
	generator: LoadGenerator,
	result: CapacityResult,
	log: (line: string) => void
): Promise<CapacityStep> {
	let step: CapacityStep | undefined;
	for (let tries = 1; tries <= 2 && !step?.passed; tries++) {
		// Let a failed try's backlog drain before measuring again.
		if (step) await new Promise((r) => setTimeout(r, 3_000));
		step = await capacityStep(plan, rate, servers, generator);
		result.steps.push(step);
		log(`  ${rate} upd/s: p99 ${step.latencyMs.p99} ms, achieved ${step.achievedRate}, ${step.passed ? 'pass' : `fail (${step.failed})`}, load ${step.loadAverage1m}`);
	}
	return step as CapacityStep;
}

async function capacityStep(plan: CapacityPlan, rate: number, servers: TargetServers, generator: LoadGenerator): Promise<CapacityStep> {
	if (plan.warmupSeconds > 0) await generator.drive(rate, plan.warmupSeconds, false);
	const before = await servers.stats({ resetLoopDelay: true });
	const { value: phase, peakRss } = await withPeakRss(servers, before.rssBytes, () => generator.drive(rate, plan.stepSeconds, true));
	const after = await servers.stats();
	const lat = summarize(phase.latencies);
	const achievedRate = round(phase.sent / (phase.sendMs / 1000), 1);
	const failures: string[] = [];
	if (lat.samples === 0) failures.push('nothing delivered');
	if (lat.p99 > plan.p99LimitMs) failures.push(`p99 ${lat.p99} ms > ${plan.p99LimitMs} ms`);
	if (phase.deliveries < phase.expectedDeliveries) failures.push(`${phase.expectedDeliveries - phase.deliveries} deliveries missing`);
	// The generator shares the cores: falling behind the schedule is a failure too.
	if (achievedRate < rate * 0.97) failures.push(`sent only ${achievedRate} upd/s`);
	return {
		rate,
		achievedRate,
		deliveries: phase.deliveries,
		expectedDeliveries: phase.expectedDeliveries,
		latencyMs: lat,
		serverCpuPercent: round(((cpuOf(after) - cpuOf(before)) / (phase.wallMs / 1000)) * 100, 1),
		generatorCpuPercent: generatorFigures(phase).cpuPercent,
		serverLoopDelayP99Ms: round(after.loopDelay.p99, 2),
		peakRssMb: round(Math.max(peakRss, after.rssBytes) / MB, 1),
		loadAverage1m: round(loadavg()[0] ?? 0, 2),
		passed: failures.length === 0,
		failed: failures.length > 0 ? failures.join('; ') : undefined
	};
}
