import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { encodeAccessChanged, encodePermissionDenied } from '../../src/lib/protocol';
import { AuthError } from '../auth/errors';
import { canSeeAccount, resolveAccess } from '../auth/permissions';
import { authenticate, type TokenService } from '../auth/tokens';
import type { RelayConfig } from '../config';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics/relay-metrics';
import { SummaryProjector } from '../projections/summary-projector';
import { flagRuleBreaches, inspectWrite, SERVER_POLICY_ORIGIN, type WriteGuardContext } from '../policy/write-guard';
import type { ValidationRules } from '../policy/validation-service';
import { addMessage, createInbox, readMeta } from '../../src/lib/model';
import type { NotifyOptions, OutgoingMessage } from '../notifications/notify-options';
import { tryParseDocName } from '../../src/lib/model/names';
import type { DocumentFanout } from '../fanout/document-fanout';
import { compactDocument } from '../store/compaction';
import type { DocumentStore, UserRecord } from '../store/document-store';
import { CloseCode, closeReasonText } from './close-codes';
import type { ConnectionContext } from './connection-context';
import { DocConnection } from './doc-connection';
import { DocumentRegistry } from './document-registry';
import { PersistenceQueue } from './persistence-queue';
import type { DocSession } from './session';
import type { SharedDocument } from './shared-document';
import { SyncConnection } from './sync-connection';

export interface RelayDeps {
	/** A document was loaded into memory (watchers attach here). */
	onDocumentLoaded?(name: string, doc: Y.Doc): void;
	/** The server refused or put back part of a user's write. */
	onWriteRefused?(user: UserRecord, docName: string, reasons: readonly string[]): void;
	/** Follows each `/sync` socket of a device (the app names it with `device=`). */
	onSyncConnection?(ws: WebSocket, user: UserRecord, deviceId: string | null): void;
	validation: ValidationRules;
	config: RelayConfig;
	store: DocumentStore;
	/** Other relay instances serving the same documents (none when running alone). */
	fanout: DocumentFanout;
	tokens: TokenService;
	log: Logger;
	metrics: RelayMetrics;
}

/**
 * The websocket side of the server: authenticates upgrades, hands sockets to
 * `/doc/<name>` or `/sync` connections, and owns the documents in memory and
 * their group-committed persistence.
 */
export class Relay {
	readonly registry: DocumentRegistry;
	readonly persistence: PersistenceQueue;
	private readonly wss: WebSocketServer;
	private readonly connections = new Set<DocConnection | SyncConnection>();
	private readonly context: ConnectionContext;
	private readonly guardContext: WriteGuardContext;
	private closing = false;
	private readonly committedListeners = new Set<(docNames: readonly string[]) => void>();

