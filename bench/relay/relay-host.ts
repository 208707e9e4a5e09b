import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { RelayMessage, RelayRequest, RelayStats } from './ipc';
import { killWithParent, waitForReady } from '../child-process';

const RELAY_PROCESS = fileURLToPath(new URL('./relay-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Pending = { resolve(m: RelayMessage): void; reject(e: Error): void };

/** Parent side of a benchmarked server's child process: starts it, asks it for stats, stops it. */
export class RelayHost {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();
	private exited = false;

	private constructor(
		private readonly child: ChildProcess,
		readonly port: number,
		readonly token: string
	) {
		child.on('message', (m) => this.onMessage(m as RelayMessage));
		child.on('exit', (code, signal) => {
			this.exited = true;
			const err = new Error(`server process exited (code ${code}, signal ${signal})`);
			for (const p of this.pending.values()) p.reject(err);
			this.pending.clear();
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/**
	 * Forks `script` (Outrider's relay-process.ts by default, or a peer server's
	 * process) with `env` added; `cpuProfileDir`: write a V8 CPU profile there when it exits.
	 */
	static async start(options: { script?: string; env?: Record<string, string>; cpuProfileDir?: string; log(line: string): void }): Promise<RelayHost> {
		// BENCH_SERVER_NODE_FLAGS: extra Node flags for every server measured (`--trace-gc`, say).
		const execArgv = ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
		if (options.cpuProfileDir) {
			mkdirSync(options.cpuProfileDir, { recursive: true });
			execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
		}
		const child = fork(options.script ?? RELAY_PROCESS, [], {
			cwd: REPO_ROOT,
			execArgv,
			env: { ...process.env, ...options.env },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		});
		// The server's own output (warnings, the ready line) goes to our stderr, away from the tables.
		for (const stream of [child.stdout, child.stderr]) {
			if (stream) createInterface({ input: stream }).on('line', (line) => options.log(`server: ${line}`));
		}
		const killChild = killWithParent(child);
		const ready = await waitForReady<RelayMessage>(child, 'server', killChild);
		return new RelayHost(child, ready.port, ready.token);
	}

	async stats(options: { resetLoopDelay?: boolean; collectGarbage?: boolean } = {}): Promise<RelayStats> {
		const reply = await this.request({ id: this.nextId++, type: 'stats', resetLoopDelay: options.resetLoopDelay, collectGarbage: options.collectGarbage });
		if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
		return reply.stats;
	}

	/** Asks the server to close (flushing to its store); kills it if that takes too long. */
	async shutdown(timeoutMs = 30_000): Promise<{ ms: number }> {
		if (this.exited) return { ms: 0 };
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
		try {
			const reply = await this.request({ id: this.nextId++, type: 'shutdown' });
			await exited;
			return { ms: reply.type === 'closed' ? reply.ms : 0 };
		} catch {
			await exited;
			return { ms: timeoutMs };
		} finally {
			clearTimeout(timer);
		}
	}

	kill(): void {
		if (!this.exited) this.child.kill('SIGKILL');
	}

	private request(request: RelayRequest): Promise<RelayMessage> {
		if (this.exited) return Promise.reject(new Error('server process has exited'));
		return new Promise((resolve, reject) => {
			this.pending.set(request.id, { resolve, reject });
			this.child.send(request);
		});
	}

	private onMessage(message: RelayMessage): void {
		if (message.type === 'ready') return;
		const id = message.id;
		if (id === undefined) return;
		const pending = this.pending.get(id);
		if (!pending) return;
		this.pending.delete(id);
		if (message.type === 'error') pending.reject(new Error(message.message));
		else pending.resolve(message);
	}
}
