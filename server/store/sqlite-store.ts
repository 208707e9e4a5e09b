import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type {
	DocumentStore,
	DocumentSummary,
	Role,
	StoredUpdate,
	SummaryFilter,
	UserRecord,
	WriteBatch
} from './document-store';
import { assertValidBatch, assertValidUser } from './memory-store';
import { summaryFromRow, toUint8Array, type SummaryRow } from './rows';
import { openSqliteConnection, prepareWriteTransactions, type SqliteWriteTransactions } from './sqlite-write-transactions';
import { SqliteWriter } from './sqlite-writer';

type Db = Database.Database;

interface Migration {
	version: number;
	up: (db: Db) => void;
}

/**
 * Schema history. Applied in order inside one write transaction each; a released
 * migration is never edited, later changes append a new entry.
 */
const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		up: (db) =>
			db.exec(`
				CREATE TABLE doc_updates (
					seq INTEGER PRIMARY KEY AUTOINCREMENT,
					doc_name TEXT NOT NULL,
					update_blob BLOB NOT NULL
				);
				CREATE INDEX doc_updates_doc_seq ON doc_updates (doc_name, seq);

				CREATE TABLE doc_summaries (
					name TEXT PRIMARY KEY,
					kind TEXT NOT NULL,
					territory TEXT,
					owner TEXT,
					account_id TEXT,
					day TEXT,
					title TEXT NOT NULL,
					updated_at TEXT NOT NULL
				);
				CREATE INDEX doc_summaries_kind ON doc_summaries (kind);
				CREATE INDEX doc_summaries_territory ON doc_summaries (territory);
				CREATE INDEX doc_summaries_owner ON doc_summaries (owner);
				CREATE INDEX doc_summaries_account_id ON doc_summaries (account_id);

				CREATE TABLE users (
					id TEXT PRIMARY KEY,
					username TEXT NOT NULL UNIQUE,
					display_name TEXT NOT NULL,
					role TEXT NOT NULL,
					territories_json TEXT NOT NULL,
					password_hash TEXT NOT NULL
				);
			`)
	}
];

export const SQLITE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

interface UpdateRow {
	seq: number;
	update_blob: Buffer;
}


interface UserRow {
	id: string;
	username: string;
	display_name: string;
	role: string;
	territories_json: string;
	password_hash: string;
}

function prepareStatements(db: Db) {
	return {
		readUpdates: db.prepare<[string], UpdateRow>(
			'SELECT seq, update_blob FROM doc_updates WHERE doc_name = ? ORDER BY seq'
		),
		deleteUpdates: db.prepare<[string]>('DELETE FROM doc_updates WHERE doc_name = ?'),
		deleteSummary: db.prepare<[string]>('DELETE FROM doc_summaries WHERE name = ?'),
		listNames: db.prepare<[], { doc_name: string }>('SELECT DISTINCT doc_name FROM doc_updates ORDER BY doc_name'),
		listNamesGlob: db.prepare<[string], { doc_name: string }>(
			'SELECT DISTINCT doc_name FROM doc_updates WHERE doc_name GLOB ? ORDER BY doc_name'
		),
		getSummary: db.prepare<[string], SummaryRow>('SELECT * FROM doc_summaries WHERE name = ?'),
		upsertUser: db.prepare<[UserRow]>(
			`INSERT INTO users (id, username, display_name, role, territories_json, password_hash)
			 VALUES (@id, @username, @display_name, @role, @territories_json, @password_hash)
			 ON CONFLICT (id) DO UPDATE SET
				username = excluded.username, display_name = excluded.display_name, role = excluded.role,
				territories_json = excluded.territories_json, password_hash = excluded.password_hash`
		),
		userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
		userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
		listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username'),
		getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
		putMeta: db.prepare<[string, string]>(
			'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
		),
		ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
		// Pages in use, WAL content included: what the database would be after a checkpoint.
		size: db.prepare<[], { bytes: number }>('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()')
	};
}

type Statements = ReturnType<typeof prepareStatements>;

/** Named parameters of the summary listing; absent keys are not bound. */
interface SummaryQueryParams {
	kinds?: string;
	territories?: string;
	owner?: string;
	accountId?: string;
}

interface OpenState {
	db: Db;
	statements: Statements;
	/** The log's writes: on this connection, or on the write thread's. */
	writes: SqliteWriteTransactions | SqliteWriter;
	deleteDocument: (docName: string) => void;
	/** One statement per filter shape, so listing keeps using the column indexes. */
	summaryQueries: Map<string, Database.Statement<[SummaryQueryParams], SummaryRow>>;
}