	constructor(private readonly deps: RelayDeps) {
		const { config, store, log, metrics } = deps;
		this.wss = new WebSocketServer({
			noServer: true,
			maxPayload: config.limits.maxMessageBytes,
			// A reconnect carries one frame per document (names, state vectors): that compresses
			// several-fold. Small live updates stay uncompressed to keep fan-out cheap, and no
			// compression window is kept per socket, so thousands of idle sockets cost no memory.
			perMessageDeflate: {
				threshold: 1024,
				zlibDeflateOptions: { level: 3 },
				serverNoContextTakeover: true,
				clientNoContextTakeover: true
			}
		});
		this.persistence = new PersistenceQueue({
			store,
			projector: new SummaryProjector(store, () => !deps.fanout.hasPeers),
			log,
			delayMs: config.persistDelayMs,
			compactAfterRows: config.compactAfterRows,
			compact: (docName) => compactDocument(store, docName),
			onCommitted: (batch) => {
				metrics.updatesPersisted.inc(batch.updates);
				metrics.bytesPersisted.inc(batch.bytes);
				metrics.commitSeconds.observe(batch.ms / 1000);
				metrics.commitRecentSeconds.observe(batch.ms / 1000);
				metrics.batchUpdates.observe(batch.updates);
				for (const listener of this.committedListeners) listener(batch.names);
			},
			onFailed: () => metrics.storeFailures.inc(),
			onMoved: (docNames) => {
				void this.recheckAccess(docNames);
				// Sessions of these documents on other instances are checked there.
				if (deps.fanout.hasPeers) for (const name of docNames) deps.fanout.publish(name, encodeAccessChanged());
			}
		});
		this.registry = new DocumentRegistry({
			store,
			fanout: deps.fanout,
			log,
			idleMs: config.docIdleMs,
			hasPendingWrites: (doc) => this.persistence.hasPending(doc),
			flush: () => this.persistence.flush(),
			onPeerAccessChanged: (docName) => void this.recheckAccess([docName]),
			onLoaded: (doc, storedRows) => {
				// Rules may have changed while the document slept.
				this.flagRuleBreaches(doc);
				deps.onDocumentLoaded?.(doc.name, doc.doc);
				// A log that grew long in an earlier run is folded before it slows the next load.
				if (storedRows >= config.compactAfterRows) {
					compactDocument(store, doc.name).catch((err: unknown) => log.warn({ err, doc: doc.name }, 'compaction failed'));
				}
			},
			hooks: {
				maxDocumentBytes: config.limits.maxDocumentBytes,
				publish: (doc, message) => deps.fanout.publish(doc.name, message),
				hasPeers: () => deps.fanout.hasPeers,
				onUpdate: (doc, update, contributor, extent) => {
					if (contributor) metrics.updatesReceived.inc();
					this.persistence.enqueue(doc, update, contributor, extent);
				},
				onTooLarge: () => metrics.refuse('document_too_large'),
				onSent: (_doc, recipients) => metrics.updatesSent.inc(recipients),
				checkWrite: (doc, session, update) => {
					// Called for every update: no closure unless there is a refusal to note.
					const refusal = this.checkWrite(doc, session, update);
					if (refusal === null) return null;
					if (typeof refusal === 'string') return this.noteRefusal(doc, session, refusal);
					return refusal.then((reason) => this.noteRefusal(doc, session, reason));
				},
				inspectWrite: (doc, session, update, origin) => inspectWrite(doc.doc, doc.name, session.user, update, origin, this.guardContext),
				onPutBack: (doc, session, refusals) => {
					metrics.writesRefused.inc(refusals.length);
					metrics.refuse('protected_change', refusals.length);
					log.warn({ user: session.user.username, doc: doc.name, refusals }, 'write to protected data put back');
					deps.onWriteRefused?.(session.user, doc.name, refusals);
				}
			}
		});
		metrics.countDocumentsInMemory = () => this.registry.size;
		this.guardContext = {
			rules: () => deps.validation.current,
			now: () => new Date().toISOString(),
			notify: (userId, message) => void this.notify(userId, message)
		};
		this.context = {
			log,
			metrics,
			registry: this.registry,
			rate: { perSecond: config.limits.messagesPerSecond, burst: config.limits.burst },
			pingIntervalMs: config.pingIntervalMs,
			maxDocumentsPerConnection: 20_000,
			resolveAccess: async (user, docName) => {
				const access = await resolveAccess(store, user, docName);
				if (!access.read) metrics.refuse('forbidden');
				return access;
			}
		};
	}

