import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliContext } from './cli-context';
import { CliError } from './cli-error';

const MIN_LENGTH = 8;

/**
 * A new password from OUTRIDER_PASSWORD, else from standard input: typed twice
 * without echo on a terminal, or the first line of a pipe (`echo … | npm run relay -- …`).
 * Never from the command line, where it would stay in the shell history and `ps`.
 */
export async function readNewPassword({ env, io }: CliContext): Promise<string> {
	const password = env.OUTRIDER_PASSWORD ? env.OUTRIDER_PASSWORD : io.stdin.isTTY ? await promptTwice(io) : await firstLine(io.stdin);
	if (password === undefined || password === '') throw new CliError('no password: set OUTRIDER_PASSWORD or give it on standard input');
	if (password.length < MIN_LENGTH) throw new CliError(`the password must have at least ${MIN_LENGTH} characters`);
	return password;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
	const lines = createInterface({ input, crlfDelay: Infinity });
	try {
		for await (const line of lines) return line;
		return undefined;
	} finally {
		lines.close();
	}
}

async function promptTwice(io: CliContext['io']): Promise<string> {
	const first = await promptHidden(io, 'New password: ');
	const second = await promptHidden(io, 'Again: ');
	if (first !== second) throw new CliError('the two passwords differ');
	return first;
}

async function promptHidden(io: CliContext['io'], prompt: string): Promise<string> {
	// readline echoes what is typed to its output; a sink keeps the password off the screen.
	const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
	const reader = createInterface({ input: io.stdin, output: sink, terminal: true });
	io.stderr.write(prompt);
	try {
		return await reader.question('');
	} finally {
		reader.close();
		io.stderr.write('\n');
	}
}