/**
 * The embedded backend: one SQLite file in WAL mode (see openSqliteConnection for
 * why synchronous = FULL). With `writeThread`, the log's write transactions (group
 * commits and compactions) run on a thread of their own so the relay's thread
 * never waits for the disk; reads and the rare other writes stay here. Calls
 * still take effect in the order they are made: one made while thread writes are
 * in flight waits for them.
 */
export class SqliteStore implements DocumentStore {
	readonly #file: string;
	readonly #writeThread: boolean;
	#state: OpenState | undefined;
	/** Calls not finished yet that later calls must follow; 0 when every call ran at once. */
	#queued = 0;
	#tail: Promise<void> = Promise.resolve();

	constructor(options: { file: string; writeThread?: boolean }) {
		this.#file = options.file;
		this.#writeThread = options.writeThread ?? false;
		if (this.#writeThread && (options.file === ':memory:' || options.file === '')) {
			throw new Error('a write thread needs a database file (an in-memory database is private to its connection)');
		}
	}

	async open(): Promise<void> {
		if (this.#state) return;
		if (this.#file !== ':memory:' && this.#file !== '') {
			mkdirSync(dirname(resolve(this.#file)), { recursive: true });
		}
		const db = openSqliteConnection(this.#file);
		try {
			migrate(db);
			let writes: OpenState['writes'] = prepareWriteTransactions(db);
			if (this.#writeThread) {
				const writer = new SqliteWriter(this.#file);
				await writer.start();
				writes = writer;
			}
			this.#state = createOpenState(db, writes);
		} catch (error) {
			db.close();
			throw error;
		}
	}

	async isReady(): Promise<boolean> {
		if (!this.#state) return false;
		try {
			return this.#state.statements.ping.get()?.ok === 1;
		} catch {
			return false;
		}
	}

	write(batch: WriteBatch): Promise<void> {
		return this.#inOrder(() => {
			const state = this.#require();
			assertValidBatch(batch);
			return state.writes.write(batch);
		});
	}

	readUpdates(docName: string): Promise<StoredUpdate[]> {
		return this.#inOrder(() => {
			const rows = this.#require().statements.readUpdates.all(docName);
			return rows.map((row) => ({ seq: row.seq, update: toUint8Array(row.update_blob) }));
		});
	}

	replaceUpdates(docName: string, uptoSeq: number, merged: Uint8Array): Promise<void> {
		return this.#inOrder(() => {
			const state = this.#require();
			if (!(merged instanceof Uint8Array)) throw new TypeError('merged update must be a Uint8Array');
			return state.writes.replace(docName, uptoSeq, merged);
		});
	}

	deleteDocument(docName: string): Promise<void> {
		return this.#inOrder(() => this.#require().deleteDocument(docName));
	}

	listDocumentNames(prefix?: string): Promise<string[]> {
		return this.#inOrder(() => {
			const { statements } = this.#require();
			const rows =
				prefix === undefined || prefix === ''
					? statements.listNames.all()
					: statements.listNamesGlob.all(globPrefix(prefix));
			return rows.map((row) => row.doc_name);
		});
	}

	getSummary(docName: string): Promise<DocumentSummary | undefined> {
		return this.#inOrder(() => {
			const row = this.#require().statements.getSummary.get(docName);
			return row ? summaryFromRow(row) : undefined;
		});
	}

	listSummaries(filter: SummaryFilter = {}): Promise<DocumentSummary[]> {
		return this.#inOrder(() => {
			const state = this.#require();
			const params: SummaryQueryParams = {};
			const conditions: string[] = [];
			// json_each lets one prepared statement take a list of any length.
			if (filter.kinds) {
				conditions.push('kind IN (SELECT value FROM json_each(@kinds))');
				params.kinds = JSON.stringify(filter.kinds);
			}
			if (filter.territories) {
				conditions.push('territory IN (SELECT value FROM json_each(@territories))');
				params.territories = JSON.stringify(filter.territories);
			}
			if (filter.owner !== undefined) {
				conditions.push('owner = @owner');
				params.owner = filter.owner;
			}
			if (filter.accountId !== undefined) {
				conditions.push('account_id = @accountId');
				params.accountId = filter.accountId;
			}
			const sql =
				'SELECT * FROM doc_summaries' +
				(conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '') +
				' ORDER BY name';
			let statement = state.summaryQueries.get(sql);
			if (!statement) {
				statement = state.db.prepare<[SummaryQueryParams], SummaryRow>(sql);
				state.summaryQueries.set(sql, statement);
			}
			return statement.all(params).map(summaryFromRow);
		});
	}

	putUser(user: UserRecord): Promise<void> {
		return this.#inOrder(() => {
			const { statements } = this.#require();
			assertValidUser(user);
			statements.upsertUser.run({
				id: user.id,
				username: user.username,
				display_name: user.displayName,
				role: user.role,
				territories_json: JSON.stringify(user.territories),
				password_hash: user.passwordHash
			});
		});
	}

	getUserByName(username: string): Promise<UserRecord | undefined> {
		return this.#inOrder(() => {
			const row = this.#require().statements.userByName.get(username);
			return row ? userFromRow(row) : undefined;
		});
	}

	getUserById(id: string): Promise<UserRecord | undefined> {
		return this.#inOrder(() => {
			const row = this.#require().statements.userById.get(id);
			return row ? userFromRow(row) : undefined;
		});
	}

	listUsers(): Promise<UserRecord[]> {
		return this.#inOrder(() => this.#require().statements.listUsers.all().map(userFromRow));
	}

	getMeta(key: string): Promise<string | undefined> {
		return this.#inOrder(() => this.#require().statements.getMeta.get(key)?.value);
	}

	putMeta(key: string, value: string): Promise<void> {
		return this.#inOrder(() => {
			const { statements } = this.#require();
			if (typeof value !== 'string') throw new TypeError(`meta value for ${JSON.stringify(key)} must be a string`);
			statements.putMeta.run(key, value);
		});
	}

	sizeBytes(): Promise<number> {
		return this.#inOrder(() => this.#require().statements.size.get()?.bytes ?? 0);
	}

	async close(): Promise<void> {
		// Writes already called still land before the connections close.
		await this.#inOrder(() => undefined);
		const state = this.#state;
		if (!state) return;
		this.#state = undefined;
		state.summaryQueries.clear();
		if (state.writes instanceof SqliteWriter) await state.writes.close();
		state.db.close();
	}

	/**
	 * Runs `call` now when nothing called earlier is unfinished (the common case:
	 * every call but a thread write finishes at once), else after those calls.
	 */
	#inOrder<T>(call: () => T | Promise<T>): Promise<T> {
		if (this.#queued === 0) {
			let value: T | Promise<T>;
			try {
				value = call();
			} catch (error) {
				return Promise.reject(error);
			}
			return value instanceof Promise ? this.#follow(value) : Promise.resolve(value);
		}
		return this.#follow(this.#tail.then(call));
	}

	#follow<T>(call: Promise<T>): Promise<T> {
		this.#queued++;
		const settled = () => {
			this.#queued--;
		};
		this.#tail = call.then(settled, settled);
		return call;
	}

	#require(): OpenState {
		if (!this.#state) throw new Error(`SqliteStore (${this.#file}) is not open`);
		return this.#state;
	}
}

