import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DeviceDocEntry } from './engine-types';
import type { PendingEntry, PendingStorage } from './pending-changes';

/**
 * The device's own database (one per browser profile): the session, settings,
 * the index of documents for lists and search, and the edits still waiting for
 * the server. Document contents live in y-indexeddb, one database per document.
 */
interface DeviceSchema extends DBSchema {
	kv: { key: string; value: unknown };
	index: { key: string; value: DeviceDocEntry; indexes: { kind: string } };
	pending: { key: number; value: PendingEntry; indexes: { docName: string } };
	/** Rows that could not be read back, kept (not applied) so nothing is silently dropped. */
	quarantine: { key: number; value: { docName: string; bytes: Uint8Array; at: string; error: string } };
}

export const DEVICE_DB_NAME = 'outrider-device';
const VERSION = 1;

export class DeviceDb implements PendingStorage {
	private constructor(private readonly db: IDBPDatabase<DeviceSchema>) {}

	static async open(name = DEVICE_DB_NAME): Promise<DeviceDb> {
		const db = await openDB<DeviceSchema>(name, VERSION, {
			upgrade(db) {
				db.createObjectStore('kv');
				db.createObjectStore('index', { keyPath: 'name' }).createIndex('kind', 'kind');
				db.createObjectStore('pending', { keyPath: 'id', autoIncrement: true }).createIndex('docName', 'docName');
				db.createObjectStore('quarantine', { autoIncrement: true });
			}
		});
		return new DeviceDb(db);
	}

	get<T>(key: string): Promise<T | undefined> {
		return this.db.get('kv', key) as Promise<T | undefined>;
	}

	async put(key: string, value: unknown): Promise<void> {
		await this.db.put('kv', value, key);
	}

	async remove(key: string): Promise<void> {
		await this.db.delete('kv', key);
	}

	allEntries(): Promise<DeviceDocEntry[]> {
		return this.db.getAll('index');
	}

	async putEntries(entries: DeviceDocEntry[]): Promise<void> {
		if (entries.length === 0) return;
		const tx = this.db.transaction('index', 'readwrite');
		await Promise.all([...entries.map((e) => tx.store.put(e)), tx.done]);
	}

	async deleteEntry(name: string): Promise<void> {
		await this.db.delete('index', name);
	}

	/** Waiting edits; a row that is not what this version wrote is quarantined, not trusted. */
	async allPending(): Promise<PendingEntry[]> {
		const rows: unknown[] = await this.db.getAll('pending');
		const good: PendingEntry[] = [];
		for (const row of rows) {
			if (isPendingEntry(row)) {
				good.push(row);
				continue;
			}
			const { id, docName } = (row ?? {}) as { id?: unknown; docName?: unknown };
			if (typeof id !== 'number') continue;
			await this.quarantine(typeof docName === 'string' ? docName : '?', new Uint8Array(), 'malformed pending row');
			await this.db.delete('pending', id);
		}
		return good;
	}

	async add(entry: PendingEntry): Promise<number> {
		const { id: _unused, ...row } = entry;
		return this.db.add('pending', row as PendingEntry);
	}

	async delete(ids: number[]): Promise<void> {
		const tx = this.db.transaction('pending', 'readwrite');
		await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
	}

	async quarantine(docName: string, bytes: Uint8Array, error: string): Promise<void> {
		await this.db.add('quarantine', { docName, bytes, at: new Date().toISOString(), error });
	}

	quarantined(): Promise<Array<{ docName: string; error: string }>> {
		return this.db.getAll('quarantine');
	}

	/** Empties everything (sign-out); the database itself stays for the next user. */
	async clear(): Promise<void> {
		const tx = this.db.transaction(['kv', 'index', 'pending', 'quarantine'], 'readwrite');
		await Promise.all([
			tx.objectStore('kv').clear(),
			tx.objectStore('index').clear(),
			tx.objectStore('pending').clear(),
			tx.objectStore('quarantine').clear(),
			tx.done
		]);
	}

	close(): void {
		this.db.close();
	}
}

function isPendingEntry(row: unknown): row is PendingEntry {
	const r = row as Partial<PendingEntry> | null;
	return (
		!!r &&
		typeof r.id === 'number' &&
		typeof r.docName === 'string' &&
		r.update instanceof Uint8Array &&
		typeof r.at === 'string' &&
		Array.isArray(r.changed)
	);
}
