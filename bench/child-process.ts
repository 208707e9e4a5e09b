import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Our own exit must not leave a benchmark's server running. */
export function killWithParent(child: ChildProcess): () => void {
	const kill = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	process.once('exit', kill);
	child.once('exit', () => process.off('exit', kill));
	return kill;
}

/** Waits for the child's `{type: 'ready'}` IPC message; an `{type: 'error'}`, an exit or 60 s fail it. */
export function waitForReady<M extends { type: string }>(child: ChildProcess, what: string, kill: () => void): Promise<Extract<M, { type: 'ready' }>> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			kill();
			reject(new Error(`${what} did not start within 60 s`));
		}, 60_000);
		const onMessage = (m: M) => {
			if (m.type === 'ready') {
				clearTimeout(timer);
				child.off('message', onMessage);
				resolve(m as Extract<M, { type: 'ready' }>);
			} else if (m.type === 'error') {
				clearTimeout(timer);
				reject(new Error((m as unknown as { message: string }).message));
			}
		};
		child.on('message', onMessage);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${what} exited before it was ready (code ${code})`));
		});
	});
}

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Runs a TypeScript script in a fresh Node process (so its memory and JIT are
 * its own) and resolves with the `{type: 'result', result}` it sends; its
 * `{type: 'error'}`, an exit without a result or `timeoutMs` reject.
 */
export function forkForResult<T>(
	script: string,
	options: { args?: string[]; env?: Record<string, string>; nodeFlags?: string[]; timeoutMs: number; log(line: string): void }
): Promise<T> {
	const child = fork(script, options.args ?? [], {
		cwd: REPO_ROOT,
		execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
		env: { ...process.env, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc']
	});
	for (const stream of [child.stdout, child.stderr]) {
		if (stream) createInterface({ input: stream }).on('line', (line) => options.log(line));
	}
	const kill = killWithParent(child);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			kill();
			reject(new Error(`${script} gave no result within ${Math.round(options.timeoutMs / 1000)} s`));
		}, options.timeoutMs);
		child.on('message', (m: { type?: string; result?: T; message?: string }) => {
			if (m.type === 'result') {
				clearTimeout(timer);
				resolve(m.result as T);
			} else if (m.type === 'error') {
				clearTimeout(timer);
				reject(new Error(m.message ?? `${script} failed`));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${script} exited (code ${code}) without a result`));
		});
	});
}

/** The child's side of forkForResult. */
export function sendResult(work: () => Promise<unknown>): void {
	work().then(
		(result) => {
			process.send?.({ type: 'result', result }, () => process.exit(0));
		},
		(err: unknown) => {
			process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1));
		}
	);
}
