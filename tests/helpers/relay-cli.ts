import { spawn } from 'node:child_process';

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/**
 * `npm run relay -- <args>` as an operator runs it: its own process (through tsx),
 * the store chosen by the environment, `input` on standard input.
 */
export function runRelayCli(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
	// The machine's own settings must not choose the store or the password behind the test's back.
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !['DATABASE_URL', 'DATA_DIR', 'OUTRIDER_PASSWORD'].includes(key)));
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
		env: { ...inherited, LOG_LEVEL: 'silent', ...env },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdin.end(input);
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code) => resolve({ code, stdout, stderr }));
	});
}
