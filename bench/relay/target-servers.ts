import type { RelayStats } from './ipc';
import { RelayHost } from './relay-host';
import type { RelayTarget, TargetEndpoint } from './targets';

/** The running instances of one target, measured as one server: their RSS and CPU add up. */
export class TargetServers {
	private constructor(
		readonly target: RelayTarget,
		private readonly hosts: RelayHost[],
		private readonly env: Record<string, string>
	) {}

	static async start(target: RelayTarget, options: { cpuProfileDir?: string; log(line: string): void }): Promise<TargetServers> {
		const env = target.env();
		const hosts: RelayHost[] = [];
		try {
			for (let i = 0; i < target.instances; i++) {
				hosts.push(await RelayHost.start({ script: target.script, env, cpuProfileDir: options.cpuProfileDir, log: options.log }));
			}
		} catch (err) {
			for (const host of hosts) host.kill();
			await target.cleanUp?.(env).catch(() => undefined);
			throw err;
		}
		return new TargetServers(target, hosts, env);
	}

	get endpoints(): TargetEndpoint[] {
		return this.hosts.map((h) => ({ port: h.port, token: h.token }));
	}

	async stats(options: { resetLoopDelay?: boolean } = {}): Promise<RelayStats> {
		const all = await Promise.all(this.hosts.map((h) => h.stats(options)));
		return all.reduce(addStats);
	}

	/** Closes every instance (each flushes to its store); the slowest one's time, ms. */
	async shutdown(): Promise<{ ms: number }> {
		const closed = await Promise.all(this.hosts.map((h) => h.shutdown()));
		await this.target.cleanUp?.(this.env);
		return { ms: Math.max(0, ...closed.map((c) => c.ms)) };
	}

	/** Kills every instance at once; shutdown() afterwards still cleans up. */
	kill(): void {
		for (const host of this.hosts) host.kill();
	}
}

function addStats(a: RelayStats, b: RelayStats): RelayStats {
	return {
		rssBytes: a.rssBytes + b.rssBytes,
		heapUsedBytes: a.heapUsedBytes + b.heapUsedBytes,
		externalBytes: a.externalBytes + b.externalBytes,
		cpuUserMicros: a.cpuUserMicros + b.cpuUserMicros,
		cpuSystemMicros: a.cpuSystemMicros + b.cpuSystemMicros,
		connections: a.connections + b.connections,
		documentsInMemory: a.documentsInMemory + b.documentsInMemory,
		// The worst instance is what a client behind it waits for.
		loopDelay: { p50: Math.max(a.loopDelay.p50, b.loopDelay.p50), p99: Math.max(a.loopDelay.p99, b.loopDelay.p99), max: Math.max(a.loopDelay.max, b.loopDelay.max) },
		commits: {
			count: a.commits.count + b.commits.count,
			updates: a.commits.updates + b.commits.updates,
			documents: a.commits.documents + b.commits.documents,
			totalMs: a.commits.totalMs + b.commits.totalMs,
			maxMs: Math.max(a.commits.maxMs, b.commits.maxMs)
		}
	};
}
