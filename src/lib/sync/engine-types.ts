import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { DocKind } from '../model/names';
import type { Session } from '../session/login';

/** How the device uses the network: as it comes, or only when the rep taps "Sync now". */
export type SyncMode = 'automatic' | 'always-offline';

export type ConnectionState = 'offline' | 'connecting' | 'online';

/** Everything the status bar and the Unsynchronized page show; one immutable value per change. */
export interface SyncStatus {
	connection: ConnectionState;
	mode: SyncMode;
	/** True while documents named by the manifest are still arriving for the first time. */
	downloading: boolean;
	/** "Downloading 312 of 540 records" */
	downloaded: number;
	total: number;
	/** Documents with changes the server has not yet acknowledged as durable. */
	waiting: number;
	/** ISO time of the last moment nothing was waiting while online. */
	lastSyncedAt: string | null;
	/** When the next reconnect attempt happens (ISO), after a failure; null otherwise. */
	retryAt: string | null;
	/** Why the last attempt failed, in words for the rep. */
	error: string | null;
	/** The session expired and could not be renewed: the rep must sign in again (nothing is lost). */
	needsSignIn: boolean;
}

/** What the device knows of one document without opening it: for lists and search. */
export interface DeviceDocEntry {
	name: string;
	kind: DocKind;
	title: string;
	/** A second line for lists: an account's city. */
	subtitle: string | null;
	territory: string | null;
	accountId: string | null;
	/** Visit planned date or order date (YYYY-MM-DD). */
	day: string | null;
	/** Visit/order/account status, when the kind has one. */
	status: string | null;
	/** Visit route position, for today's list. */
	sequence: number | null;
	/** Lower-case text a search matches against (name, city, address, SKU...). */
	searchText: string;
	updatedAt: string;
	/**
	 * The manifest version (server `updatedAt`) this device last fully synced the
	 * document at; an unchanged version on reconnect needs only a watch, no exchange.
	 */
	syncedVersion?: string | null;
}

/** One document with local changes not yet durable on the server. */
export interface PendingDocument {
	name: string;
	kind: DocKind;
	title: string;
	/** ISO time of the oldest change still waiting. */
	since: string;
	/** How many local edits are waiting. */
	edits: number;
	/** Field or part names touched by the waiting edits (e.g. "phone", "notes", "lines"). */
	changed: string[];
}

export type SignOutResult = { signedOut: true } | { signedOut: false; waiting: PendingDocument[] };

/**
 * The client sync engine as pages see it. Pages never touch IndexedDB or the
 * socket; they open documents here and edit them with src/lib/model helpers.
 */
export interface SyncEngineApi {
	/** Resolves once the device's data is loaded; `session` is meaningful only after it. */
	readonly ready: Promise<void>;
	readonly session: Session | null;
	/** This device's stable id (URL-safe); valid once `ready` resolved. */
	readonly deviceId: string;
	readonly status: SyncStatus;
	/** Calls `listener` now and on every status change; returns an unsubscribe function. */
	onStatus(listener: (status: SyncStatus) => void): () => void;

	signIn(username: string, password: string): Promise<Session>;
	/** Refuses (returning what waits) when changes are not durable, unless `discardUnsynced`. */
	signOut(options?: { discardUnsynced?: boolean }): Promise<SignOutResult>;

	/** The device's index of documents of a kind, cheap (no document is opened). */
	list(kind: DocKind): DeviceDocEntry[];
	/** Calls `listener` whenever the index changes; returns an unsubscribe function. */
	onIndexChange(listener: () => void): () => void;

	/** Opens a document from the device (and keeps it syncing); release it when the page closes. */
	open(name: string): Promise<Y.Doc>;
	release(name: string): void;
	/** Creates a new document on the device, filled by `init`, and syncs it. Returns its name. */
	create(kind: DocKind, init: (doc: Y.Doc) => void, id?: string): Promise<string>;

	/**
	 * Presence for an open document (Yjs awareness): set the local state to
	 * `{ user: { id, name, role }, field }` and read the others'. Undefined until opened.
	 */
	presence(name: string): Awareness | undefined;

	pending(): PendingDocument[];
	syncNow(): Promise<void>;
	setMode(mode: SyncMode): Promise<void>;
}
