import type { Readable, Writable } from 'node:stream';
import type { StockLedger } from '../inventory/stock-ledger';
import type { DocumentStore } from '../store/document-store';

export interface CliIo {
	stdin: Readable & { isTTY?: boolean };
	stdout: Writable;
	stderr: Writable;
}

/** What a command gets to work with. */
export interface CliContext {
	io: CliIo;
	env: NodeJS.ProcessEnv;
	/** The store the configuration names, opened on first use and closed when the command ends. */
	store(): Promise<DocumentStore>;
	/** The stock ledger beside that store, as the relay opens it; opened on first use and closed when the command ends. */
	ledger(): Promise<StockLedger>;
	/** The database file when the store is SQLite, to make sure no relay has it open. */
	sqliteFile?: string;
}

export interface Command {
	/** How it is called, after `npm run relay --`, e.g. `backup <file>`. */
	usage: string;
	summary: string;
	run(args: string[], context: CliContext): Promise<void>;
}
