import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { newId } from '../model/values';
import { parseDocName, type DocKind } from '../model/names';
import { fetchManifest, login, renewSession, SessionExpiredError, type FetchedManifest, type ManifestDoc, type Session } from '../session/login';
import { changedParts } from './change-labels';
import { DeviceDb } from './device-db';
import { DeviceReporter, postDeviceReport } from './device-report';
import { describeDocument, placeholderEntry } from './device-entry';
import type { DeviceDocEntry, PendingDocument, SignOutResult, SyncEngineApi, SyncMode, SyncStatus } from './engine-types';
import { LocalDocuments } from './local-documents';
import { MultiplexClient, type WebSocketLike } from './multiplex-client';
import { PendingChanges } from './pending-changes';
import { reconnectDelay } from './reconnect-backoff';

/** Whether the device believes it has a network, and tells when that changes. */
export interface NetworkSignal {
	isOnline(): boolean;
	subscribe(listener: (online: boolean) => void): () => void;
}

export interface SyncEngineOptions {
	/** http(s)://host:port of the relay; '' in the browser means "this origin". */
	baseUrl: string;
	createSocket(url: string): WebSocketLike;
	fetch: typeof fetch;
	network: NetworkSignal;
	/** The rep's local date, YYYY-MM-DD: "today's route" is in the rep's time zone. */
	today(): string;
	deviceDbName?: string;
}

const KV = { deviceId: 'deviceId', session: 'session', mode: 'mode', manifest: 'manifest', manifestEtag: 'manifestEtag', downloaded: 'downloaded', lastSyncedAt: 'lastSyncedAt' } as const;
/** Documents loaded from the device at once while catching up in the background. */
const LOAD_CONCURRENCY = 8;
const INDEX_WRITE_DELAY_MS = 150;

/**
 * The device side of sync: which documents this device holds (the manifest),
 * loading them from IndexedDB, one `/sync` socket for all of them, the waiting
 * list of edits not yet durable, reconnecting with backoff, and the status the
 * rep sees. Pages use it through SyncEngineApi only.
 */
export class SyncEngine implements SyncEngineApi {
	private sessionValue: Session | null = null;
	private deviceIdValue = '';
	private modeValue: SyncMode = 'automatic';
	private readonly index = new Map<string, DeviceDocEntry>();
	private manifest: ManifestDoc[] = [];
	private manifestEtag: string | null = null;
	/** Each manifest document's server version, from the manifest fetched before connecting. */
	private manifestVersions = new Map<string, string>();
	/** The version each document had when this connection asked for it (see onDocumentSynced). */
	private readonly handshakeVersions = new Map<string, string | undefined>();
	private preparing: Promise<void> | null = null;
	private downloaded = new Set<string>();
	private lastSyncedAt: string | null = null;
	private readonly pendingChanges: PendingChanges;
	private readonly local: LocalDocuments;
	/** One client for the engine's life: subscriptions stay, only its socket comes and goes. */
	private readonly client: MultiplexClient;
	private destroyed = false;
	private readonly tracked = new Set<string>();
	private readonly changeStash = new Map<string, string[]>();
	private readonly statusListeners = new Set<(s: SyncStatus) => void>();
	private readonly indexListeners = new Set<() => void>();
	private readonly dirtyEntries = new Set<string>();
	private indexTimer: ReturnType<typeof setTimeout> | null = null;
	/** The index write in flight; the database closes only after it. */
	private indexWrite: Promise<void> = Promise.resolve();
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retryAttempt = 0;
	private retryAt: string | null = null;
	private lastError: string | null = null;
	private needsSignIn = false;
	private renewing: Promise<boolean> | null = null;
	/** True while "Sync now" holds the connection open in always-offline mode. */
	private syncingOnce = false;
	private statusValue: SyncStatus;
	private readonly unsubscribeNetwork: () => void;
	/** Tells the office how this device's sync goes (Sync Activity). */
	private readonly deviceReporter = new DeviceReporter((report) =>
		this.sessionValue ? postDeviceReport(this.options.baseUrl, this.sessionValue.token, report, this.options.fetch) : Promise.resolve()
	);

