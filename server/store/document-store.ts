/**
 * The persistence interface every backend implements (SQLite embedded, PostgreSQL
 * for scale-out, memory for tests). It is deliberately dumb: an append-only log of
 * Yjs updates per document, summaries for listing, users and a little metadata.
 * Merging and compaction live above it (see compaction.ts), so every backend gets
 * them for free and the conformance suite in tests/store/ proves each one alike.
 *
 * All methods are async so a networked database fits behind the same shape. Calls
 * on one store take effect in the order they are made, awaited or not, as they do
 * in the embedded backends: a read sees every write called before it.
 */

/** One stored Yjs update (or a merged snapshot of several) of one document. */
export interface StoredUpdate {
	/** Monotonic per store; later appends always get larger numbers. */
	seq: number;
	update: Uint8Array;
}

/**
 * What a list or dashboard needs to know about a document without loading it.
 * Written by the relay from the document itself (src/lib/model summarize).
 */
export interface DocumentSummary {
	name: string;
	kind: string;
	/** Territory the document belongs to (accounts directly, visits/orders via their account). */
	territory: string | null;
	/** The user who owns it (visit/order rep, inbox user), if any. */
	owner: string | null;
	/** Related account id for visits and orders. */
	accountId: string | null;
	/** A visit's planned date (YYYY-MM-DD); drives "today's route first". */
	day: string | null;
	title: string;
	/** ISO-8601 UTC time of the last persisted change. */
	updatedAt: string;
}

export interface SummaryFilter {
	kinds?: string[];
	/** Documents in any of these territories. */
	territories?: string[];
	owner?: string;
	accountId?: string;
}

export type Role = 'rep' | 'manager' | 'admin';

export interface UserRecord {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	territories: string[];
	/** scrypt hash in the form produced by server/auth/passwords.ts */
	passwordHash: string;
}

/** One atomic group commit: updates of many documents plus their new summaries. */
export interface WriteBatch {
	/** Each entry is one row: an update, or several updates of one document stored merged. */
	updates: Array<{ docName: string; update: Uint8Array } | { docName: string; updates: readonly Uint8Array[] }>;
	summaries: DocumentSummary[];
}

export interface DocumentStore {
	/** Creates tables / migrates. Idempotent. */
	open(): Promise<void>;
	/** True once open() succeeded and the backend answers. */
	isReady(): Promise<boolean>;

	/**
	 * Appends all updates and upserts all summaries in one transaction. A batch with
	 * any malformed entry (update not a Uint8Array, summary missing a required string)
	 * is rejected whole: nothing of it is stored.
	 */
	write(batch: WriteBatch): Promise<void>;
	/**
	 * Every stored update of a document in seq order (empty when unknown). The bytes
	 * belong to the caller; mutating them never changes what is stored.
	 */
	readUpdates(docName: string): Promise<StoredUpdate[]>;
	/**
	 * Replaces the rows with seq <= uptoSeq by one merged update. Rows appended after
	 * uptoSeq (a write that landed during compaction) are untouched. The merged row
	 * takes the largest replaced seq, so it still sorts before those later rows and
	 * new appends still get larger numbers than any seq ever handed out. When no row
	 * has seq <= uptoSeq (the document was deleted, or a wider compaction already
	 * ran) nothing is written, so a stale compaction cannot resurrect a document.
	 */
	replaceUpdates(docName: string, uptoSeq: number, merged: Uint8Array): Promise<void>;
	/** Removes a document: its updates and its summary. */
	deleteDocument(docName: string): Promise<void>;
	/**
	 * Names of all documents that have at least one stored update, optionally only
	 * those starting with prefix (case-sensitive, no wildcards), sorted ascending.
	 */
	listDocumentNames(prefix?: string): Promise<string[]>;

	getSummary(docName: string): Promise<DocumentSummary | undefined>;
	/**
	 * Summaries matching every given filter field, sorted by name. An empty array in
	 * the filter matches nothing (a user with no territories sees no documents).
	 */
	listSummaries(filter?: SummaryFilter): Promise<DocumentSummary[]>;

	/** Inserts or overwrites by id; rejects a username already held by another id. */
	putUser(user: UserRecord): Promise<void>;
	getUserByName(username: string): Promise<UserRecord | undefined>;
	getUserById(id: string): Promise<UserRecord | undefined>;
	/** All users sorted by username. */
	listUsers(): Promise<UserRecord[]>;

	getMeta(key: string): Promise<string | undefined>;
	putMeta(key: string, value: string): Promise<void>;

	/**
	 * How many bytes the stored data occupies (tables and indexes), for the operator's
	 * figures. Optional so wrappers and stand-ins need not answer; every backend here
	 * does, and the conformance suite holds them to it.
	 */
	sizeBytes?(): Promise<number>;

	/** Idempotent. Other methods reject until open() is called again. */
	close(): Promise<void>;
}
