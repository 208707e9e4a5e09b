import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./relay-process.ts', import.meta.url));

export interface RelayChild {
	process: ChildProcess;
	port: number;
	url: string;
	wsBase: string;
}

/**
 * Starts the relay in a child process on `dataDir` and waits until it listens.
 * `env` adds settings (e.g. REDIS_URL, or TEST_POSTGRES_SCHEMA for a PostgreSQL store, see relay-process.ts).
 */
export async function spawnRelay(dataDir: string, env: Record<string, string> = {}): Promise<RelayChild> {
	const child = spawn(process.execPath, ['--import', 'tsx', entry], {
		env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PERSIST_DELAY_MS: '20', ...env },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const lines = createInterface({ input: child.stdout! });
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('relay child did not start within 20 s')), 20_000);
		child.once('exit', (code) => reject(new Error(`relay child exited with ${code}`)));
		lines.on('line', (line) => {
			try {
				const { port } = JSON.parse(line) as { port: number };
				// A log line is JSON too; only the ready line names the port.
				if (typeof port !== 'number') return;
				clearTimeout(timer);
				resolve(port);
			} catch {
				// Not the ready line.
			}
		});
	});
	return { process: child, port, url: `http://127.0.0.1:${port}`, wsBase: `ws://127.0.0.1:${port}` };
}

/** SIGKILL: no shutdown hook runs, nothing is flushed. */
export function killHard(child: RelayChild): Promise<void> {
	return new Promise((resolve) => {
		child.process.once('exit', () => resolve());
		child.process.kill('SIGKILL');
	});
}
