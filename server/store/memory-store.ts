import type {
	DocumentStore,
	DocumentSummary,
	Role,
	StoredUpdate,
	SummaryFilter,
	UserRecord,
	WriteBatch
} from './document-store';
import { rowsOfBatch } from './batch-rows';

/**
 * The reference DocumentStore: plain maps, no persistence. Tests use it directly and
 * the conformance suite holds every other backend to its behaviour. Bytes are copied
 * on the way in and out so a caller holding on to a buffer can never change history.
 */
export class MemoryStore implements DocumentStore {
	#open = false;
	#lastSeq = 0;
	/** Per document, rows in ascending seq order. */
	readonly #updates = new Map<string, StoredUpdate[]>();
	readonly #summaries = new Map<string, DocumentSummary>();
	readonly #users = new Map<string, UserRecord>();
	readonly #meta = new Map<string, string>();

	async open(): Promise<void> {
		this.#open = true;
	}

	async isReady(): Promise<boolean> {
		return this.#open;
	}

	async write(batch: WriteBatch): Promise<void> {
		this.#assertOpen();
		// Validate everything first: a rejected batch must leave no trace.
		assertValidBatch(batch);
		for (const { docName, update } of rowsOfBatch(batch.updates)) {
			let rows = this.#updates.get(docName);
			if (!rows) {
				rows = [];
				this.#updates.set(docName, rows);
			}
			rows.push({ seq: ++this.#lastSeq, update: update.slice() });
		}
		for (const summary of batch.summaries) {
			this.#summaries.set(summary.name, { ...summary });
		}
	}

	async readUpdates(docName: string): Promise<StoredUpdate[]> {
		this.#assertOpen();
		const rows = this.#updates.get(docName) ?? [];
		return rows.map((row) => ({ seq: row.seq, update: row.update.slice() }));
	}

	async replaceUpdates(docName: string, uptoSeq: number, merged: Uint8Array): Promise<void> {
		this.#assertOpen();
		assertBytes(merged, 'merged update');
		const rows = this.#updates.get(docName);
		if (!rows) return;
		const kept = rows.filter((row) => row.seq > uptoSeq);
		if (kept.length === rows.length) return;
		const replaced = rows.filter((row) => row.seq <= uptoSeq);
		const seq = Math.max(...replaced.map((row) => row.seq));
		// Every kept row has seq > uptoSeq >= seq, so the merged row belongs first.
		this.#updates.set(docName, [{ seq, update: merged.slice() }, ...kept]);
	}

	async deleteDocument(docName: string): Promise<void> {
		this.#assertOpen();
		this.#updates.delete(docName);
		this.#summaries.delete(docName);
	}

	async listDocumentNames(prefix?: string): Promise<string[]> {
		this.#assertOpen();
		const names: string[] = [];
		for (const [name, rows] of this.#updates) {
			if (rows.length > 0 && (prefix === undefined || name.startsWith(prefix))) names.push(name);
		}
		return names.sort(compareStrings);
	}

	async getSummary(docName: string): Promise<DocumentSummary | undefined> {
		this.#assertOpen();
		const summary = this.#summaries.get(docName);
		return summary ? { ...summary } : undefined;
	}

	async listSummaries(filter: SummaryFilter = {}): Promise<DocumentSummary[]> {
		this.#assertOpen();
		const result: DocumentSummary[] = [];
		for (const summary of this.#summaries.values()) {
			if (filter.kinds && !filter.kinds.includes(summary.kind)) continue;
			if (filter.territories && (summary.territory === null || !filter.territories.includes(summary.territory))) {
				continue;
			}
			if (filter.owner !== undefined && summary.owner !== filter.owner) continue;
			if (filter.accountId !== undefined && summary.accountId !== filter.accountId) continue;
			result.push({ ...summary });
		}
		return result.sort((a, b) => compareStrings(a.name, b.name));
	}

	async putUser(user: UserRecord): Promise<void> {
		this.#assertOpen();
		assertValidUser(user);
		for (const existing of this.#users.values()) {
			if (existing.username === user.username && existing.id !== user.id) {
				throw new Error(`username ${JSON.stringify(user.username)} is already taken`);
			}
		}
		this.#users.set(user.id, copyUser(user));
	}

	async getUserByName(username: string): Promise<UserRecord | undefined> {
		this.#assertOpen();
		for (const user of this.#users.values()) {
			if (user.username === username) return copyUser(user);
		}
		return undefined;
	}

	async getUserById(id: string): Promise<UserRecord | undefined> {
		this.#assertOpen();
		const user = this.#users.get(id);
		return user ? copyUser(user) : undefined;
	}

	async listUsers(): Promise<UserRecord[]> {
		this.#assertOpen();
		return [...this.#users.values()].map(copyUser).sort((a, b) => compareStrings(a.username, b.username));
	}

	async getMeta(key: string): Promise<string | undefined> {
		this.#assertOpen();
		return this.#meta.get(key);
	}

	async putMeta(key: string, value: string): Promise<void> {
		this.#assertOpen();
		if (typeof value !== 'string') throw new TypeError(`meta value for ${JSON.stringify(key)} must be a string`);
		this.#meta.set(key, value);
	}

	async sizeBytes(): Promise<number> {
		this.#assertOpen();
		let bytes = 0;
		for (const rows of this.#updates.values()) for (const row of rows) bytes += row.update.byteLength;
		// Text as JSON: a fair measure of what the other backends keep as columns.
		for (const summary of this.#summaries.values()) bytes += JSON.stringify(summary).length;
		for (const user of this.#users.values()) bytes += JSON.stringify(user).length;
		for (const [key, value] of this.#meta) bytes += key.length + value.length;
		return bytes;
	}

	async close(): Promise<void> {
		this.#open = false;
	}

	#assertOpen(): void {
		if (!this.#open) throw new Error('MemoryStore is not open');
	}
}

const ROLES: readonly Role[] = ['rep', 'manager', 'admin'];

function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function copyUser(user: UserRecord): UserRecord {
	return { ...user, territories: [...user.territories] };
}

function assertBytes(value: unknown, what: string): asserts value is Uint8Array {
	if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
}

function assertString(value: unknown, what: string): void {
	if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
}

function assertNullableString(value: unknown, what: string): void {
	if (value !== null && typeof value !== 'string') throw new TypeError(`${what} must be a string or null`);
}

/**
 * The shape checks every backend applies before touching storage, so a malformed
 * batch fails the same way everywhere instead of depending on column constraints.
 */
export function assertValidBatch(batch: WriteBatch): void {
	for (const entry of batch.updates) {
		assertString(entry.docName, 'update docName');
		if (!('updates' in entry)) assertBytes(entry.update, `update of ${entry.docName}`);
		else if (!Array.isArray(entry.updates) || entry.updates.length === 0) throw new TypeError(`updates of ${entry.docName} must be a non-empty list`);
		else for (const update of entry.updates) assertBytes(update, `update of ${entry.docName}`);
	}
	for (const summary of batch.summaries) {
		assertValidSummary(summary);
	}
}

export function assertValidSummary(summary: DocumentSummary): void {
	assertString(summary.name, 'summary name');
	const at = `summary of ${summary.name}`;
	assertString(summary.kind, `${at}: kind`);
	assertNullableString(summary.territory, `${at}: territory`);
	assertNullableString(summary.owner, `${at}: owner`);
	assertNullableString(summary.accountId, `${at}: accountId`);
	assertNullableString(summary.day, `${at}: day`);
	assertString(summary.title, `${at}: title`);
	assertString(summary.updatedAt, `${at}: updatedAt`);
}

export function assertValidUser(user: UserRecord): void {
	assertString(user.id, 'user id');
	assertString(user.username, 'username');
	assertString(user.displayName, 'user displayName');
	assertString(user.passwordHash, 'user passwordHash');
	if (!ROLES.includes(user.role)) throw new TypeError(`user role must be one of ${ROLES.join(', ')}`);
	if (!Array.isArray(user.territories) || !user.territories.every((t) => typeof t === 'string')) {
		throw new TypeError('user territories must be an array of strings');
	}
}
