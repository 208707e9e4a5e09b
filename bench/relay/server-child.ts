/**
 * The child side of a benchmarked server: whichever server a child process
 * runs (Outrider, the y-websocket reference server, Hocuspocus), it answers
 * the benchmark's `stats` and `shutdown` requests the same way, so RSS, CPU
 * and event-loop delay are measured alike for all of them.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { CommitStats, RelayMessage, RelayRequest, RelayStats } from './ipc';

/** A server left behind by a crashed benchmark still goes away. */
const MAX_LIFETIME_MS = Number(process.env.BENCH_RELAY_MAX_LIFETIME_MS ?? 15 * 60_000);
const LOOP_RESOLUTION_MS = 5;

export interface ChildServer {
	port: number;
	/** What clients put in `?token=`; empty for servers without authentication. */
	token: string;
	connections(): number;
	documentsInMemory(): number;
	/** Durable writes so far, for servers whose store the child can observe. */
	commits?(): CommitStats;
	/** Stops listening and flushes to the server's store. */
	close(): Promise<void>;
}

const NO_COMMITS: CommitStats = { count: 0, updates: 0, documents: 0, totalMs: 0, maxMs: 0 };

function emit(message: RelayMessage): void {
	if (process.send) process.send(message);
	else process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Starts the server, reports `ready`, then serves stats until asked (or forced) to shut down. */
export function serveBenchChild(what: string, start: () => Promise<ChildServer>): void {
	run(start).catch((err: unknown) => {
		emit({ type: 'error', message: `${what} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
		process.exit(1);
	});
}

async function run(start: () => Promise<ChildServer>): Promise<void> {
	const server = await start();
	const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
	loop.enable();
	// The histogram holds whole sampling intervals; the delay is what exceeds the interval.
	const delayMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

	const stats = (): RelayStats => {
		const mem = process.memoryUsage();
		const cpu = process.cpuUsage();
		return {
			rssBytes: mem.rss,
			heapUsedBytes: mem.heapUsed,
			externalBytes: mem.external,
			cpuUserMicros: cpu.user,
			cpuSystemMicros: cpu.system,
			connections: server.connections(),
			documentsInMemory: server.documentsInMemory(),
			loopDelay: { p50: delayMs(loop.percentile(50)), p99: delayMs(loop.percentile(99)), max: delayMs(loop.max) },
			commits: server.commits?.() ?? NO_COMMITS
		};
	};

	let closing: Promise<void> | undefined;
	const shutdown = (id: number): Promise<void> => {
		closing ??= (async () => {
			const t0 = performance.now();
			await server.close();
			emit({ type: 'closed', id, ms: performance.now() - t0 });
		})();
		return closing;
	};
	const exitAfterShutdown = (id: number) => {
		shutdown(id).then(
			() => process.exit(0),
			(err: unknown) => {
				emit({ type: 'error', id, message: `shutdown failed: ${String(err)}` });
				process.exit(1);
			}
		);
	};

	const handle = (request: RelayRequest) => {
		switch (request.type) {
			case 'stats': {
				if (request.collectGarbage) (globalThis as { gc?: () => void }).gc?.();
				const s = stats();
				if (request.resetLoopDelay) loop.reset();
				emit({ type: 'stats', id: request.id, stats: s });
				return;
			}
			case 'shutdown':
				exitAfterShutdown(request.id);
				return;
		}
	};

	if (process.send) {
		process.on('message', (m) => handle(m as RelayRequest));
		// The benchmark went away (crashed or was killed): do not linger.
		process.on('disconnect', () => exitAfterShutdown(-1));
	} else {
		let nextId = 1;
		const lines = createInterface({ input: process.stdin });
		lines.on('line', (line) => {
			const word = line.trim();
			if (word === 'stats' || word === 'shutdown') handle({ id: nextId++, type: word });
		});
		lines.on('close', () => exitAfterShutdown(-1));
	}
	process.on('SIGTERM', () => exitAfterShutdown(-1));
	process.on('SIGINT', () => exitAfterShutdown(-1));
	setTimeout(() => exitAfterShutdown(-1), MAX_LIFETIME_MS).unref();

	emit({ type: 'ready', port: server.port, token: server.token, pid: process.pid });
	// Under fork the token travels over IPC only; stdout just says where the server listens.
	if (process.send) process.stdout.write(`${JSON.stringify({ type: 'ready', port: server.port, pid: process.pid })}\n`);
}
