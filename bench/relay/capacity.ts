/**
 * A target's capacity: the rate its clients' updates are raised to, step by
 * step, until p99 fan-out latency or delivery gives way.
 */
import { loadavg } from 'node:os';
import { round, summarize } from '../markdown';
import type { LoadGenerator } from './load-generator';
import type { ScenarioResult } from './measure';
import { closesOf, closeTarget, cpuOf, deadline, generatorFigures, MB, openTarget, withPeakRss, type Running } from './running-target';
import type { TargetServers } from './target-servers';
import type { RelayTarget } from './targets';

export interface CapacityPlan {
	sockets: number;
	docs: number;
	/** Rates tried in order until one fails (twice); then one step halfway back. */
	rates: number[];
	stepSeconds: number;
	warmupSeconds: number;
	/** A step passes when p99 stays at or under this, every delivery arrives and the rate is reached. */
	p99LimitMs: number;
	/**
	 * Whole ramps per server, servers taken in turn (reversed every other round).
	 * Other work on the machine can only lower a server's figure, so the best round counts.
	 */
	rounds: number;
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
	/** Which round of the plan, from 1. */
	round: number;
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

export async function runCapacity(
	target: RelayTarget,
	plan: CapacityPlan,
	round: number,
	log: (line: string) => void,
	cpuProfileDir?: string
): Promise<CapacityResult> {
	const base: CapacityResult = { server: target.id, round, sockets: plan.sockets, docs: plan.docs, p99LimitMs: plan.p99LimitMs, steps: [], rampTopReached: false };
	let running: Running;
	try {
		running = await openTarget(target, plan.sockets, plan.docs, log, cpuProfileDir);
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
	await closeTarget(running, log);
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

/** Each server's best round: what it sustained when the machine disturbed it least. */
export function bestRounds(results: CapacityResult[]): CapacityResult[] {
	const best = new Map<string, CapacityResult>();
	for (const r of results) {
		const held = best.get(r.server);
		if (!held || (r.maxRate ?? -1) > (held.maxRate ?? -1)) best.set(r.server, r);
	}
	return [...best.values()];
}
