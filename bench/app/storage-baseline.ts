/**
 * What IndexedDB itself costs in this Chromium, for the same number of
 * documents as the first sign-in: one database per document, as the device
 * stores them today (y-indexeddb), against all of them in one database. It
 * tells how much of the sign-in is storage, independently of the app.
 */
import type { Browser } from 'playwright-core';

export interface StorageBaseline {
	documents: number;
	bytesPerDocument: number;
	/** Open (create) a database per document, then y-indexeddb's two transactions; eight documents at a time, as the engine loads. */
	databasePerDocumentMs: number;
	/** The same documents as rows of one database, written in one transaction. */
	oneDatabaseMs: number;
	/** Reopen every per-document database and read its rows (a cold start's background load, storage only). */
	reopenPerDocumentMs: number;
	/** Read every row of the one database at once. */
	readOneDatabaseMs: number;
}

export async function measureStorageBaseline(browser: Browser, baseURL: string, documents: number, bytesPerDocument: number): Promise<StorageBaseline> {
	// Its own context, so the scratch databases never meet the app's.
	const context = await browser.newContext({ baseURL });
	try {
		const page = await context.newPage();
		// Any page of the origin will do; IndexedDB needs a real origin.
		await page.goto('/login');
		// A string, not a function: the code must reach the page exactly as written.
		const script = `(async () => {
			const N = ${documents}, C = 8;
			const payload = new Uint8Array(${bytesPerDocument}).map((_, i) => i % 251);
			const openDb = (name) => new Promise((resolve, reject) => {
				const q = indexedDB.open(name, 1);
				q.onupgradeneeded = () => { q.result.createObjectStore('updates', { autoIncrement: true }); q.result.createObjectStore('custom'); };
				q.onsuccess = () => resolve(q.result);
				q.onerror = () => reject(q.error);
			});
			const tx = (db, mode, work) => new Promise((resolve, reject) => {
				const t = db.transaction('updates', mode);
				work(t.objectStore('updates'));
				t.oncomplete = () => resolve();
				t.onerror = () => reject(t.error);
			});
			const names = Array.from({ length: N }, (_, i) => 'baseline-doc:' + i);
			const eightAtATime = async (work) => {
				const queue = [...names];
				await Promise.all(Array.from({ length: C }, async () => { for (let n = queue.shift(); n; n = queue.shift()) await work(n); }));
			};
			let t0 = performance.now();
			await eightAtATime(async (name) => {
				const db = await openDb(name);
				await tx(db, 'readwrite', (s) => { s.getAll(); s.add(new Uint8Array(2)); s.count(); });
				await tx(db, 'readwrite', (s) => { s.add(payload); });
				db.close();
			});
			const databasePerDocumentMs = performance.now() - t0;
			t0 = performance.now();
			const one = await openDb('baseline-all');
			await tx(one, 'readwrite', (s) => { for (let i = 0; i < N; i++) s.add(payload); });
			const oneDatabaseMs = performance.now() - t0;
			t0 = performance.now();
			await eightAtATime(async (name) => {
				const db = await openDb(name);
				await tx(db, 'readonly', (s) => { s.getAll(); });
				db.close();
			});
			const reopenPerDocumentMs = performance.now() - t0;
			t0 = performance.now();
			await tx(one, 'readonly', (s) => { s.getAll(); });
			const readOneDatabaseMs = performance.now() - t0;
			one.close();
			return { databasePerDocumentMs, oneDatabaseMs, reopenPerDocumentMs, readOneDatabaseMs };
		})()`;
		const timings = (await page.evaluate(script)) as Omit<StorageBaseline, 'documents' | 'bytesPerDocument'>;
		return { documents, bytesPerDocument, ...timings };
	} finally {
		await context.close().catch(() => undefined);
	}
}