	/** For `server.on('upgrade')`: authenticates, then opens the right kind of connection. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', () => socket.destroy());
		const url = new URL(request.url ?? '/', 'http://relay');
		const route = routeOf(url.pathname);
		if (!route || this.closing) {
			socket.end(this.closing ? 'HTTP/1.1 503 Service Unavailable\r\n\r\n' : 'HTTP/1.1 404 Not Found\r\n\r\n');
			return;
		}
		if ('bytesWritten' in socket) this.deps.metrics.trackWire(socket as Socket);
		authenticate(this.deps.tokens, this.deps.store, url.searchParams.get('token')).then(
			(user) => this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, route, user, url)),
			(err: unknown) => {
				if (!(err instanceof AuthError)) this.deps.log.error({ err }, 'authentication failed unexpectedly');
				const reason = err instanceof AuthError ? err.message : 'authentication failed';
				this.wss.handleUpgrade(request, socket, head, (ws) => this.refuse(ws, route, reason));
			}
		);
	}

	private accept(ws: WebSocket, route: Route, user: UserRecord, url: URL): void {
		if (this.closing) {
			ws.close(CloseCode.GoingAway.code, CloseCode.GoingAway.reason);
			return;
		}
		// Every line a connection logs names it and its user, so one device's story can be followed.
		const context = { ...this.context, log: this.deps.log.child({ connId: newConnectionId(), user: user.username }) };
		const connection =
			route.kind === 'doc'
				? new DocConnection(ws, route.docName, user, url.searchParams.get('acks') === '1', context)
				: new SyncConnection(ws, user, context);
		this.connections.add(connection);
		ws.once('close', () => this.connections.delete(connection));
		if (route.kind === 'sync') this.deps.onSyncConnection?.(ws, user, url.searchParams.get('device'));
	}

	/** A bad token: the y-protocols permission-denied message, then close; nothing of the document. */
	private refuse(ws: WebSocket, route: Route, reason: string): void {
		if (route.kind === 'doc') ws.send(encodePermissionDenied(reason));
		ws.close(CloseCode.Unauthorized.code, closeReasonText(CloseCode.Unauthorized, reason));
		this.deps.metrics.closes.inc({ code: String(CloseCode.Unauthorized.code) });
		this.deps.metrics.refuse('unauthorized');
		this.deps.log.info({ endpoint: route.kind, reason }, 'connection refused: bad token');
	}

	private checkWrite(doc: SharedDocument, session: DocSession, update: Uint8Array): string | null | Promise<string | null> {
		// Read-only documents (catalog, stock) take the update and the write guard puts it all back,
		// so the writer's replica converges instead of keeping a change the server never had.
		if (!session.access.write && !session.access.readOnlyConverges) {
			this.deps.metrics.writesRefused.inc();
			this.deps.metrics.refuse('read_only');
			return session.access.reason ?? 'read-only document';
		}
		if (session.access.mustReferenceVisibleAccount) return this.checkNewDocumentAccount(doc, session, update);
		return null;
	}

	private noteRefusal(doc: SharedDocument, session: DocSession, reason: string | null): string | null {
		if (reason !== null) this.deps.onWriteRefused?.(session.user, doc.name, [reason]);
		return reason;
	}

