import { loadConfig } from '../config';
import { openStockLedger } from '../inventory/open-stock-ledger';
import type { StockLedger } from '../inventory/stock-ledger';
import { createStore, sqliteFileIn } from '../store/create-store';
import type { DocumentStore } from '../store/document-store';
import type { CliContext, CliIo, Command } from './cli-context';
import { CliError, UsageError } from './cli-error';
import { backup } from './commands/backup';
import { compact } from './commands/compact';
import { exportDocument } from './commands/export-document';
import { restore } from './commands/restore';
import { usersCreate } from './commands/users-create';
import { usersList } from './commands/users-list';
import { usersResetPassword } from './commands/users-reset-password';

const COMMANDS: readonly Command[] = [backup, restore, compact, usersList, usersCreate, usersResetPassword, exportDocument];

export function usage(): string {
	return (
		'usage: npm run relay -- <command>\n\n' +
		COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}\n`).join('') +
		'\nThe store is the relay\'s: DATABASE_URL (PostgreSQL), else DATA_DIR (SQLite, default ./data).\n'
	);
}

export type CliSetup = {
	io: CliIo;
	env: NodeJS.ProcessEnv;
} & (
	| { makeStore?: undefined; makeLedger?: undefined }
	/**
	 * A new, unopened store and the ledger beside it; by default the ones the
	 * environment names, as for the relay. Both or neither: a store given alone
	 * would be backed up with the ledger of some other data.
	 */
	| { makeStore: () => DocumentStore; makeLedger: () => StockLedger }
);

/** Runs one command line; resolves to the exit code (0 done, 1 failed, 2 bad command line). */
export async function runCli(argv: readonly string[], setup: CliSetup): Promise<number> {
	const { io } = setup;
	let opened: DocumentStore | undefined;
	let openedLedger: StockLedger | undefined;
	try {
		if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0]!)) {
			(argv.length === 0 ? io.stderr : io.stdout).write(usage());
			return argv.length === 0 ? 2 : 0;
		}
		const { command, args } = findCommand(argv);
		const config = loadConfig(setup.env);
		const makeStore = setup.makeStore ?? (() => createStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }));
		const makeLedger = setup.makeLedger ?? (() => openStockLedger({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }));
		const context: CliContext = {
			io,
			env: setup.env,
			sqliteFile: setup.makeStore || config.databaseUrl ? undefined : sqliteFileIn(config.dataDir),
			async store() {
				if (!opened) {
					const store = makeStore();
					await store.open();
					opened = store;
				}
				return opened;
			},
			async ledger() {
				openedLedger ??= await makeLedger();
				return openedLedger;
			}
		};
		await command.run([...args], context);
		return 0;
	} catch (err) {
		if (err instanceof UsageError) {
			io.stderr.write(`error: ${err.message}\n(npm run relay -- help lists the commands)\n`);
			return err.exitCode;
		}
		io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
		return err instanceof CliError ? err.exitCode : 1;
	} finally {
		try {
			await openedLedger?.close();
		} finally {
			await opened?.close();
		}
	}
}

function findCommand(argv: readonly string[]): { command: Command; args: readonly string[] } {
	// Longest match first: `users create` before a command named `users`.
	for (const words of [2, 1]) {
		const name = argv.slice(0, words).join(' ');
		const command = COMMANDS.find((c) => commandName(c) === name);
		if (command) return { command, args: argv.slice(words) };
	}
	throw new UsageError(`unknown command "${argv.slice(0, argv[0] === 'users' ? 2 : 1).join(' ')}"`);
}

/** The words of the usage before its first argument or option: `users create`, `backup`. */
function commandName(command: Command): string {
	const words = command.usage.split(' ');
	const end = words.findIndex((word) => !/^[a-z][a-z-]*$/.test(word));
	return words.slice(0, end === -1 ? words.length : end).join(' ');
}