	private db!: DeviceDb;
	/** Resolves once the device database is open and the last run's state is back. */
	readonly ready: Promise<void>;

	constructor(private readonly options: SyncEngineOptions) {
		this.pendingChanges = new PendingChanges({
			add: async (entry) => (await this.ready, this.db.add(entry)),
			delete: async (ids) => (await this.ready, this.db.delete(ids))
		});
		this.local = new LocalDocuments({ quarantine: (name, bytes, error) => this.db.quarantine(name, bytes, error) });
		this.client = new MultiplexClient({
			url: () =>
				`${this.options.baseUrl.replace(/^http/, 'ws')}/sync?token=${encodeURIComponent(this.sessionValue?.token ?? '')}&device=${encodeURIComponent(this.deviceIdValue)}`,
			createSocket: options.createSocket,
			pending: this.pendingChanges,
			describeChange: (docName) => this.changeStash.get(docName) ?? [],
			isRemoteOrigin: (origin) => this.local.isStorageOrigin(origin),
			handshake: (docName) => this.handshakeFor(docName),
			events: {
				status: (status, detail) => {
					if (status === 'connected') void this.onConnected();
					if (status === 'disconnected' && detail) void this.onDisconnected(detail);
					this.emitStatus();
				},
				synced: (docName) => this.onDocumentSynced(docName),
				durable: () => this.noteIfSettled(),
				writeRefused: (docName, reason) => {
					this.lastError = `A change to ${this.index.get(docName)?.title ?? docName} was refused: ${reason}`;
					this.emitStatus();
				},
				denied: (docName, reason) => {
					this.lastError = `${this.index.get(docName)?.title ?? docName} is not available: ${reason}`;
					this.emitStatus();
				}
			}
		});
		this.pendingChanges.onChange(() => this.emitStatus());
		this.statusValue = this.computeStatus();
		this.onStatus((status) => this.deviceReporter.observe(status, this.deviceIdValue));
		this.unsubscribeNetwork = options.network.subscribe((online) => (online ? this.onNetworkBack() : this.onNetworkLost()));
		this.ready = DeviceDb.open(options.deviceDbName).then((db) => {
			this.db = db;
			return this.restore();
		});
	}

	/** A ready engine: the device database open and the last run's state restored. */
	static async create(options: SyncEngineOptions): Promise<SyncEngine> {
		const engine = new SyncEngine(options);
		await engine.ready;
		return engine;
	}

	get session(): Session | null {
		return this.sessionValue;
	}

	get deviceId(): string {
		return this.deviceIdValue;
	}

	get status(): SyncStatus {
		return this.statusValue;
	}

	onStatus(listener: (status: SyncStatus) => void): () => void {
		this.statusListeners.add(listener);
		listener(this.statusValue);
		return () => this.statusListeners.delete(listener);
	}

	onIndexChange(listener: () => void): () => void {
		this.indexListeners.add(listener);
		return () => this.indexListeners.delete(listener);
	}

	list(kind: DocKind): DeviceDocEntry[] {
		return [...this.index.values()].filter((e) => e.kind === kind);
	}

	entry(name: string): DeviceDocEntry | undefined {
		return this.index.get(name);
	}

	// ---- session -------------------------------------------------------------

	async signIn(username: string, password: string): Promise<Session> {
		await this.ready;
		const session = await login(this.options.baseUrl, username, password, this.options.fetch);
		const previous = this.sessionValue;
		if (previous && previous.user.id !== session.user.id) {
			if (this.pendingChanges.documentCount > 0) {
				throw new Error(`${previous.user.displayName} has changes waiting on this device: sign in as them and sync first`);
			}
			await this.wipeDevice();
		}
		this.sessionValue = session;
		this.needsSignIn = false;
		await this.db.put(KV.session, session);
		this.start();
		return session;
	}

	async signOut(options: { discardUnsynced?: boolean } = {}): Promise<SignOutResult> {
		await this.ready;
		const waiting = this.pending();
		if (waiting.length > 0 && !options.discardUnsynced) return { signedOut: false, waiting };
		await this.wipeDevice();
		return { signedOut: true };
	}

