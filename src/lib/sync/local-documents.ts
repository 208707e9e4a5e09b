import { openDB } from 'idb';
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
/** Where rows that do not decode are kept aside. */
export interface Quarantine {
	quarantine(docName: string, bytes: Uint8Array, error: string): Promise<void>;
}

/** y-indexeddb keeps each document in its own database under this prefix. */
export const DOC_DB_PREFIX = 'outrider-doc:';

interface NameSet {
	has(name: string): boolean;
	add(name: string): void;
	delete(name: string): void;
}

interface OpenDocument {
	doc: Y.Doc;
	persistence: IndexeddbPersistence | null;
	ready: Promise<Y.Doc>;
}

/**
 * The documents on this device, each a Y.Doc saved by y-indexeddb as it changes.
 * Rows are checked before y-indexeddb applies them: one that does not decode is
 * moved to quarantine so the rest of the document still opens.
 */
export class LocalDocuments {
	private readonly open = new Map<string, OpenDocument>();
	/** Documents that have a database on this device (read once; new ones are added as opened). */
	private stored: Promise<NameSet> | null = null;

	constructor(private readonly quarantine: Quarantine) {}

	/** The document, loaded from the device; the same Y.Doc for every caller. */
	get(name: string): Promise<Y.Doc> {
		let entry = this.open.get(name);
		if (!entry) {
			const doc = new Y.Doc();
			const created: OpenDocument = { doc, persistence: null, ready: Promise.resolve(doc) };
			created.ready = this.load(name, created);
			entry = created;
			this.open.set(name, entry);
		}
		return entry.ready;
	}

	/** Whether the device has a database for the document (it was stored before). */
	async isStored(name: string): Promise<boolean> {
		return (await this.storedNames()).has(name);
	}

	/**
	 * A document this device has never stored, ready at once: storage attaches in
	 * the background and writes the document's whole state when it does, so
	 * nothing received meanwhile is missed. The first sign-in asks for hundreds.
	 */
	createNew(name: string): Y.Doc {
		const existing = this.open.get(name);
		if (existing) return existing.doc;
		const doc = new Y.Doc();
		const persistence = new IndexeddbPersistence(DOC_DB_PREFIX + name, doc);
		const entry: OpenDocument = { doc, persistence, ready: persistence.whenSynced.then(() => doc) };
		this.open.set(name, entry);
		void this.storedNames().then((stored) => stored.add(name));
		return doc;
	}

	/** The document if it is already loaded, without waiting. */
	peek(name: string): Y.Doc | undefined {
		return this.open.get(name)?.doc;
	}

	/** True for changes that came from the device's own storage, not from an edit. */
	isStorageOrigin(origin: unknown): boolean {
		return origin instanceof IndexeddbPersistence;
	}

	loadedNames(): string[] {
		return [...this.open.keys()];
	}

	/** Deletes the document from the device. */
	async remove(name: string): Promise<void> {
		const entry = this.open.get(name);
		this.open.delete(name);
		if (entry) {
			await entry.ready.catch(() => undefined);
			await entry.persistence?.destroy();
			entry.doc.destroy();
		}
		await clearDocument(DOC_DB_PREFIX + name);
		(await this.storedNames()).delete(name);
	}

	async closeAll(): Promise<void> {
		const entries = [...this.open.values()];
		this.open.clear();
		for (const entry of entries) {
			await entry.ready.catch(() => undefined);
			await entry.persistence?.destroy();
			entry.doc.destroy();
		}
	}

	private async load(name: string, entry: OpenDocument): Promise<Y.Doc> {
		// Listing the device's databases is slow with hundreds of them: check the rows
		// directly (an absent database is created empty, as y-indexeddb would).
		await this.quarantineBrokenRows(name);
		void this.storedNames().then((stored) => stored.add(name));
		const persistence = new IndexeddbPersistence(DOC_DB_PREFIX + name, entry.doc);
		entry.persistence = persistence;
		await persistence.whenSynced;
		return entry.doc;
	}

	private storedNames(): Promise<NameSet> {
		this.stored ??= indexedDB.databases().then(
			(dbs): NameSet => new Set(dbs.flatMap((d) => (d.name?.startsWith(DOC_DB_PREFIX) ? [d.name.slice(DOC_DB_PREFIX.length)] : []))),
			// Without the listing every document is checked, which is only slower.
			(): NameSet => ({ has: () => true, add: () => undefined, delete: () => undefined })
		);
		return this.stored;
	}

	private async quarantineBrokenRows(name: string): Promise<void> {
		// Same schema y-indexeddb creates, so opening first does not break it.
		const db = await openDB(DOC_DB_PREFIX + name, 1, {
			upgrade(d) {
				d.createObjectStore('updates', { autoIncrement: true });
				d.createObjectStore('custom');
			}
		});
		try {
			// Two bulk reads, not a cursor: this runs before every document a page opens.
			const tx = db.transaction('updates', 'readonly');
			const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
			await tx.done;
			const broken: Array<{ key: IDBValidKey; value: unknown; error: string }> = [];
			values.forEach((value, i) => {
				const error = decodeProblem(value);
				if (error) broken.push({ key: keys[i]!, value, error });
			});
			for (const row of broken) {
				await this.quarantine.quarantine(name, row.value instanceof Uint8Array ? row.value : new Uint8Array(), row.error);
				await db.delete('updates', row.key);
			}
		} finally {
			db.close();
		}
	}
}

function decodeProblem(value: unknown): string | null {
	if (!(value instanceof Uint8Array)) return 'stored row is not binary';
	try {
		Y.decodeUpdate(value);
		return null;
	} catch (err) {
		return `stored update does not decode: ${err instanceof Error ? err.message : String(err)}`;
	}
}