function migrate(db: Db): void {
	const latest = SQLITE_SCHEMA_VERSION;
	// IMMEDIATE takes the write lock before reading the version, so two processes
	// opening a fresh file cannot both run the same migration.
	db.transaction(() => {
		db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
		const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get();
		const current = row ? Number(row.value) : 0;
		if (!Number.isInteger(current) || current < 0) {
			throw new Error(`unreadable schema_version ${JSON.stringify(row?.value)} in meta`);
		}
		if (current > latest) {
			throw new Error(`database schema_version ${current} is newer than this server understands (${latest})`);
		}
		for (const migration of MIGRATIONS) {
			if (migration.version <= current) continue;
			migration.up(db);
		}
		if (current !== latest) {
			db.prepare<[string]>(
				"INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
			).run(String(latest));
		}
	}).immediate();
}

function createOpenState(db: Db, writes: OpenState['writes']): OpenState {
	const statements = prepareStatements(db);
	return {
		db,
		statements,
		writes,
		deleteDocument: db.transaction((docName: string) => {
			statements.deleteUpdates.run(docName);
			statements.deleteSummary.run(docName);
		}),
		summaryQueries: new Map()
	};
}

/** GLOB is case-sensitive (unlike LIKE); brackets neutralise its wildcards. */
function globPrefix(prefix: string): string {
	return prefix.replace(/[*?[]/g, (c) => `[${c}]`) + '*';
}





function userFromRow(row: UserRow): UserRecord {
	return {
		id: row.id,
		username: row.username,
		displayName: row.display_name,
		role: row.role as Role,
		territories: JSON.parse(row.territories_json) as string[],
		passwordHash: row.password_hash
	};
}
