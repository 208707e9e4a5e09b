import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const AUTH_SECRET = 'startup-secret-that-must-never-be-printed-0123';

describe('server/main.ts at startup', () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-startup-'));
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it('prints the effective configuration as a log line, with the secret masked', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
			env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SEED_ACCOUNTS: '1', LOG_LEVEL: 'info', AUTH_SECRET, PERSIST_DELAY_MS: '75' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`did not start within 30 s:\n${output}`)), 30_000);
			child.stdout.on('data', () => {
				if (/running at http/.test(output)) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
		});
		child.kill('SIGTERM');
		await new Promise((resolve) => child.once('exit', resolve));

		expect(output).not.toContain(AUTH_SECRET);
		const line = output
			.split('\n')
			.filter((text) => text.startsWith('{'))
			.map((text) => JSON.parse(text) as { msg: string; config?: Record<string, unknown> })
			.find((entry) => entry.msg === 'effective configuration');
		expect(line?.config).toMatchObject({ authSecret: '********', dataDir, port: 0, host: '127.0.0.1', persistDelayMs: 75, databaseUrl: null });
	});
});
