import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactDocument, loadDocumentState } from '../../server/store/compaction';
import { createStore } from '../../server/store/create-store';
import type { DocumentSummary } from '../../server/store/document-store';
import { POSTGRES_SCHEMA_VERSION, PostgresStore } from '../../server/store/postgres-store';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { waitFor } from '../helpers/wait';
import { runStoreConformance } from './conformance';

const postgres = await probePostgres('tests/store/postgres-store.test.ts');

it('createStore picks PostgreSQL when databaseUrl is set, without connecting yet', async () => {
	const store = createStore({ dataDir: '/nonexistent', databaseUrl: 'postgres://127.0.0.1:1/outrider' });
	expect(store).toBeInstanceOf(PostgresStore);
	expect(await store.isReady()).toBe(false);
	await store.close();
});

it('rejects a schema name PostgreSQL would truncate or cannot hold', () => {
	expect(() => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema: '' })).toThrow(/schema name/);
	expect(() => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema: 'x'.repeat(64) })).toThrow(/schema name/);
});

// Needs a PostgreSQL server (127.0.0.1:5432, database test, or TEST_DATABASE_URL). Where none runs,
// the group is skipped with the probe's one-line reason as its title; SQLite covers the same suite.
describe.skipIf(!postgres.reachable)(postgres.reachable ? 'PostgreSQL' : postgres.reason, () => {
	const admin = new PostgresAdmin();
	afterAll(() => admin.end());

	runStoreConformance(
		'PostgresStore',
		async () => {
			const schema = freshSchemaName();
			const make = () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema });
			return { store: make(), reopen: async () => make(), cleanup: () => admin.dropSchema(schema) };
		},
		{ durable: true }
	);

	describe('PostgresStore specifics', () => {
		const cleanups: Array<() => Promise<void>> = [];
		afterEach(async () => {
			for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
		});

		/** A fresh schema and a way to make stores over it; all closed and dropped after the test. */
		function schemaFixture(poolSize?: number) {
			const schema = freshSchemaName();
			const stores: PostgresStore[] = [];
			cleanups.push(async () => {
				for (const store of stores) await store.close();
				await admin.dropSchema(schema);
			});
			const make = () => {
				const store = new PostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize });
				stores.push(store);
				return store;
			};
			return { schema, make };
		}

		it('creates its schema with the expected tables and indexes and records the version', async () => {
			const { schema, make } = schemaFixture();
			const store = make();
			await store.open();
			const tables = await admin.pool.query<{ table_name: string }>(
				'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
				[schema]
			);
			expect(tables.rows.map((row) => row.table_name)).toEqual(['doc_summaries', 'doc_updates', 'meta', 'users']);
			const indexes = await admin.pool.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [
				schema
			]);
			expect(indexes.rows.map((row) => row.indexname)).toEqual(
				expect.arrayContaining([
					'doc_updates_doc_seq',
					'doc_summaries_kind',
					'doc_summaries_territory',
					'doc_summaries_owner',
					'doc_summaries_account_id'
				])
			);
			expect(await store.getMeta('schema_version')).toBe(String(POSTGRES_SCHEMA_VERSION));
		});

		it('migrates once when several stores open one fresh schema at the same moment', async () => {
			const { schema, make } = schemaFixture();
			const stores = Array.from({ length: 5 }, () => make());
			// Running a migration twice would fail on CREATE TABLE, so every open succeeding says it ran once.
			await Promise.all(stores.map((store) => store.open()));
			for (const store of stores) expect(await store.isReady()).toBe(true);
			const versions = await admin.pool.query<{ value: string }>(
				`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`
			);
			expect(versions.rows).toEqual([{ value: String(POSTGRES_SCHEMA_VERSION) }]);
			await stores[0]!.write({ updates: [{ docName: 'd', update: new Uint8Array([1]) }], summaries: [] });
			expect((await stores[4]!.readUpdates('d')).map((row) => row.update)).toEqual([new Uint8Array([1])]);
		});

		it('refuses a schema written by a newer version', async () => {
			const { make } = schemaFixture();
			const first = make();
			await first.open();
			await first.putMeta('schema_version', String(POSTGRES_SCHEMA_VERSION + 1));
			await first.close();
			const second = make();
			await expect(second.open()).rejects.toThrow(/newer/);
			expect(await second.isReady()).toBe(false);
		});

		it('keeps schemas apart: one database, two stores, no shared rows', async () => {
			const a = schemaFixture().make();
			const b = schemaFixture().make();
			await Promise.all([a.open(), b.open()]);
			await a.write({ updates: [{ docName: 'd', update: new Uint8Array([1]) }], summaries: [] });
			expect(await b.readUpdates('d')).toEqual([]);
			expect(await b.listDocumentNames()).toEqual([]);
		});

		it('rejects operations and reports not ready when the server cannot be reached', async () => {
			const store = new PostgresStore({ connectionString: 'postgres://127.0.0.1:1/test' });
			await expect(store.open()).rejects.toThrow();
			expect(await store.isReady()).toBe(false);
			await expect(store.readUpdates('d')).rejects.toThrow(/not open/);
			await store.close();
		});

		it('applies calls in the order they were made, even when not awaited one by one', async () => {
			const { make } = schemaFixture();
			const store = make();
			await store.open();
			const calls = [
				store.write({ updates: [{ docName: 'd', update: new Uint8Array([1]) }], summaries: [summary('d', 'first')] }),
				store.deleteDocument('d'),
				store.write({ updates: [{ docName: 'd', update: new Uint8Array([2]) }], summaries: [summary('d', 'second')] })
			];
			const read = store.readUpdates('d');
			await Promise.all(calls);
			expect((await read).map((row) => row.update)).toEqual([new Uint8Array([2])]);
			expect((await store.getSummary('d'))?.title).toBe('second');
		});

		it('finishes the writes already called before close ends the pool', async () => {
			const { make } = schemaFixture(2);
			const store = make();
			await store.open();
			const writes = Array.from({ length: 20 }, (_, i) =>
				store.write({ updates: [{ docName: 'd', update: new Uint8Array([i]) }], summaries: [] })
			);
			const closed = store.close();
			await Promise.all(writes);
			await closed;
			const again = make();
			await again.open();
			expect(await again.readUpdates('d')).toHaveLength(20);
		});

		it('stores a batch larger than one INSERT statement in order', async () => {
			const { make } = schemaFixture();
			const store = make();
			await store.open();
			const updates = Array.from({ length: 2500 }, (_, i) => new Uint8Array([i % 256, i >> 8]));
			await store.write({ updates: updates.map((update) => ({ docName: 'd', update })), summaries: [] });
			const rows = await store.readUpdates('d');
			expect(rows.map((row) => row.update)).toEqual(updates);
			for (let i = 1; i < rows.length; i++) expect(rows[i]!.seq).toBeGreaterThan(rows[i - 1]!.seq);
		});

		it('treats the LIKE escape character in a prefix literally', async () => {
			const { make } = schemaFixture();
			const store = make();
			await store.open();
			const names = ['a!b', 'a!!c', 'a!%d', 'ab', 'a\\e'];
			await store.write({ updates: names.map((docName) => ({ docName, update: new Uint8Array([1]) })), summaries: [] });
			expect(await store.listDocumentNames('a!')).toEqual(['a!!c', 'a!%d', 'a!b']);
			expect(await store.listDocumentNames('a!!')).toEqual(['a!!c']);
			expect(await store.listDocumentNames('a!%')).toEqual(['a!%d']);
			expect(await store.listDocumentNames('a\\')).toEqual(['a\\e']);
		});

		it('keeps the last of several summaries of one name in a batch', async () => {
			const { make } = schemaFixture();
			const store = make();
			await store.open();
			await store.write({ updates: [], summaries: [summary('d', 'one'), summary('e', 'e'), summary('d', 'two')] });
			expect((await store.getSummary('d'))?.title).toBe('two');
			expect((await store.listSummaries()).map((s) => s.name)).toEqual(['d', 'e']);
		});

		it('hands out increasing seqs to concurrent writers on two pools, and no reader sees one before an earlier one', async () => {
			const { make } = schemaFixture();
			const a = make();
			const b = make();
			const reader = make();
			await Promise.all([a.open(), b.open(), reader.open()]);

			const perWriter = 60;
			const writer = async (store: PostgresStore, tag: number) => {
				for (let i = 0; i < perWriter; i++) {
					await store.write({
						updates: [
							{ docName: 'shared', update: new Uint8Array([tag, i]) },
							{ docName: `own-${tag}`, update: new Uint8Array([tag, i]) }
						],
						summaries: []
					});
				}
			};
			const observed: number[][] = [];
			let writing = true;
			const reading = (async () => {
				while (writing) observed.push((await reader.readUpdates('shared')).map((row) => row.seq));
			})();
			await Promise.all([writer(a, 1), writer(b, 2)]);
			writing = false;
			await reading;

			const rows = await reader.readUpdates('shared');
			expect(rows).toHaveLength(2 * perWriter);
			const seqs = rows.map((row) => row.seq);
			for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
			// Each writer's own updates keep the order it wrote them in.
			for (const tag of [1, 2]) {
				const own = rows.filter((row) => row.update[0] === tag).map((row) => row.update[1]);
				expect(own).toEqual(Array.from({ length: perWriter }, (_, i) => i));
			}
			// What compaction relies on: every read is a prefix of the final log, never a
			// set with a hole that a slower commit fills in later.
			expect(observed.length).toBeGreaterThan(0);
			for (const seen of observed) expect(seen).toEqual(seqs.slice(0, seen.length));
		});

		it('compacts while another instance writes, losing nothing', async () => {
			const { make } = schemaFixture();
			const writerA = make();
			const writerB = make();
			const compactor = make();
			await Promise.all([writerA.open(), writerB.open(), compactor.open()]);

			const docA = new Y.Doc();
			const docB = new Y.Doc();
			const edits = 80;
			const writer = async (store: PostgresStore, doc: Y.Doc, name: string) => {
				for (let i = 0; i < edits; i++) {
					const update = captureUpdate(doc, () => doc.getMap('fields').set(`${name}-${i}`, i));
					await store.write({ updates: [{ docName: 'acc', update }], summaries: [] });
				}
			};
			let writing = true;
			let compactions = 0;
			const compacting = (async () => {
				while (writing) if (await compactDocument(compactor, 'acc')) compactions++;
			})();
			await Promise.all([writer(writerA, docA, 'a'), writer(writerB, docB, 'b')]);
			writing = false;
			await compacting;
			await compactDocument(compactor, 'acc');

			expect(compactions).toBeGreaterThan(0);
			const rows = await compactor.readUpdates('acc');
			expect(rows).toHaveLength(1);
			const rebuilt = new Y.Doc();
			Y.applyUpdate(rebuilt, rows[0]!.update);
			const fields = rebuilt.getMap('fields').toJSON();
			expect(Object.keys(fields)).toHaveLength(2 * edits);
			for (let i = 0; i < edits; i++) {
				expect(fields[`a-${i}`]).toBe(i);
				expect(fields[`b-${i}`]).toBe(i);
			}
		});

		it('keeps an update that commits after compaction read the log, even behind a later seq', async () => {
			const { schema, make } = schemaFixture();
			const slow = make();
			const fast = make();
			const compactor = make();
			await Promise.all([slow.open(), fast.open(), compactor.open()]);

			const source = new Y.Doc();
			const edit = (key: string) => captureUpdate(source, () => source.getMap('fields').set(key, true));
			await slow.write({ updates: [{ docName: 'acc', update: edit('base') }], summaries: [summary('acc', 'base')] });

			// Hold the summary row so the slow writer's transaction, already past its insert,
			// cannot commit until released.
			const holder = await admin.pool.connect();
			try {
				await holder.query('BEGIN');
				await holder.query(`SELECT 1 FROM "${schema}".doc_summaries WHERE name = 'acc' FOR UPDATE`);
				const slowWrite = slow.write({ updates: [{ docName: 'acc', update: edit('slow') }], summaries: [summary('acc', 'slow')] });
				await waitFor('slow writer blocked on the summary row', async () => {
					const waiting = await admin.pool.query(
						`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%doc_summaries%'`,
						[schema]
					);
					return waiting.rowCount === 1;
				});
				// A second writer of the same document: it must not commit a higher seq while
				// the slow one's lower seq is still invisible. Give it time to, if it could.
				const fastWrite = fast.write({ updates: [{ docName: 'acc', update: edit('fast') }], summaries: [] });
				await new Promise((resolve) => setTimeout(resolve, 300));

				const state = await loadDocumentState(compactor, 'acc');
				await holder.query('COMMIT');
				await Promise.all([slowWrite, fastWrite]);
				await compactor.replaceUpdates('acc', state.maxSeq, state.update!);
			} finally {
				holder.release();
			}

			const rebuilt = new Y.Doc();
			for (const row of await compactor.readUpdates('acc')) Y.applyUpdate(rebuilt, row.update);
			expect(rebuilt.getMap('fields').toJSON()).toEqual({ base: true, slow: true, fast: true });
		});
	});
});

function summary(name: string, title: string): DocumentSummary {
	return {
		name,
		kind: 'account',
		territory: 'north',
		owner: null,
		accountId: null,
		day: null,
		title,
		updatedAt: '2025-03-04T08:00:00.000Z'
	};
}

function captureUpdate(doc: Y.Doc, edit: () => void): Uint8Array {
	let captured: Uint8Array | undefined;
	const listener = (update: Uint8Array) => {
		captured = update;
	};
	doc.on('update', listener);
	try {
		edit();
	} finally {
		doc.off('update', listener);
	}
	if (!captured) throw new Error('edit produced no update');
	return captured;
}
