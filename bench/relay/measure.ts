/**
 * One target under a fixed load: start its server(s), connect the generator's
 * sockets with the target's own client, drive updates at a set rate, read the
 * server's RSS and CPU around the measured phase.
 */
import { round, summarize } from '../markdown';
import { closesOf, closeTarget, cpuOf, deadline, generatorFigures, MB, openTarget, withPeakRss, type Running } from './running-target';
import type { RelayTarget } from './targets';

export interface Scenario {
	name: string;
	sockets: number;
	docs: number;
	/** Updates per second across all sockets. */
	rate: number;
	seconds: number;
	warmupSeconds: number;
	/** The target, checked for this row (Outrider's rows only). */
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
		running = await openTarget(target, scenario.sockets, scenario.docs, log, cpuProfileDir);
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
	const shutdownMs = await closeTarget(running, log);
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