	/** A rep may create visits and orders only for accounts it can see. */
	private async checkNewDocumentAccount(doc: SharedDocument, session: DocSession, update: Uint8Array): Promise<string | null> {
		let accountId = doc.doc.getMap('fields').get('accountId');
		if (typeof accountId !== 'string') {
			const probe = new Y.Doc();
			Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc.doc));
			Y.applyUpdate(probe, update);
			accountId = probe.getMap('fields').get('accountId');
			probe.destroy();
		}
		if (typeof accountId !== 'string') {
			this.deps.metrics.writesRefused.inc();
			this.deps.metrics.refuse('missing_account');
			return `a new ${doc.name.split(':')[0]} must name its account`;
		}
		if (!(await canSeeAccount(this.deps.store, session.user, accountId))) {
			this.deps.metrics.writesRefused.inc();
			this.deps.metrics.refuse('outside_territory');
			return `account ${accountId} is outside your territories`;
		}
		session.access = { read: true, write: true };
		return null;
	}

	/** After a document changed territory, sessions of users who may no longer read it are cut off. */
	private async recheckAccess(docNames: string[]): Promise<void> {
		for (const name of docNames) {
			const doc = this.registry.peek(name);
			if (!doc) continue;
			for (const session of doc.currentSessions()) {
				try {
					const access = await resolveAccess(this.deps.store, session.user, name);
					if (access.read) continue;
					this.deps.log.info({ user: session.user.username, doc: name }, 'access withdrawn after a territory change');
					session.revoke(access.reason ?? 'access withdrawn');
				} catch (err) {
					// The store did not answer: the session keeps what it had until the next move or reconnect.
					this.deps.log.error({ err, user: session.user.username, doc: name }, 'access check after a territory change failed');
				}
			}
		}
	}

	/** Tells `listener` which documents each group commit made durable. */
	onDocumentsCommitted(listener: (docNames: readonly string[]) => void): () => void {
		this.committedListeners.add(listener);
		return () => this.committedListeners.delete(listener);
	}

	/** Reads a document as it is in memory, loading it from the store if needed. */
	async readDocument<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
		return read((await this.liveDocument(name)).doc);
	}

	/** Changes a document as the server, in one transaction; clients and the store get it as any update. */
	async changeDocument<T>(name: string, change: (doc: Y.Doc) => T, reason = 'server'): Promise<T> {
		const shared = await this.liveDocument(name);
		return shared.doc.transact(() => change(shared.doc), { kind: 'server', reason });
	}

	/** A loaded document that will not be evicted before the caller's synchronous use of it. */
	private async liveDocument(name: string): Promise<SharedDocument> {
		for (;;) {
			const shared = await this.registry.get(name);
			if (shared.destroyed) continue;
			shared.lastActiveAt = Date.now();
			return shared;
		}
	}

	/** Adds a message to a user's inbox document, as the server; resolves with its id (undefined if it failed). */
	async notify(userId: string, message: OutgoingMessage, options: NotifyOptions = {}): Promise<string | undefined> {
		try {
			const inbox = await this.liveDocument(`inbox:${userId}`);
			let id: string | undefined;
			inbox.doc.transact(() => {
				// A user who never had an inbox (a manager, say) gets one with its first message.
				if (readMeta(inbox.doc) === undefined) createInbox(inbox.doc);
				id = addMessage(inbox.doc, {
					kind: message.kind,
					title: message.title,
					body: message.body,
					at: new Date().toISOString(),
					urgent: options.urgent ?? message.urgent,
					link: options.link ?? message.link,
					from: options.from
				});
			}, SERVER_POLICY_ORIGIN);
			return id;
		} catch (err) {
			this.deps.log.error({ err, userId }, 'could not write to inbox');
			return undefined;
		}
	}

	/** Re-checks the validation rules on every document in memory (after the rules changed). */
	reapplyValidation(): void {
		for (const doc of this.registry.loadedDocuments()) this.flagRuleBreaches(doc);
	}

	private flagRuleBreaches(doc: SharedDocument): void {
		const kind = tryParseDocName(doc.name)?.kind;
		if (kind !== 'account' && kind !== 'visit' && kind !== 'order') return;
		const now = new Date().toISOString();
		doc.doc.transact(() => flagRuleBreaches(doc.doc, kind, this.deps.validation.current, now), SERVER_POLICY_ORIGIN);
	}

	get connectionCount(): number {
		return this.connections.size;
	}

	/** Stops taking connections, closes the open ones and writes everything pending. */
	/** False from the moment shutdown begins: no new connections, and readiness says so. */
	get accepting(): boolean {
		return !this.closing;
	}

	/** Stops taking connections; the open ones go on until close(). */
	beginShutdown(): void {
		this.closing = true;
	}

	/** `settle` runs after the last flush, for server work that writes documents (then flushed too). */
	async close(options: { settle?: () => Promise<void> } = {}): Promise<void> {
		this.beginShutdown();
		for (const connection of this.connections) connection.close();
		this.connections.clear();
		await this.persistence.flush();
		if (options.settle) {
			await options.settle();
			await this.persistence.flush();
		}
		this.registry.clear();
		this.wss.close();
	}
}

type Route = { kind: 'doc'; docName: string } | { kind: 'sync' };

/** Short and random, so ids from several instances and restarts do not collide in one log. */
function newConnectionId(): string {
	return randomBytes(6).toString('base64url');
}

function routeOf(pathname: string): Route | undefined {
	if (pathname === '/sync') return { kind: 'sync' };
	if (pathname.startsWith('/doc/')) {
		try {
			const docName = decodeURIComponent(pathname.slice('/doc/'.length));
			if (docName.length > 0) return { kind: 'doc', docName };
		} catch {
			return undefined;
		}
	}
	return undefined;
}