	private async wipeDevice(): Promise<void> {
		this.stopConnection();
		const names = new Set([...this.index.keys(), ...this.local.loadedNames(), ...this.pendingChanges.documents()]);
		for (const name of this.pendingChanges.documents()) this.pendingChanges.discard(name);
		for (const name of this.tracked) this.client.remove(name);
		await this.local.closeAll();
		for (const name of names) await this.local.remove(name);
		await this.db.clear();
		this.index.clear();
		this.tracked.clear();
		this.setManifest([]);
		this.manifestEtag = null;
		this.downloaded.clear();
		this.lastSyncedAt = null;
		this.sessionValue = null;
		this.lastError = null;
		this.deviceIdValue = await this.ensureDeviceId();
		this.emitIndex();
		this.emitStatus();
	}

	// ---- documents -----------------------------------------------------------

	async open(name: string): Promise<Y.Doc> {
		parseDocName(name);
		await this.ready;
		const doc = await this.local.get(name);
		this.track(name, doc);
		return doc;
	}

	release(_name: string): void {
		// Documents stay loaded and syncing while the app runs; a day's worth fits in memory.
	}

	async create(kind: DocKind, init: (doc: Y.Doc) => void, id: string = newId()): Promise<string> {
		const name = `${kind}:${id}`;
		const doc = await this.open(name);
		doc.transact(() => init(doc));
		this.refreshEntry(name);
		return name;
	}

	presence(name: string): Awareness | undefined {
		return this.client.awareness(name);
	}

	pending(): PendingDocument[] {
		return this.pendingChanges.documents().map((name) => {
			const entries = this.pendingChanges.entries(name);
			const entry = this.index.get(name);
			return {
				name,
				kind: parseDocName(name).kind,
				title: entry?.title ?? name,
				since: entries.reduce((min, e) => (e.at < min ? e.at : min), entries[0]?.at ?? new Date().toISOString()),
				edits: entries.length,
				changed: [...new Set(entries.flatMap((e) => e.changed))]
			};
		});
	}

	// ---- connection ----------------------------------------------------------

	async setMode(mode: SyncMode): Promise<void> {
		await this.ready;
		this.modeValue = mode;
		await this.db.put(KV.mode, mode);
		if (mode === 'always-offline' && !this.syncingOnce) this.stopConnection();
		else this.connectIfAllowed();
		this.emitStatus();
	}

	/** Connects now (even in always-offline mode) and resolves once nothing waits, or after 30 s. */
	async syncNow(): Promise<void> {
		await this.ready;
		if (!this.sessionValue) return;
		this.retryAttempt = 0;
		this.clearRetry();
		if (this.modeValue === 'always-offline') this.syncingOnce = true;
		if (this.client.status === 'connected') {
			try {
				await this.refreshManifest();
				await this.onConnected();
			} catch (err) {
				this.lastError = `Could not fetch the list of records: ${err instanceof Error ? err.message : String(err)}`;
			}
		} else this.connectIfAllowed(true);
		const done = await this.waitUntil(() => this.isSettled(), 30_000);
		if (this.modeValue === 'always-offline') {
			this.syncingOnce = false;
			this.stopConnection();
		}
		if (!done) this.lastError ??= 'sync did not finish; it will go on when the connection allows';
		this.emitStatus();
	}

	/** Stops the socket and timers; the device data stays. */
	destroy(): void {
		this.destroyed = true;
		this.deviceReporter.stop();
		if (this.indexTimer) clearTimeout(this.indexTimer);
		this.stopConnection();
		this.client.destroy();
		this.unsubscribeNetwork();
		void this.ready.then(async () => {
			await this.indexWrite;
			await this.local.closeAll();
			this.db.close();
		});
	}

	/**
	 * This device's id: the writer of its stock reservation counters and the name
	 * Sync Activity shows. Made once per sign-in (sign-out clears it with the rest).
	 */
	private async ensureDeviceId(): Promise<string> {
		const known = await this.db.get<string>(KV.deviceId);
		if (typeof known === 'string' && /^[A-Za-z0-9_-]+$/.test(known)) return known;
		const fresh = newId();
		await this.db.put(KV.deviceId, fresh);
		return fresh;
	}

