import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../server/store/create-store';
import { SQLITE_SCHEMA_VERSION, SqliteStore } from '../../server/store/sqlite-store';
import { runStoreConformance } from './conformance';

async function tempDir(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'outrider-sqlite-'));
}

runStoreConformance('SqliteStore (file)', async () => {
	const dir = await tempDir();
	// A nested, not yet existing directory: open() must create it.
	const file = join(dir, 'nested', 'data', 'outrider.sqlite');
	return {
		store: new SqliteStore({ file }),
		reopen: async () => new SqliteStore({ file }),
		cleanup: () => rm(dir, { recursive: true, force: true })
	};
}, { durable: true });

runStoreConformance('SqliteStore (file, write thread)', async () => {
	const dir = await tempDir();
	const file = join(dir, 'outrider.sqlite');
	return {
		store: new SqliteStore({ file, writeThread: true }),
		reopen: async () => new SqliteStore({ file, writeThread: true }),
		cleanup: () => rm(dir, { recursive: true, force: true })
	};
}, { durable: true });

runStoreConformance('SqliteStore (:memory:)', async () => ({
	store: new SqliteStore({ file: ':memory:' }),
	cleanup: async () => {}
}), { durable: false });

describe('SqliteStore specifics', () => {
	const cleanups: Array<() => Promise<void>> = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	});

	async function fileStore() {
		const dir = await tempDir();
		const file = join(dir, 'outrider.sqlite');
		const stores: SqliteStore[] = [];
		cleanups.push(async () => {
			for (const store of stores) await store.close();
			await rm(dir, { recursive: true, force: true });
		});
		const make = () => {
			const store = new SqliteStore({ file });
			stores.push(store);
			return store;
		};
		return { dir, file, make };
	}

	function inspect<T>(file: string, read: (db: Database.Database) => T): T {
		const db = new Database(file, { readonly: true });
		try {
			return read(db);
		} finally {
			db.close();
		}
	}

	it('uses WAL, records the schema version and creates the expected tables', async () => {
		const { file, make } = await fileStore();
		const store = make();
		await store.open();
		inspect(file, (db) => {
			expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
			const tables = db
				.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
				.all()
				.map((row) => row.name);
			expect(tables).toEqual(expect.arrayContaining(['doc_summaries', 'doc_updates', 'meta', 'users']));
			const indexes = db
				.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
				.all()
				.map((row) => row.name);
			expect(indexes).toEqual(
				expect.arrayContaining([
					'doc_updates_doc_seq',
					'doc_summaries_kind',
					'doc_summaries_territory',
					'doc_summaries_owner',
					'doc_summaries_account_id'
				])
			);
		});
		expect(await store.getMeta('schema_version')).toBe(String(SQLITE_SCHEMA_VERSION));
	});

	it('migrates once: reopening an existing file keeps data and version', async () => {
		const { make } = await fileStore();
		const first = make();
		await first.open();
		await first.write({ updates: [{ docName: 'd', update: new Uint8Array([1]) }], summaries: [] });
		await first.close();
		const second = make();
		await second.open();
		expect(await second.getMeta('schema_version')).toBe(String(SQLITE_SCHEMA_VERSION));
		expect((await second.readUpdates('d')).map((row) => row.update)).toEqual([new Uint8Array([1])]);
	});

	it('refuses a database written by a newer schema', async () => {
		const { make } = await fileStore();
		const first = make();
		await first.open();
		await first.putMeta('schema_version', String(SQLITE_SCHEMA_VERSION + 1));
		await first.close();
		const second = make();
		await expect(second.open()).rejects.toThrow(/newer/);
		expect(await second.isReady()).toBe(false);
	});

	it('lets two connections on one file see each other’s writes', async () => {
		const { make } = await fileStore();
		const a = make();
		const b = make();
		await a.open();
		await b.open();
		await a.write({ updates: [{ docName: 'd', update: new Uint8Array([1]) }], summaries: [] });
		await b.write({ updates: [{ docName: 'd', update: new Uint8Array([2]) }], summaries: [] });
		const fromA = await a.readUpdates('d');
		expect(fromA.map((row) => row.update)).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
		expect(await b.readUpdates('d')).toEqual(fromA);
	});

	it('with a write thread, a commit the thread cannot make is refused whole, and later ones land', async () => {
		const dir = await tempDir();
		const file = join(dir, 'outrider.sqlite');
		const store = new SqliteStore({ file, writeThread: true });
		cleanups.push(async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		});
		await store.open();
		await store.write({ updates: [{ docName: 'd', update: new Uint8Array([1]) }], summaries: [] });
		// Another process holds the write lock past the busy timeout: the thread's transaction fails.
		const other = new Database(file, { timeout: 0 });
		other.prepare('BEGIN IMMEDIATE').run();
		const refused = store.write({ updates: [{ docName: 'd', update: new Uint8Array([2]) }], summaries: [] });
		// A read called meanwhile waits for the refused write and sees the log without it.
		const during = store.readUpdates('d');
		await expect(refused).rejects.toThrow(/locked|busy/i);
		other.prepare('ROLLBACK').run();
		other.close();
		expect((await during).map((row) => row.update)).toEqual([new Uint8Array([1])]);
		await store.write({ updates: [{ docName: 'd', update: new Uint8Array([3]) }], summaries: [] });
		expect((await store.readUpdates('d')).map((row) => row.update)).toEqual([new Uint8Array([1]), new Uint8Array([3])]);
	}, 20_000);

	it('createStore puts the SQLite file in dataDir', async () => {
		const dir = await tempDir();
		const store = createStore({ dataDir: join(dir, 'data') });
		cleanups.push(async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		});
		expect(store).toBeInstanceOf(SqliteStore);
		await store.open();
		expect(existsSync(join(dir, 'data', 'outrider.sqlite'))).toBe(true);
	});
});
