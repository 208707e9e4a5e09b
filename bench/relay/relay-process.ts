/**
 * The relay under test, alone in its own process so that its RSS and CPU time
 * are its own. Started by the benchmark with child_process.fork; also usable by
 * hand (`npx tsx bench/relay/relay-process.ts`), then it takes `stats` and
 * `shutdown` lines on stdin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startServer } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import { configWith } from '../../server/config';
import type { UserRecord, WriteBatch } from '../../server/store/document-store';
import type { RelayMessage, RelayRequest, RelayStats } from './ipc';

/** A relay left behind by a crashed benchmark still goes away. */
const LOOP_RESOLUTION_MS = 5;
const MAX_LIFETIME_MS = Number(process.env.BENCH_RELAY_MAX_LIFETIME_MS ?? 15 * 60_000);

function emit(message: RelayMessage): void {
	if (process.send) process.send(message);
	else process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-bench-'));
	const defaults = configWith({});
	const server = await startServer({
		config: configWith({
			port: 0,
			host: '127.0.0.1',
			dataDir,
			logLevel: 'warn',
			// The limiter is per connection and guards against abusive clients; the benchmark is not one.
			limits: { ...defaults.limits, messagesPerSecond: 100_000, burst: 100_000 }
		})
	});

	const user: UserRecord = {
		id: 'u-bench',
		username: 'bench',
		displayName: 'Bench',
		role: 'admin',
		territories: [],
		passwordHash: await hashPassword('bench')
	};
	await server.store.putUser(user);
	const token = (await server.tokens.issue(user)).token;

	// Durable-commit figures without touching the server: the persistence queue
	// looks store.write up on every commit, so wrapping the instance is enough.
	const commits = { count: 0, updates: 0, documents: 0, totalMs: 0, maxMs: 0 };
	const write = server.store.write.bind(server.store);
	server.store.write = async (batch: WriteBatch) => {
		const t0 = performance.now();
		await write(batch);
		const ms = performance.now() - t0;
		commits.count++;
		commits.updates += batch.updates.length;
		commits.documents += new Set(batch.updates.map((u) => u.docName)).size;
		commits.totalMs += ms;
		commits.maxMs = Math.max(commits.maxMs, ms);
	};

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
			connections: server.relay.connectionCount,
			documentsInMemory: server.relay.registry.size,
			loopDelay: {
				p50: delayMs(loop.percentile(50)),
				p99: delayMs(loop.percentile(99)),
				max: delayMs(loop.max)
			},
			commits: { ...commits }
		};
	};

	let closing: Promise<void> | undefined;
	const shutdown = (id: number): Promise<void> => {
		closing ??= (async () => {
			const t0 = performance.now();
			try {
				await server.close();
			} finally {
				rmSync(dataDir, { recursive: true, force: true });
			}
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

	const ready: RelayMessage = { type: 'ready', port: server.port, token, pid: process.pid };
	emit(ready);
	// Under fork the token travels over IPC only; stdout just says where the relay listens.
	if (process.send) process.stdout.write(`${JSON.stringify({ type: 'ready', port: server.port, pid: process.pid })}\n`);
}

main().catch((err: unknown) => {
	emit({ type: 'error', message: `relay failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
	process.exit(1);
});