	private async restore(): Promise<void> {
		this.deviceIdValue = await this.ensureDeviceId();
		this.sessionValue = (await this.db.get<Session>(KV.session)) ?? null;
		this.modeValue = (await this.db.get<SyncMode>(KV.mode)) ?? 'automatic';
		this.setManifest((await this.db.get<ManifestDoc[]>(KV.manifest)) ?? []);
		this.manifestEtag = (await this.db.get<string>(KV.manifestEtag)) ?? null;
		this.downloaded = new Set((await this.db.get<string[]>(KV.downloaded)) ?? []);
		this.lastSyncedAt = (await this.db.get<string>(KV.lastSyncedAt)) ?? null;
		for (const entry of await this.db.allEntries()) this.index.set(entry.name, entry);
		this.pendingChanges.restore(await this.db.allPending());
		if (this.sessionValue) this.start();
		this.emitStatus();
	}

	/** Loads the device's documents (today's route first) and connects when allowed. */
	/**
	 * Connects when allowed. Documents load when the connection is up (see
	 * onConnected): offline, lists read the index and a page opens only what it shows,
	 * so a cold start does not queue the page behind hundreds of loads.
	 */
	private start(): void {
		this.connectIfAllowed();
	}

	private connectionAllowed(): boolean {
		return (
			!!this.sessionValue &&
			!this.needsSignIn &&
			this.options.network.isOnline() &&
			(this.modeValue === 'automatic' || this.syncingOnce)
		);
	}

	private connectIfAllowed(now = false): void {
		if (!this.connectionAllowed()) return;
		if (this.retryTimer && !now) return;
		this.clearRetry();
		if (this.client.status !== 'disconnected' || this.preparing) return;
		this.preparing = this.prepareAndConnect().finally(() => {
			this.preparing = null;
		});
	}

