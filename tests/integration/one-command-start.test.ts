import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/relay-harness';

/** Runs `server/main.ts` as `npm start` does (minus the build) and collects its output. */
function startMain(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: '0', SEED_ACCOUNTS: '30', LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${output}`)), 30_000);
		child.stdout!.on('data', () => {
			const match = /running at (http:\/\/localhost:\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve({ child, url: match[1]!, output: () => output });
			}
		});
		child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
	});
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
	return new Promise((resolve) => {
		child.once('exit', (code) => resolve(code));
		child.kill(signal);
	});
}

describe('npm start on an empty data directory', () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-start-'));
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it('creates demo data, prints the URL and logins, serves them, and stops cleanly on Ctrl-C', async () => {
		const first = await startMain(dataDir);
		expect(first.output()).toMatch(/Demo logins \(password "demo"\): admin \(admin\), manager1 \(manager\), rep1 \(rep\), rep2 \(rep\), rep3 \(rep\)/);
		expect(first.output()).toMatch(/creating demo data/);

		const token = await loginAs(first.url, 'rep1', 'demo');
		const res = await fetch(`${first.url}/api/manifest`, { headers: { authorization: `Bearer ${token}` } });
		const { docs } = (await res.json()) as { docs: Array<{ name: string; kind: string; priority: number }> };
		expect(docs.length).toBeGreaterThan(20);
		expect(docs[0]).toMatchObject({ kind: expect.stringMatching(/^(visit|account)$/), priority: 0 });
		expect(docs.filter((d) => d.kind === 'account').length).toBeGreaterThan(3);

		expect(await stop(first.child, 'SIGINT')).toBe(0);

		const second = await startMain(dataDir);
		expect(second.output()).not.toMatch(/creating demo data/);
		await loginAs(second.url, 'manager1', 'demo');
		expect(await stop(second.child, 'SIGTERM')).toBe(0);
	}, 90_000);
});
