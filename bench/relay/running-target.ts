/**
 * Starting one target for a measurement: its server(s) and the generator's
 * sockets with the target's own client, and the small helpers every
 * measurement of it shares.
 */
import { round } from '../markdown';
import type { RelayStats } from './ipc';
import { LoadGenerator, type PhaseResult } from './load-generator';
import { TargetServers } from './target-servers';
import type { RelayTarget } from './targets';

export const MB = 1024 * 1024;

export interface Running {
	servers: TargetServers;
	generator: LoadGenerator;
}

/** Starts the target and connects `sockets` clients over `docs` documents. */
export async function openTarget(target: RelayTarget, sockets: number, docs: number, log: (line: string) => void, cpuProfileDir?: string): Promise<Running> {
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
		await servers.shutdown();
		throw err;
	}
}

export async function closeTarget(running: Running, log: (line: string) => void): Promise<number> {
	await running.generator.close();
	const closed = await running.servers.shutdown();
	log(`  server closed in ${Math.round(closed.ms)} ms`);
	return closed.ms;
}

/** Rejects after `ms`: every phase is bounded on its own; this is the backstop if something hangs anyway. */
export function deadline(ms: number, what: string): { promise: Promise<never>; clear(): void } {
	let timer: NodeJS.Timeout | undefined;
	const promise = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} exceeded ${Math.round(ms / 1000)} s`)), ms);
	});
	return { promise, clear: () => clearTimeout(timer) };
}

/** Samples the server's RSS every 500 ms while `work` runs; resolves with both. */
export async function withPeakRss<T>(servers: TargetServers, start: number, work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
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

export const cpuOf = (s: RelayStats) => (s.cpuUserMicros + s.cpuSystemMicros) / 1e6;
export const closesOf = (generator: LoadGenerator) => Object.fromEntries([...generator.unexpectedCloses].map(([code, n]) => [String(code), n]));

/** The generator's own CPU and loop delay over a phase: when these are high, it and not the server set the pace. */
export function generatorFigures(phase: PhaseResult): { cpuSeconds: number; cpuPercent: number; loopDelayP99Ms: number } {
	return {
		cpuSeconds: round(phase.generatorCpuMs / 1000, 2),
		cpuPercent: round((phase.generatorCpuMs / phase.wallMs) * 100, 1),
		loopDelayP99Ms: round(phase.generatorLoopDelayP99Ms, 2)
	};
}