	/**
	 * The manifest first, then the socket: knowing each document's server version
	 * lets the reconnect ask only for what changed (see handshakeFor).
	 */
	private async prepareAndConnect(): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			try {
				await this.refreshManifest();
				break;
			} catch (err) {
				if (err instanceof SessionExpiredError && attempt === 0 && (await this.renewToken())) continue;
				if (!(err instanceof SessionExpiredError)) this.scheduleRetry(`Could not reach the server (${err instanceof Error ? err.message : String(err)})`);
				return;
			}
		}
		if (this.connectionAllowed() && this.client.status === 'disconnected') this.client.connect();
	}

	private scheduleRetry(reason: string): void {
		if (!this.connectionAllowed()) return;
		this.lastError = reason;
		const delay = reconnectDelay(this.retryAttempt++);
		this.retryAt = new Date(Date.now() + delay).toISOString();
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.retryAt = null;
			this.connectIfAllowed();
		}, delay);
		this.emitStatus();
	}

	/** Full exchange for what may have changed on either side; a watch for the rest. */
	private handshakeFor(name: string): 'sync' | 'watch' {
		const version = this.manifestVersions.get(name);
		this.handshakeVersions.set(name, version);
		if (this.pendingChanges.has(name)) return 'sync';
		const synced = this.index.get(name)?.syncedVersion;
		return synced && version && version <= synced ? 'watch' : 'sync';
	}

	private setManifest(docs: ManifestDoc[]): void {
		this.manifest = docs;
		this.manifestVersions = new Map(docs.map((d) => [d.name, d.updatedAt]));
	}

	private stopConnection(): void {
		this.clearRetry();
		this.client.disconnect();
		this.emitStatus();
	}

	private clearRetry(): void {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.retryAt = null;
	}

	private async onConnected(): Promise<void> {
		this.retryAttempt = 0;
		this.lastError = null;
		this.clearRetry();
		// Edits waiting first (some, like an order made offline, are in no manifest yet), then the rest.
		await this.loadInBackground(this.pendingChanges.documents());
		await this.loadInBackground(this.manifest.map((d) => d.name));
		this.noteIfSettled();
	}

	private async onDisconnected(detail: { code: number; reason: string }): Promise<void> {
		if (detail.code === 4401) {
			if (await this.renewToken()) this.connectIfAllowed(true);
			return;
		}
		this.scheduleRetry(detail.reason ? `Connection lost (${detail.reason})` : 'Connection lost');
	}

	/**
	 * A token that expired (for instance while offline) is renewed; only if that
	 * fails must the rep sign in again. Nothing waiting is lost either way.
	 */
	private renewToken(): Promise<boolean> {
		// The socket's close and a refused manifest request can both ask at once: renew once.
		this.renewing ??= this.renewSession().finally(() => {
			this.renewing = null;
		});
		return this.renewing;
	}

	private async renewSession(): Promise<boolean> {
		const session = this.sessionValue;
		if (!session) return false;
		try {
			this.sessionValue = await renewSession(this.options.baseUrl, session.token, this.options.fetch);
			await this.db.put(KV.session, this.sessionValue);
			return true;
		} catch {
			this.needsSignIn = true;
			this.stopConnection();
			return false;
		} finally {
			this.emitStatus();
		}
	}

	private onNetworkLost(): void {
		// Browsers keep a dead socket open for a long while; drop it so status is honest.
		this.stopConnection();
	}

	private onNetworkBack(): void {
		this.retryAttempt = 0;
		this.connectIfAllowed(true);
	}

	// ---- manifest and documents ----------------------------------------------

	private async refreshManifest(): Promise<void> {
		const session = this.sessionValue;
		if (!session) return;
		const fetched = await fetchManifest(this.options.baseUrl, session.token, this.options.today(), this.options.fetch, this.manifestEtag);
		if (fetched) {
			this.setManifest(fetched.docs);
			this.manifestEtag = fetched.etag;
		}
		const leaving = [...this.index.keys()].filter((name) => !this.manifestVersions.has(name));
		const fresh = this.manifest.filter((d) => !this.index.has(d.name)).map((d) => placeholderEntry(d.name, d.updatedAt));
		for (const e of fresh) this.index.set(e.name, e);
		if (fresh.length > 0) this.emitIndex();
		this.emitStatus();
		// Storing it all can go on while the socket opens: everything needed to connect is in memory.
		void this.persistManifest(fetched, fresh, leaving);
	}

	private async persistManifest(fetched: FetchedManifest | null, fresh: DeviceDocEntry[], leaving: string[]): Promise<void> {
		if (this.destroyed) return;
		if (fetched) {
			await this.db.put(KV.manifest, fetched.docs);
			await this.db.put(KV.manifestEtag, fetched.etag);
		}
		await this.db.putEntries(fresh);
		for (const name of leaving) await this.removeWhenDurable(name);
	}

	/** A document no longer in the manifest leaves the device once its own edits are durable. */
	private async removeWhenDurable(name: string): Promise<void> {
		if (this.pendingChanges.has(name)) return;
		this.client.remove(name);
		this.tracked.delete(name);
		this.index.delete(name);
		this.downloaded.delete(name);
		await this.db.deleteEntry(name);
		await this.local.remove(name);
		this.emitIndex();
	}

	private async loadInBackground(names: string[]): Promise<void> {
		const wanted = names.filter((n) => !this.tracked.has(n));
		// Never-stored documents are asked for all at once, in one message; stored ones load first.
		const stored = await Promise.all(wanted.map((n) => this.local.isStored(n)));
		for (const [i, name] of wanted.entries()) {
			if (!stored[i] && !this.local.peek(name)) this.track(name, this.local.createNew(name));
		}
		const queue = wanted.filter((n) => !this.tracked.has(n));
		const worker = async () => {
			for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
				if (!this.sessionValue) return;
				// A newer manifest may have dropped it while this queue waited.
				if (!this.index.has(name) && !this.pendingChanges.has(name)) continue;
				try {
					await this.open(name);
				} catch (err) {
					this.lastError = `Could not open ${name} on this device: ${err instanceof Error ? err.message : String(err)}`;
				}
			}
		};
		await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
		this.emitStatus();
	}

	private track(name: string, doc: Y.Doc): void {
		if (this.tracked.has(name)) return;
		this.tracked.add(name);
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			if (tr.local && !this.local.isStorageOrigin(tr.origin)) this.changeStash.set(name, changedParts(tr));
		});
		doc.on('update', () => this.refreshEntry(name));
		if (!this.index.has(name) || this.index.get(name)!.title === name) this.refreshEntry(name);
		this.handshakeVersions.set(name, this.manifestVersions.get(name));
		this.client.add(name, doc);
	}

	private onDocumentSynced(name: string): void {
		this.downloaded.add(name);
		const entry = this.index.get(name);
		if (entry) entry.syncedVersion = this.handshakeVersions.get(name) ?? null;
		this.refreshEntry(name);
		// A document that left the manifest while it had edits waiting goes once they are durable.
		if (this.manifest.length > 0 && !this.manifest.some((d) => d.name === name)) void this.removeWhenDurable(name);
		this.noteIfSettled();
	}

	private refreshEntry(name: string): void {
		this.dirtyEntries.add(name);
		this.scheduleIndexWrite();
	}

	private scheduleIndexWrite(): void {
		if (this.indexTimer || this.destroyed) return;
		this.indexTimer = setTimeout(() => {
			this.indexWrite = this.writeIndex();
		}, INDEX_WRITE_DELAY_MS);
	}

	private async writeIndex(): Promise<void> {
		this.indexTimer = null;
		if (this.destroyed) return;
		const names = [...this.dirtyEntries];
		this.dirtyEntries.clear();
		const now = new Date().toISOString();
		const lookup = (accountId: string) => {
			const account = this.index.get(`account:${accountId}`);
			return account ? { territory: account.territory, title: account.title } : undefined;
		};
		// Accounts first, so visits and orders written in the same pass see their titles.
		names.sort((a, b) => Number(!a.startsWith('account:')) - Number(!b.startsWith('account:')));
		const entries: DeviceDocEntry[] = [];
		for (const name of names) {
			const doc = this.local.peek(name);
			// Not tracked: it left the device while this write waited (see removeWhenDurable).
			if (!doc || !this.tracked.has(name)) continue;
			const entry = describeDocument(name, doc, lookup, this.manifestVersions.get(name) ?? now);
			entry.syncedVersion = this.index.get(name)?.syncedVersion ?? null;
			this.index.set(name, entry);
			entries.push(entry);
		}
		await this.db.putEntries(entries);
		await this.db.put(KV.downloaded, [...this.downloaded]);
		if (entries.length > 0) this.emitIndex();
		this.emitStatus();
	}

	// ---- status --------------------------------------------------------------

	private isSettled(): boolean {
		return (
			this.client.status === 'connected' &&
			this.pendingChanges.documentCount === 0 &&
			this.manifest.every((d) => this.downloaded.has(d.name))
		);
	}

	private noteIfSettled(): void {
		if (this.isSettled() && !this.destroyed) {
			this.lastSyncedAt = new Date().toISOString();
			void this.db.put(KV.lastSyncedAt, this.lastSyncedAt);
		}
		this.emitStatus();
	}

	private computeStatus(): SyncStatus {
		const clientStatus = this.client.status;
		const total = this.manifest.length;
		const downloaded = this.manifest.reduce((n, d) => n + (this.downloaded.has(d.name) ? 1 : 0), 0);
		return {
			connection: clientStatus === 'connected' ? 'online' : clientStatus === 'connecting' ? 'connecting' : 'offline',
			mode: this.modeValue,
			downloading: total > 0 && downloaded < total,
			downloaded,
			total,
			waiting: this.pendingChanges.documentCount,
			lastSyncedAt: this.lastSyncedAt,
			retryAt: this.retryAt,
			error: this.lastError,
			needsSignIn: this.needsSignIn
		};
	}

	private emitStatus(): void {
		this.statusValue = this.computeStatus();
		for (const listener of this.statusListeners) listener(this.statusValue);
	}

	private emitIndex(): void {
		for (const listener of this.indexListeners) listener();
	}

	private waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
		if (condition()) return Promise.resolve(true);
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				unsubscribe();
				resolve(false);
			}, timeoutMs);
			const unsubscribe = this.onStatus(() => {
				if (!condition()) return;
				clearTimeout(timer);
				queueMicrotask(() => unsubscribe());
				resolve(true);
			});
		});
	}
}

