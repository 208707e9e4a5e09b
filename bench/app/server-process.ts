/**
 * The real Outrider server (web app, HTTP API, relay) over a seeded data
 * directory, alone in its own process so the browser's and the server's work
 * never share an event loop with the measuring side. Started with
 * child_process.fork by server-host.ts; the data directory belongs to the parent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type AppHandler } from '../../server/app';
import { configWith } from '../../server/config';
import { SqliteStore } from '../../server/store/sqlite-store';
import { STORE_FILE } from './rep-day-data';
import type { ServerMessage, ServerRequest, ServerStats } from './server-ipc';

/** A server left behind by a crashed benchmark still goes away. */
const MAX_LIFETIME_MS = Number(process.env.BENCH_APP_SERVER_MAX_LIFETIME_MS ?? 15 * 60_000);

function emit(message: ServerMessage): void {
	if (process.send) process.send(message);
	else process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
	const dataDir = process.env.BENCH_APP_DATA_DIR;
	if (!dataDir) throw new Error('BENCH_APP_DATA_DIR is not set');
	const handlerFile = join(process.cwd(), 'build', 'handler.js');
	if (!existsSync(handlerFile)) throw new Error('the web app is not built (build/handler.js is missing)');
	const appHandler = ((await import(pathToFileURL(handlerFile).href)) as { handler: AppHandler }).handler;

	const server = await startServer({
		config: configWith({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn' }),
		store: new SqliteStore({ file: join(dataDir, STORE_FILE), writeThread: true }),
		appHandler
	});

	// Lets the benchmark check that "offline" really sent nothing to the server.
	const requests: Record<string, number> = {};
	let upgrades = 0;
	server.http.on('request', (req) => {
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		const key = path.split('/')[1] || '/';
		requests[key] = (requests[key] ?? 0) + 1;
	});
	server.http.on('upgrade', () => {
		upgrades++;
	});

	const stats = (): ServerStats => {
		const cpu = process.cpuUsage();
		return { requests: { ...requests }, upgrades, rssBytes: process.memoryUsage().rss, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system };
	};

	let closing: Promise<void> | undefined;
	const shutdown = (id: number) => {
		closing ??= (async () => {
			const t0 = performance.now();
			await server.close();
			emit({ type: 'closed', id, ms: performance.now() - t0 });
		})();
		closing.then(
			() => process.exit(0),
			(err: unknown) => {
				emit({ type: 'error', id, message: `shutdown failed: ${String(err)}` });
				process.exit(1);
			}
		);
	};

	process.on('message', (m) => {
		const request = m as ServerRequest;
		if (request.type === 'stats') emit({ type: 'stats', id: request.id, stats: stats() });
		else if (request.type === 'shutdown') shutdown(request.id);
	});
	// The benchmark went away (crashed or was killed): do not linger.
	process.on('disconnect', () => shutdown(-1));
	process.on('SIGTERM', () => shutdown(-1));
	process.on('SIGINT', () => shutdown(-1));
	setTimeout(() => shutdown(-1), MAX_LIFETIME_MS).unref();

	emit({ type: 'ready', port: server.port, pid: process.pid });
}

main().catch((err: unknown) => {
	emit({ type: 'error', message: `server failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
	process.exit(1);
});
