import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerMessage, ServerRequest, ServerStats } from './server-ipc';
import { killWithParent, waitForReady } from '../child-process';

const SERVER_PROCESS = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Pending = { resolve(m: ServerMessage): void; reject(e: Error): void };

/** Parent side of the server child: starts it on a data directory, asks it for stats, stops it. */
export class ServerHost {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();
	private exited = false;

	private constructor(
		private readonly child: ChildProcess,
		readonly port: number,
		/** Warnings and errors the server logged (pino JSON lines, level >= 40), counted by message. */
		readonly problems: Map<string, number>
	) {
		child.on('message', (m) => this.onMessage(m as ServerMessage));
		child.on('exit', (code, signal) => {
			this.exited = true;
			const err = new Error(`server process exited (code ${code}, signal ${signal})`);
			for (const p of this.pending.values()) p.reject(err);
			this.pending.clear();
		});
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get wsBase(): string {
		return `ws://127.0.0.1:${this.port}`;
	}

	static async start(options: { dataDir: string; log(line: string): void }): Promise<ServerHost> {
		const child = fork(SERVER_PROCESS, [], {
			cwd: REPO_ROOT,
			execArgv: ['--import', 'tsx'],
			env: { ...process.env, BENCH_APP_DATA_DIR: options.dataDir },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		});
		// The server's own output (warnings) goes to our stderr, away from the tables, and is counted for the report.
		const problems = new Map<string, number>();
		for (const stream of [child.stdout, child.stderr]) {
			if (!stream) continue;
			createInterface({ input: stream }).on('line', (line) => {
				options.log(`server: ${line}`);
				const key = problemOf(line);
				if (key) problems.set(key, (problems.get(key) ?? 0) + 1);
			});
		}
		const killChild = killWithParent(child);
		const ready = await waitForReady<ServerMessage>(child, 'server', killChild);
		return new ServerHost(child, ready.port, problems);
	}

	async stats(): Promise<ServerStats> {
		const reply = await this.request({ id: this.nextId++, type: 'stats' });
		if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
		return reply.stats;
	}

	/** Asks the server to close (flushing to its store); kills it if that takes too long. */
	async shutdown(timeoutMs = 20_000): Promise<void> {
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
		try {
			await this.request({ id: this.nextId++, type: 'shutdown' }).catch(() => undefined);
			await exited;
		} finally {
			clearTimeout(timer);
		}
	}

	private request(request: ServerRequest): Promise<ServerMessage> {
		if (this.exited) return Promise.reject(new Error('server process has exited'));
		return new Promise((resolve, reject) => {
			this.pending.set(request.id, { resolve, reject });
			this.child.send(request);
		});
	}

	private onMessage(message: ServerMessage): void {
		if (message.type === 'ready' || message.id === undefined) return;
		const pending = this.pending.get(message.id);
		if (!pending) return;
		this.pending.delete(message.id);
		if (message.type === 'error') pending.reject(new Error(message.message));
		else pending.resolve(message);
	}
}

/** "msg: err" of a pino line at warn level or above; null for anything else. */
function problemOf(line: string): string | null {
	try {
		const entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
		if (typeof entry.level !== 'number' || entry.level < 40) return null;
		const err = typeof entry.err === 'string' ? entry.err : ((entry.err as { message?: string } | undefined)?.message ?? '');
		return err ? `${entry.msg ?? ''}: ${err}` : (entry.msg ?? 'log entry');
	} catch {
		return line.trim() ? line.trim().slice(0, 200) : null;
	}
}
