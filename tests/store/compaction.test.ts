import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactDocument, loadDocumentState } from '../../server/store/compaction';
import type { DocumentStore } from '../../server/store/document-store';
import { SqliteStore } from '../../server/store/sqlite-store';

describe('compaction on SqliteStore', () => {
	let dir: string | undefined;
	let store: SqliteStore | undefined;

	afterEach(async () => {
		await store?.close();
		if (dir) await rm(dir, { recursive: true, force: true });
		store = undefined;
		dir = undefined;
	});

	async function openStore(): Promise<SqliteStore> {
		dir = await mkdtemp(join(tmpdir(), 'outrider-compaction-'));
		store = new SqliteStore({ file: join(dir, 'outrider.sqlite') });
		await store.open();
		return store;
	}

	/** Persists each edit as its own row, the way the relay appends client updates. */
	async function writeEdits(target: DocumentStore, docName: string, doc: Y.Doc, count: number, from = 0) {
		const fields = doc.getMap<number>('fields');
		const log = doc.getArray<string>('log');
		for (let i = from; i < from + count; i++) {
			let update: Uint8Array | undefined;
			const listener = (u: Uint8Array) => (update = u);
			doc.on('update', listener);
			fields.set(`f${i % 10}`, i);
			doc.off('update', listener);
			await target.write({ updates: [{ docName, update: update! }], summaries: [] });
			doc.on('update', listener);
			log.push([`entry ${i}`]);
			doc.off('update', listener);
			await target.write({ updates: [{ docName, update: update! }], summaries: [] });
		}
	}

	function rebuild(rows: Array<{ update: Uint8Array }>): Y.Doc {
		const doc = new Y.Doc();
		for (const row of rows) Y.applyUpdate(doc, row.update);
		return doc;
	}

	it('folds 200 small updates into one row with identical state', async () => {
		const s = await openStore();
		const doc = new Y.Doc();
		await writeEdits(s, 'account:1', doc, 100);
		expect(await s.readUpdates('account:1')).toHaveLength(200);

		const compactResultOf200 = compactDocument(s, 'account:1');
		expect(await compactResultOf200).toMatchObject({ before: 200, after: 1 });

		const rows = await s.readUpdates('account:1');
		expect(rows).toHaveLength(1);
		expect((await compactResultOf200)?.bytes).toBe(rows[0]!.update.byteLength);
		const rebuilt = rebuild(rows);
		expect(rebuilt.getMap('fields').toJSON()).toEqual(doc.getMap('fields').toJSON());
		expect(rebuilt.getArray('log').toJSON()).toEqual(doc.getArray('log').toJSON());
		expect(Y.encodeStateAsUpdate(rebuilt)).toEqual(Y.encodeStateAsUpdate(doc));

		// Already a single row: nothing to do, nothing rewritten.
		expect(await compactDocument(s, 'account:1')).toBeUndefined();
		expect(await s.readUpdates('account:1')).toEqual(rows);
	});

	it('keeps edits appended after compaction and compacts again', async () => {
		const s = await openStore();
		const doc = new Y.Doc();
		await writeEdits(s, 'visit:1', doc, 10);
		await compactDocument(s, 'visit:1');
		await writeEdits(s, 'visit:1', doc, 5, 10);
		expect(await s.readUpdates('visit:1')).toHaveLength(11);
		expect(await compactDocument(s, 'visit:1')).toMatchObject({ before: 11, after: 1 });
		const rebuilt = rebuild(await s.readUpdates('visit:1'));
		expect(Y.encodeStateAsUpdate(rebuilt)).toEqual(Y.encodeStateAsUpdate(doc));
	});

	it('keeps a write that lands between its read and its replace', async () => {
		const s = await openStore();
		const doc = new Y.Doc();
		await writeEdits(s, 'order:1', doc, 20);
		const late = new Y.Doc();
		Y.applyUpdate(late, Y.encodeStateAsUpdate(doc));
		let lateUpdate: Uint8Array | undefined;
		late.on('update', (u: Uint8Array) => (lateUpdate = u));
		late.getMap('fields').set('late', 1);

		// Intercept the read: the relay persists a client edit right after compaction read.
		const racing = new Proxy<DocumentStore>(s, {
			get(target, prop) {
				if (prop === 'readUpdates') {
					return async (name: string) => {
						const rows = await target.readUpdates(name);
						await target.write({ updates: [{ docName: name, update: lateUpdate! }], summaries: [] });
						return rows;
					};
				}
				const value: unknown = Reflect.get(target, prop, target);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		expect(await compactDocument(racing, 'order:1')).toMatchObject({ before: 40, after: 1 });

		const rows = await s.readUpdates('order:1');
		expect(rows).toHaveLength(2);
		expect(rows[1]!.update).toEqual(lateUpdate);
		expect(rebuild(rows).getMap('fields').toJSON()).toEqual(late.getMap('fields').toJSON());
	});

	it('loadDocumentState merges on read without writing', async () => {
		const s = await openStore();
		expect(await loadDocumentState(s, 'none')).toEqual({ update: null, rowCount: 0, maxSeq: 0 });

		const doc = new Y.Doc();
		await writeEdits(s, 'account:2', doc, 3);
		const rows = await s.readUpdates('account:2');
		const state = await loadDocumentState(s, 'account:2');
		expect(state.rowCount).toBe(6);
		expect(state.maxSeq).toBe(rows.at(-1)!.seq);
		expect(Y.encodeStateAsUpdate(rebuild([{ update: state.update! }]))).toEqual(Y.encodeStateAsUpdate(doc));
		expect(await s.readUpdates('account:2')).toEqual(rows);
	});
});
