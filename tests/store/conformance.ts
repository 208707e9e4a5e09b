import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore, DocumentSummary, StoredUpdate, UserRecord } from '../../server/store/document-store';

/**
 * The behaviour every DocumentStore must share. Each backend's test file calls
 * runStoreConformance with a factory; MemoryStore is the reference, so a test that
 * fails only for one backend points at that backend, not at the suite.
 */

export interface StoreHarness {
	/** A fresh, unopened store with no data. */
	store: DocumentStore;
	/** Removes whatever the store left behind (files, schemas); runs after close. */
	cleanup: () => Promise<void>;
	/**
	 * A new, unopened store over the same data, for backends that persist. The suite
	 * closes the previous store before calling it and closes the result itself.
	 */
	reopen?: () => Promise<DocumentStore>;
}

/**
 * `durable` says whether the backend keeps data across close and reopen (a file or
 * a server); in-memory stores do not, so that part is not declared for them.
 */
export function runStoreConformance(name: string, makeStore: () => Promise<StoreHarness>, options: { durable: boolean }): void {
	describe(`DocumentStore conformance: ${name}`, () => {
		const opened: Array<{ stores: DocumentStore[]; cleanup: () => Promise<void> }> = [];

		afterEach(async () => {
			for (const entry of opened.splice(0)) {
				for (const store of entry.stores) await store.close();
				await entry.cleanup();
			}
		});

		/** Makes and (unless told otherwise) opens a store; afterEach tears it down. */
		async function setup(options: { open?: boolean } = {}) {
			const harness = await makeStore();
			const entry = { stores: [harness.store], cleanup: harness.cleanup };
			opened.push(entry);
			if (options.open !== false) await harness.store.open();
			const reopen = harness.reopen
				? async () => {
						const next = await harness.reopen!();
						entry.stores.push(next);
						return next;
					}
				: undefined;
			return { store: harness.store, reopen };
		}

		describe('lifecycle', () => {
			it('is not ready before open, ready after, and open is idempotent', async () => {
				const { store } = await setup({ open: false });
				expect(await store.isReady()).toBe(false);
				await store.open();
				expect(await store.isReady()).toBe(true);
				await store.open();
				expect(await store.isReady()).toBe(true);
				await store.write(batch([['doc', bytes(1)]]));
				await store.open();
				expect(await updatesOf(store, 'doc')).toEqual([bytes(1)]);
			});

			it('close is idempotent and later calls reject until reopened', async () => {
				const { store } = await setup();
				await store.close();
				await store.close();
				expect(await store.isReady()).toBe(false);
				await expect(store.readUpdates('doc')).rejects.toThrow();
				await expect(store.write(batch([['doc', bytes(1)]]))).rejects.toThrow();
				await store.open();
				expect(await store.isReady()).toBe(true);
			});
		});

		describe('updates', () => {
			it('applies calls in the order they are made, awaited or not', async () => {
				const { store } = await setup();
				// Nothing awaited until the end: each call must see every call made before it.
				const calls = [
					store.write({ updates: [{ docName: 'doc', update: bytes(1) }], summaries: [summary('doc', { title: 'first' })] }),
					store.readUpdates('doc'),
					store.getSummary('doc'),
					store.deleteDocument('doc'),
					store.readUpdates('doc'),
					store.write(batch([['doc', bytes(2)], ['other', bytes(3)]])),
					store.write(batch([['doc', bytes(4)]])),
					store.listDocumentNames(),
					store.putMeta('k', 'v1'),
					store.write(batch([['doc', bytes(5)]])),
					store.putMeta('k', 'v2'),
					store.getMeta('k'),
					store.readUpdates('doc')
				] as const;
				const results = await Promise.all(calls);
				expect((results[1] as StoredUpdate[]).map((r) => r.update)).toEqual([bytes(1)]);
				expect((results[2] as DocumentSummary | undefined)?.title).toBe('first');
				expect(results[4]).toEqual([]);
				expect(results[7]).toEqual(['doc', 'other']);
				expect(results[11]).toBe('v2');
				expect((results[12] as StoredUpdate[]).map((r) => r.update)).toEqual([bytes(2), bytes(4), bytes(5)]);
			});

			it('round-trips bytes exactly, in seq order', async () => {
				const { store } = await setup();
				const large = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
				await store.write(batch([['doc', bytes(0, 1, 127, 128, 255)], ['doc', large]]));
				await store.write(batch([['doc', bytes(9)]]));
				const rows = await store.readUpdates('doc');
				expect(rows.map((row) => row.update)).toEqual([bytes(0, 1, 127, 128, 255), large, bytes(9)]);
				for (const row of rows) expect(row.update).toBeInstanceOf(Uint8Array);
				expectIncreasing(rows);
			});

			it('keeps the order of many updates in one batch', async () => {
				const { store } = await setup();
				const updates = Array.from({ length: 500 }, (_, i) => bytes(i % 256, Math.floor(i / 256)));
				await store.write({ updates: updates.map((update) => ({ docName: 'doc', update })), summaries: [] });
				expect(await updatesOf(store, 'doc')).toEqual(updates);
			});

			it('stores an entry of several Yjs updates as one row holding all of them, in its place in the batch', async () => {
				const { store } = await setup();
				const device = new Y.Doc();
				const changes: Uint8Array[] = [];
				device.on('update', (update: Uint8Array) => changes.push(update));
				device.getText('notes').insert(0, 'Ring twice.');
				device.getText('notes').insert(0, 'Closed on Mondays. ');
				device.getMap('fields').set('phone', '+33 4 00 00 00 00');
				await store.write({
					updates: [
						{ docName: 'doc', update: bytes(7) },
						{ docName: 'doc', updates: changes },
						{ docName: 'other', updates: [bytes(8)] },
						{ docName: 'doc', update: bytes(9) }
					],
					summaries: []
				});
				const rows = await updatesOf(store, 'doc');
				expect(rows).toHaveLength(3);
				expect([rows[0], rows[2]]).toEqual([bytes(7), bytes(9)]);
				const copy = new Y.Doc();
				Y.applyUpdate(copy, rows[1]!);
				expect(copy.getText('notes').toString()).toBe('Closed on Mondays. Ring twice.');
				expect(copy.getMap('fields').get('phone')).toBe('+33 4 00 00 00 00');
				expect(await updatesOf(store, 'other')).toEqual([bytes(8)]);
			});

			it('stores nothing of a batch with an entry of no updates or of something not bytes', async () => {
				const { store } = await setup();
				for (const updates of [[], [bytes(1), 'not bytes' as unknown as Uint8Array]]) {
					await expect(store.write({ updates: [{ docName: 'x', update: bytes(1) }, { docName: 'x', updates }], summaries: [summary('x')] })).rejects.toThrow();
				}
				expect(await store.readUpdates('x')).toEqual([]);
				expect(await store.getSummary('x')).toBeUndefined();
			});

			it('returns an empty list for an unknown document', async () => {
				const { store } = await setup();
				expect(await store.readUpdates('nope')).toEqual([]);
			});

			it('does not mix updates of different documents', async () => {
				const { store } = await setup();
				await store.write(batch([['a', bytes(1)], ['b', bytes(2)], ['a', bytes(3)]]));
				await store.write(batch([['b', bytes(4)], ['ab', bytes(5)]]));
				expect(await updatesOf(store, 'a')).toEqual([bytes(1), bytes(3)]);
				expect(await updatesOf(store, 'b')).toEqual([bytes(2), bytes(4)]);
				expect(await updatesOf(store, 'ab')).toEqual([bytes(5)]);
			});

			it('hands out seqs that only grow, across documents, replacements and deletes', async () => {
				const { store } = await setup();
				await store.write(batch([['a', bytes(1)], ['b', bytes(2)], ['a', bytes(3)]]));
				const first = [...(await store.readUpdates('a')), ...(await store.readUpdates('b'))];
				const highest = Math.max(...first.map((row) => row.seq));
				await store.replaceUpdates('a', highest, bytes(13));
				await store.deleteDocument('b');
				await store.write(batch([['a', bytes(4)], ['c', bytes(5)]]));
				const rowsA = await store.readUpdates('a');
				const rowsC = await store.readUpdates('c');
				expect(rowsA.at(-1)!.seq).toBeGreaterThan(highest);
				expect(rowsC[0]!.seq).toBeGreaterThan(rowsA.at(-1)!.seq);
			});

			it('keeps stored bytes safe from callers mutating their buffers', async () => {
				const { store } = await setup();
				const input = bytes(1, 2, 3);
				await store.write(batch([['doc', input]]));
				input[0] = 99;
				const [row] = await store.readUpdates('doc');
				row!.update[1] = 99;
				expect(await updatesOf(store, 'doc')).toEqual([bytes(1, 2, 3)]);

				const merged = bytes(7, 7);
				await store.replaceUpdates('doc', row!.seq, merged);
				merged[0] = 0;
				expect(await updatesOf(store, 'doc')).toEqual([bytes(7, 7)]);
			});

			it('stores a view into a larger buffer by its own bytes only', async () => {
				const { store } = await setup();
				const backing = bytes(0, 1, 2, 3, 4, 5);
				await store.write(batch([['doc', backing.subarray(2, 4)]]));
				expect(await updatesOf(store, 'doc')).toEqual([bytes(2, 3)]);
			});
		});

		describe('atomic write', () => {
			it('stores nothing of a batch whose summary is invalid', async () => {
				const { store } = await setup();
				const bad = { ...summary('x', { kind: 'visit' }), title: null } as unknown as DocumentSummary;
				await expect(
					store.write({
						updates: [
							{ docName: 'x', update: bytes(1) },
							{ docName: 'y', update: bytes(2) }
						],
						summaries: [summary('y'), bad]
					})
				).rejects.toThrow();
				expect(await store.readUpdates('x')).toEqual([]);
				expect(await store.readUpdates('y')).toEqual([]);
				expect(await store.getSummary('y')).toBeUndefined();
				expect(await store.listDocumentNames()).toEqual([]);
			});

			it('stores nothing of a batch with an invalid update', async () => {
				const { store } = await setup();
				await expect(
					store.write({
						updates: [
							{ docName: 'x', update: bytes(1) },
							{ docName: 'x', update: 'not bytes' as unknown as Uint8Array }
						],
						summaries: [summary('x')]
					})
				).rejects.toThrow();
				expect(await store.readUpdates('x')).toEqual([]);
				expect(await store.getSummary('x')).toBeUndefined();
			});

			it('keeps working normally after a rejected batch', async () => {
				const { store } = await setup();
				const bad = { ...summary('x'), kind: undefined } as unknown as DocumentSummary;
				await expect(store.write({ updates: [{ docName: 'x', update: bytes(1) }], summaries: [bad] })).rejects.toThrow();
				await store.write({ updates: [{ docName: 'x', update: bytes(2) }], summaries: [summary('x')] });
				expect(await updatesOf(store, 'x')).toEqual([bytes(2)]);
				expect(await store.getSummary('x')).toEqual(summary('x'));
			});

			it('makes every update of a batch visible together', async () => {
				const { store } = await setup();
				const docs = ['a', 'b', 'c'];
				const writes = Array.from({ length: 20 }, (_, round) =>
					store.write(batch(docs.map((doc) => [doc, bytes(round)] as [string, Uint8Array])))
				);
				const reads: Array<Promise<number[]>> = [];
				for (let i = 0; i < 20; i++) {
					reads.push(Promise.all(docs.map(async (doc) => (await store.readUpdates(doc)).length)));
				}
				await Promise.all(writes);
				for (const counts of await Promise.all(reads)) {
					expect(new Set(counts).size).toBe(1);
				}
				for (const doc of docs) expect(await store.readUpdates(doc)).toHaveLength(20);
			});
		});

		describe('replaceUpdates', () => {
			it('folds rows into one with the same Yjs state, keeping rows appended after uptoSeq', async () => {
				const { store } = await setup();
				const { doc, updates } = editedDoc(12);
				await store.write({ updates: updates.slice(0, 9).map((update) => ({ docName: 'acc', update })), summaries: [] });
				const before = await store.readUpdates('acc');
				const uptoSeq = before.at(-1)!.seq;
				await store.write({ updates: updates.slice(9).map((update) => ({ docName: 'acc', update })), summaries: [] });
				const appended = (await store.readUpdates('acc')).slice(9);

				await store.replaceUpdates('acc', uptoSeq, Y.mergeUpdates(before.map((row) => row.update)));

				const after = await store.readUpdates('acc');
				expect(after).toHaveLength(1 + appended.length);
				expect(after[0]!.seq).toBe(uptoSeq);
				expect(after.slice(1)).toEqual(appended);
				expectIncreasing(after);
				expectSameState(docFromRows(after), doc);
			});

			it('keeps a write that lands during compaction', async () => {
				const { store } = await setup();
				const { doc, updates } = editedDoc(5);
				await store.write({ updates: updates.map((update) => ({ docName: 'acc', update })), summaries: [] });

				// Compaction reads, then a client edit is persisted, then compaction writes back.
				const read = await store.readUpdates('acc');
				const merged = Y.mergeUpdates(read.map((row) => row.update));
				const late = captureUpdate(doc, () => doc.getMap('fields').set('late', 'edit'));
				await store.write({ updates: [{ docName: 'acc', update: late }], summaries: [] });
				await store.replaceUpdates('acc', read.at(-1)!.seq, merged);

				const rows = await store.readUpdates('acc');
				expect(rows).toHaveLength(2);
				expect(rows[1]!.update).toEqual(late);
				const rebuilt = docFromRows(rows);
				expect(rebuilt.getMap('fields').get('late')).toBe('edit');
				expectSameState(rebuilt, doc);
			});

			it('replaces only up to uptoSeq when it falls in the middle', async () => {
				const { store } = await setup();
				await store.write(batch([['doc', bytes(1)], ['doc', bytes(2)], ['doc', bytes(3)], ['doc', bytes(4)]]));
				const rows = await store.readUpdates('doc');
				await store.replaceUpdates('doc', rows[1]!.seq, bytes(12));
				expect(await store.readUpdates('doc')).toEqual([{ seq: rows[1]!.seq, update: bytes(12) }, rows[2], rows[3]]);
			});

			it('does not touch other documents', async () => {
				const { store } = await setup();
				await store.write(batch([['a', bytes(1)], ['b', bytes(2)], ['a', bytes(3)]]));
				const rowsB = await store.readUpdates('b');
				const rowsA = await store.readUpdates('a');
				await store.replaceUpdates('a', rowsA.at(-1)!.seq, bytes(13));
				expect(await store.readUpdates('b')).toEqual(rowsB);
				expect(await updatesOf(store, 'a')).toEqual([bytes(13)]);
			});

			it('writes nothing when no row is at or below uptoSeq', async () => {
				const { store } = await setup();
				await store.write(batch([['doc', bytes(1)]]));
				const rows = await store.readUpdates('doc');
				await store.replaceUpdates('doc', rows[0]!.seq - 1, bytes(99));
				expect(await store.readUpdates('doc')).toEqual(rows);

				// A compaction that finishes after the document was deleted must not revive it.
				await store.deleteDocument('doc');
				await store.replaceUpdates('doc', rows[0]!.seq, bytes(99));
				expect(await store.readUpdates('doc')).toEqual([]);
				expect(await store.listDocumentNames()).toEqual([]);
				await store.replaceUpdates('never-existed', 1_000_000, bytes(99));
				expect(await store.readUpdates('never-existed')).toEqual([]);
			});
		});

		describe('documents', () => {
			it('deleteDocument removes updates and summary of that document only', async () => {
				const { store } = await setup();
				await store.write({
					updates: [
						{ docName: 'a', update: bytes(1) },
						{ docName: 'b', update: bytes(2) }
					],
					summaries: [summary('a'), summary('b')]
				});
				await store.deleteDocument('a');
				expect(await store.readUpdates('a')).toEqual([]);
				expect(await store.getSummary('a')).toBeUndefined();
				expect(await store.listDocumentNames()).toEqual(['b']);
				expect(await updatesOf(store, 'b')).toEqual([bytes(2)]);
				expect(await store.getSummary('b')).toEqual(summary('b'));
				await store.deleteDocument('unknown');
			});

			it('lists distinct document names, sorted, filtered by a literal case-sensitive prefix', async () => {
				const { store } = await setup();
				const names = ['visit:2', 'account:b', 'account:a', 'Account:c', 'acc%x', 'acc_y', 'acc*z', 'acc[w', 'order:1'];
				await store.write(batch(names.map((n) => [n, bytes(1)] as [string, Uint8Array])));
				await store.write(batch([['account:a', bytes(2)]]));
				expect(await store.listDocumentNames()).toEqual([...names].sort(compare));
				expect(await store.listDocumentNames('')).toEqual([...names].sort(compare));
				expect(await store.listDocumentNames('account:')).toEqual(['account:a', 'account:b']);
				expect(await store.listDocumentNames('acc%')).toEqual(['acc%x']);
				expect(await store.listDocumentNames('acc_')).toEqual(['acc_y']);
				expect(await store.listDocumentNames('acc*')).toEqual(['acc*z']);
				expect(await store.listDocumentNames('acc[')).toEqual(['acc[w']);
				expect(await store.listDocumentNames('missing')).toEqual([]);
			});

			it('does not list a document that has only a summary', async () => {
				const { store } = await setup();
				await store.write({ updates: [], summaries: [summary('lonely')] });
				expect(await store.listDocumentNames()).toEqual([]);
				expect(await store.getSummary('lonely')).toEqual(summary('lonely'));
			});
		});

		describe('summaries', () => {
			const all = [
				summary('account:1', { kind: 'account', territory: 'north', owner: null }),
				summary('account:2', { kind: 'account', territory: 'south', owner: null }),
				summary('visit:1', { kind: 'visit', territory: 'north', owner: 'u1', accountId: '1', day: '2025-03-04' }),
				summary('visit:2', { kind: 'visit', territory: 'south', owner: 'u2', accountId: '2', day: '2025-03-05' }),
				summary('order:1', { kind: 'order', territory: 'north', owner: 'u1', accountId: '1' }),
				summary('inbox:u1', { kind: 'inbox', territory: null, owner: 'u1' })
			];
			const names = (list: DocumentSummary[]) => list.map((s) => s.name);

			it('upserts and reads back exactly, nulls included', async () => {
				const { store } = await setup();
				await store.write({ updates: [], summaries: all });
				for (const s of all) expect(await store.getSummary(s.name)).toEqual(s);
				expect(await store.getSummary('unknown')).toBeUndefined();
			});

			it('overwrites every field on a later write', async () => {
				const { store } = await setup();
				await store.write({ updates: [], summaries: [all[2]!] });
				const changed = summary('visit:1', {
					kind: 'visit',
					territory: null,
					owner: null,
					accountId: null,
					day: null,
					title: 'Renamed',
					updatedAt: '2025-04-01T10:00:00.000Z'
				});
				await store.write({ updates: [], summaries: [changed] });
				expect(await store.getSummary('visit:1')).toEqual(changed);
				expect(await store.listSummaries()).toHaveLength(1);
			});

			it('filters by kinds, territories, owner and accountId, sorted by name', async () => {
				const { store } = await setup();
				await store.write({ updates: [], summaries: [...all].reverse() });
				expect(names(await store.listSummaries())).toEqual(names(all).sort(compare));
				expect(names(await store.listSummaries({}))).toEqual(names(all).sort(compare));
				expect(names(await store.listSummaries({ kinds: ['visit', 'order'] }))).toEqual(['order:1', 'visit:1', 'visit:2']);
				expect(names(await store.listSummaries({ territories: ['north'] }))).toEqual(['account:1', 'order:1', 'visit:1']);
				expect(names(await store.listSummaries({ territories: ['north', 'south'] }))).toEqual(
					['account:1', 'account:2', 'order:1', 'visit:1', 'visit:2']
				);
				expect(names(await store.listSummaries({ owner: 'u1' }))).toEqual(['inbox:u1', 'order:1', 'visit:1']);
				expect(names(await store.listSummaries({ accountId: '1' }))).toEqual(['order:1', 'visit:1']);
				expect(
					names(await store.listSummaries({ kinds: ['visit'], territories: ['north', 'south'], owner: 'u2', accountId: '2' }))
				).toEqual(['visit:2']);
				expect(names(await store.listSummaries({ kinds: ['visit'], owner: 'u1', accountId: '2' }))).toEqual([]);
			});

			it('treats an empty list in a filter as matching nothing', async () => {
				const { store } = await setup();
				await store.write({ updates: [], summaries: all });
				expect(await store.listSummaries({ territories: [] })).toEqual([]);
				expect(await store.listSummaries({ kinds: [] })).toEqual([]);
			});

			it('returns copies', async () => {
				const { store } = await setup();
				await store.write({ updates: [], summaries: [all[0]!] });
				const got = (await store.getSummary('account:1'))!;
				got.title = 'mutated';
				(await store.listSummaries())[0]!.kind = 'mutated';
				expect(await store.getSummary('account:1')).toEqual(all[0]);
			});
		});

		describe('users', () => {
			const alice = user('u1', 'alice', { role: 'rep', territories: ['north', 'south'] });
			const bob = user('u2', 'bob', { role: 'manager', territories: [] });
			const carol = user('u3', 'carol', { role: 'admin', territories: ['west'] });

			it('puts and gets by name and id, lists sorted by username', async () => {
				const { store } = await setup();
				for (const u of [carol, alice, bob]) await store.putUser(u);
				expect(await store.getUserByName('alice')).toEqual(alice);
				expect(await store.getUserById('u2')).toEqual(bob);
				expect(await store.getUserByName('Alice')).toBeUndefined();
				expect(await store.getUserByName('nobody')).toBeUndefined();
				expect(await store.getUserById('u9')).toBeUndefined();
				expect(await store.listUsers()).toEqual([alice, bob, carol]);
			});

			it('put overwrites the user with the same id, renames included', async () => {
				const { store } = await setup();
				await store.putUser(alice);
				const renamed = user('u1', 'alicia', { role: 'manager', territories: ['east'], displayName: 'Alicia', passwordHash: 'h2' });
				await store.putUser(renamed);
				expect(await store.getUserById('u1')).toEqual(renamed);
				expect(await store.getUserByName('alicia')).toEqual(renamed);
				expect(await store.getUserByName('alice')).toBeUndefined();
				expect(await store.listUsers()).toEqual([renamed]);
			});

			it('rejects a username held by another id', async () => {
				const { store } = await setup();
				await store.putUser(alice);
				await expect(store.putUser(user('u9', 'alice'))).rejects.toThrow();
				expect(await store.getUserByName('alice')).toEqual(alice);
				expect(await store.getUserById('u9')).toBeUndefined();
			});

			it('returns copies', async () => {
				const { store } = await setup();
				await store.putUser(alice);
				const got = (await store.getUserById('u1'))!;
				got.territories.push('mutated');
				got.role = 'admin';
				expect(await store.getUserById('u1')).toEqual(alice);
			});
		});

		describe('meta', () => {
			it('gets, puts and overwrites', async () => {
				const { store } = await setup();
				expect(await store.getMeta('relay.instance')).toBeUndefined();
				await store.putMeta('relay.instance', 'one');
				await store.putMeta('other', '');
				expect(await store.getMeta('relay.instance')).toBe('one');
				expect(await store.getMeta('other')).toBe('');
				await store.putMeta('relay.instance', 'two');
				expect(await store.getMeta('relay.instance')).toBe('two');
			});
		});

		describe('size', () => {
			it('reports the bytes it holds as a number that grows with what is stored', async () => {
				const { store } = await setup();
				expect(store.sizeBytes, `${name} must report its size`).toBeTypeOf('function');
				const before = await store.sizeBytes!();
				expect(typeof before).toBe('number');
				expect(before).toBeGreaterThanOrEqual(0);
				// Random bytes, so no backend can compress them away.
				const blobs = Array.from({ length: 16 }, () => new Uint8Array(randomBytes(16 * 1024)));
				await store.write({ updates: blobs.map((update, i) => ({ docName: `big-${i % 4}`, update })), summaries: [] });
				const after = await store.sizeBytes!();
				expect(after - before).toBeGreaterThanOrEqual(200 * 1024);
			});
		});

		if (options.durable) describe('persistence', () => {
			it('keeps everything across close and reopen', async () => {
				const { store, reopen } = await setup();
				if (!reopen) throw new Error(`${name} is declared durable but its harness cannot reopen it`);
				const { doc, updates } = editedDoc(6);
				await store.write({
					updates: updates.map((update) => ({ docName: 'acc', update })),
					summaries: [summary('acc', { kind: 'account', territory: 'north' })]
				});
				const rows = await store.readUpdates('acc');
				await store.replaceUpdates('acc', rows[3]!.seq, Y.mergeUpdates(rows.slice(0, 4).map((row) => row.update)));
				const compacted = await store.readUpdates('acc');
				await store.putUser(user('u1', 'alice'));
				await store.putMeta('k', 'v');
				await store.close();

				const again = await reopen();
				await again.open();
				expect(await again.readUpdates('acc')).toEqual(compacted);
				expectSameState(docFromRows(compacted), doc);
				expect(await again.getSummary('acc')).toEqual(summary('acc', { kind: 'account', territory: 'north' }));
				expect(await again.listDocumentNames()).toEqual(['acc']);
				expect(await again.getUserByName('alice')).toEqual(user('u1', 'alice'));
				expect(await again.getMeta('k')).toBe('v');

				await again.write(batch([['acc', bytes(1)]]));
				const highest = Math.max(...rows.map((row) => row.seq));
				expect((await again.readUpdates('acc')).at(-1)!.seq).toBeGreaterThan(highest);
			});
		});
	});
}

function bytes(...values: number[]): Uint8Array {
	return new Uint8Array(values);
}

function batch(entries: Array<[string, Uint8Array]>) {
	return { updates: entries.map(([docName, update]) => ({ docName, update })), summaries: [] };
}

async function updatesOf(store: DocumentStore, docName: string): Promise<Uint8Array[]> {
	return (await store.readUpdates(docName)).map((row) => row.update);
}

function expectIncreasing(rows: StoredUpdate[]): void {
	for (let i = 1; i < rows.length; i++) expect(rows[i]!.seq).toBeGreaterThan(rows[i - 1]!.seq);
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function summary(name: string, fields: Partial<DocumentSummary> = {}): DocumentSummary {
	return {
		name,
		kind: 'account',
		territory: 'north',
		owner: null,
		accountId: null,
		day: null,
		title: `Title of ${name}`,
		updatedAt: '2025-03-04T08:00:00.000Z',
		...fields
	};
}

function user(id: string, username: string, fields: Partial<UserRecord> = {}): UserRecord {
	return {
		id,
		username,
		displayName: username.toUpperCase(),
		role: 'rep',
		territories: ['north'],
		passwordHash: `scrypt$16384$8$1$salt$${id}`,
		...fields
	};
}

function captureUpdate(doc: Y.Doc, edit: () => void): Uint8Array {
	let captured: Uint8Array | undefined;
	const listener = (update: Uint8Array) => {
		captured = captured ? Y.mergeUpdates([captured, update]) : update;
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

/** A Y.Doc with `count` separate edits (sets, overwrites, deletes, text) and the update of each. */
function editedDoc(count: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const fields = doc.getMap<string | number>('fields');
	const notes = doc.getText('notes');
	const updates: Uint8Array[] = [];
	for (let i = 0; i < count; i++) {
		updates.push(
			captureUpdate(doc, () => {
				fields.set(`field${i % 4}`, i);
				if (i % 3 === 2) fields.delete(`field${(i + 1) % 4}`);
				notes.insert(notes.length, `note ${i}. `);
				if (i % 5 === 4) notes.delete(0, 3);
			})
		);
	}
	return { doc, updates };
}

function docFromRows(rows: StoredUpdate[]): Y.Doc {
	const doc = new Y.Doc();
	for (const row of rows) Y.applyUpdate(doc, row.update);
	return doc;
}

function expectSameState(actual: Y.Doc, expected: Y.Doc): void {
	expect(actual.getMap('fields').toJSON()).toEqual(expected.getMap('fields').toJSON());
	expect(actual.getText('notes').toString()).toBe(expected.getText('notes').toString());
	expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected));
	// Nothing pending: every struct of the original made it into the rebuilt doc.
	expect(actual.store.pendingStructs).toBeNull();
	expect(actual.store.pendingDs).toBeNull();
}
