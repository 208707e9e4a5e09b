import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
	encodeAwarenessUpdate,
	encodeDurable,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	encodeWriteRefused,
	encodePermissionDenied,
	MalformedMessageError,
	MessageType
} from '../../src/lib/protocol';
import type { DecodedUpdate } from '../policy/field-conflicts';
import type { AppliedChanges, WriteInspection } from '../policy/write-guard';
import { extentOfTransaction, extentOfUpdate, transactionChangedAnything, type ChangeExtent } from './change-extent';
import { DurableState } from './durable-state';
import { isPeerOrigin, PEER_ORIGIN, sessionOf, type DocSession, type UpdateOrigin } from './session';
import { reusesPendingIds } from './pending-id-reuse';
import { partsCover } from './update-coverage';

export interface SharedDocumentHooks {
	/**
	 * Every applied change, for persistence; `contributor` is the session that sent it.
	 * `extent` is what the change added to the document, when known without decoding it.
	 */
	onUpdate(doc: SharedDocument, update: Uint8Array, contributor: DocSession | undefined, extent?: ChangeExtent): void;
	/**
	 * Whether `session` may apply `update`: null to allow, or the reason to refuse.
	 * May be async (e.g. checking the account a new order refers to).
	 */
	checkWrite(doc: SharedDocument, session: DocSession, update: Uint8Array): string | null | Promise<string | null>;
	/**
	 * Looks at an allowed update before it is applied; `finish` runs right after, given
	 * what the update changed, and returns what the writer must be told (changes the
	 * server put back).
	 */
	inspectWrite?(doc: SharedDocument, session: DocSession, update: DecodedUpdate, origin: UpdateOrigin): WriteInspection;
	/** The write guard put back part of what `session` wrote; the writer hears `refusals` too. */
	onPutBack?(doc: SharedDocument, session: DocSession, refusals: string[]): void;
	maxDocumentBytes: number;
	/** An update was refused because the document would grow past maxDocumentBytes. */
	onTooLarge?(doc: SharedDocument, session: DocSession): void;
	/** A live update just went to this many sessions. */
	onSent?(doc: SharedDocument, recipients: number): void;
	/**
	 * A message for this document's copies on other instances: every change and
	 * presence change that did not come from them, and what this instance stored.
	 */
	publish?(doc: SharedDocument, message: Uint8Array): void;
	/** Whether anything published reaches another instance; when not, messages only peers read are not built. */
	hasPeers?(): boolean;
}

/**
 * One document in memory, shared by every connection that subscribed to it:
 * the Y.Doc, its awareness, and who is listening. It speaks the per-document
 * y-websocket messages; framing and sockets are the connections' business.
 */
export class SharedDocument {
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	/** Each session and the awareness client ids it controls (removed when it leaves). */
	private readonly sessions = new Map<DocSession, Set<number>>();
	/** What the store holds; its snapshot is the sessions' durable ack. */
	private readonly durable: DurableState;
	/** The update being applied, and what applying it emitted and changed. */
	private applying: Applying | undefined;
	/** Whether Yjs encodes the running transaction's update for us (see handleTransaction). */
	private encodingUpdate = false;
	/** Rough size of the document's encoded state, to refuse growth past the limit cheaply. */
	private approxBytes: number;
	lastActiveAt = Date.now();
	destroyed = false;

	constructor(
		readonly name: string,
		persisted: Uint8Array | null,
		private readonly hooks: SharedDocumentHooks
	) {
		this.doc = new Y.Doc({ gc: true });
		if (persisted) Y.applyUpdate(this.doc, persisted, { kind: 'store' } satisfies UpdateOrigin);
		this.approxBytes = persisted?.byteLength ?? 0;
		this.durable = new DurableState(Y.snapshot(this.doc));
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('afterTransactionCleanup', this.handleTransaction);
		this.awareness.on('update', this.handleAwarenessUpdate);
	}

	/** The sessions subscribed now (a copy: revoking removes from the live set). */
	currentSessions(): DocSession[] {
		return [...this.sessions.keys()];
	}

	get sessionCount(): number {
		return this.sessions.size;
	}

	/**
	 * Starts a session: our state vector (so it sends what we lack), then who is here.
	 * A `quiet` session (a device that said it is up to date) gets only what changes next.
	 */
	addSession(session: DocSession, options: { quiet?: boolean } = {}): void {
		this.sessions.set(session, new Set());
		this.lastActiveAt = Date.now();
		if (options.quiet) return;
		session.send(encodeSyncStep1(this.doc));
		const present = [...this.awareness.getStates().keys()];
		if (present.length > 0) session.send(encodeAwarenessUpdate(this.awareness, present));
	}

	removeSession(session: DocSession): void {
		const clients = this.sessions.get(session);
		if (!clients) return;
		this.sessions.delete(session);
		if (clients.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
		this.lastActiveAt = Date.now();
	}

	/**
	 * Handles one per-document message; throws MalformedMessageError for bad input.
	 * Returns a promise only when it must wait (a write check that looks something up):
	 * most messages are handled at once, without a turn of the microtask queue each.
	 */
	receive(session: DocSession, payload: Uint8Array): void | Promise<void> {
		if (!this.sessions.has(session) || this.destroyed) return;
		this.lastActiveAt = Date.now();
		const decoder = decoding.createDecoder(payload);
		let messageType: number;
		try {
			messageType = decoding.readVarUint(decoder);
		} catch (err) {
			throw new MalformedMessageError('empty document message', { cause: err });
		}
		switch (messageType) {
			case MessageType.Sync:
				return this.receiveSync(session, decoder);
			case MessageType.Awareness:
				return this.receiveAwareness(session, decoder);
			case MessageType.QueryAwareness:
				session.send(encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]));
				return;
			case MessageType.Auth:
				// Clients have nothing to tell us on this channel; read and ignore.
				return;
			case MessageType.Watch:
				// Handled when the session started (quiet); nothing more to do.
				return;
			default:
				throw new MalformedMessageError(`unknown message type ${messageType}`);
		}
	}

	private receiveSync(session: DocSession, decoder: decoding.Decoder): void | Promise<void> {
		let syncType: number;
		let body: Uint8Array;
		try {
			syncType = decoding.readVarUint(decoder);
			body = decoding.readVarUint8Array(decoder);
		} catch (err) {
			throw new MalformedMessageError('sync message does not decode', { cause: err });
		}
		if (syncType === syncProtocol.messageYjsSyncStep1) {
			try {
				session.send(encodeSyncStep2(this.doc, body));
			} catch (err) {
				throw new MalformedMessageError('state vector does not decode', { cause: err });
			}
			if (session.speaksExtensions) session.send(encodeDurable(this.durable.snapshot()));
			return;
		}
		if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
			throw new MalformedMessageError(`unknown sync message type ${syncType}`);
		}
		return this.receiveUpdate(session, body);
	}

	private receiveUpdate(session: DocSession, update: Uint8Array): void | Promise<void> {
		// Decode before applying: a garbage update must never reach the live document.
		let decoded: DecodedUpdate;
		try {
			decoded = Y.decodeUpdate(update);
		} catch (err) {
			throw new MalformedMessageError('update does not decode', { cause: err });
		}
		// Yjs takes in an update's structs and only then throws on such a range: refused up front.
		if (hasEmptyDeletion(decoded)) throw new MalformedMessageError('update has an empty deletion range');
		if (reusesPendingIds(this.doc, decoded)) throw new MalformedMessageError('update reuses the ids of held-back changes for other content');
		if (isEmptyUpdate(update)) return;
		const tooLarge = this.approxBytes + update.byteLength > this.hooks.maxDocumentBytes;
		if (tooLarge) this.hooks.onTooLarge?.(this, session);
		const refusal = tooLarge ? `document ${this.name} would exceed ${this.hooks.maxDocumentBytes} bytes` : this.hooks.checkWrite(this, session, update);
		if (refusal instanceof Promise) return refusal.then((reason) => this.applyChecked(session, update, decoded, reason));
		this.applyChecked(session, update, decoded, refusal);
	}

	/** Applies an update its write check allowed, or tells the writer why not. */
	private applyChecked(session: DocSession, update: Uint8Array, decoded: DecodedUpdate, refusal: string | null): void {
		if (refusal !== null) {
			session.send(session.speaksExtensions ? encodeWriteRefused(refusal) : encodePermissionDenied(refusal));
			return;
		}
		if (this.destroyed || !this.sessions.has(session)) return;
		const origin: UpdateOrigin = { kind: 'session', session };
		const inspection = this.hooks.inspectWrite?.(this, session, decoded, origin);
		let applying: Applying;
		try {
			applying = this.applyAndRelay(update, origin, carriesOnlyNew(this.doc, decoded));
		} catch (err) {
			// It decoded yet did not apply (a forged reference, say). Yjs may have taken in its first
			// structs: those were relayed and queued like any change, and are no more than this writer
			// could have sent alone; the guard still puts back what it may not change, looking at everything.
			if (inspection) this.reportPutBack(session, inspection.finish());
			throw new MalformedMessageError('update does not apply', { cause: err });
		}
		if (applying.emitted.length === 0) {
			// Nothing was new: the writer sent it before on a connection it lost, whose session
			// alone would hear the commit (or a peer sent it, which may die before storing it).
			this.storeResent(session, update);
		} else if (this.durable.hasUnstoredPeerChanges && !partsCover(applying.emitted, decoded) && !this.durable.contains(update)) {
			// Part of the update was here already, from a peer that may never store it (it may have
			// died): the writer's own instance stores it, so the writer's ack never claims too much.
			this.hooks.onUpdate(this, update, session);
		}
		// One update applies in one Yjs transaction; were there ever more, the guard looks at everything.
		const changed = applying.emitted.length === 0 ? NOTHING_CHANGED : applying.emitted.length === 1 ? applying.changed : undefined;
		if (inspection) this.reportPutBack(session, inspection.finish(changed));
	}

	private reportPutBack(session: DocSession, refusals: string[]): void {
		if (refusals.length === 0) return;
		this.hooks.onPutBack?.(this, session, refusals);
		for (const reason of refusals) {
			session.send(session.speaksExtensions ? encodeWriteRefused(reason) : encodePermissionDenied(reason));
		}
	}

	/** An update the document already held: acked at once when stored, else queued again with this writer as contributor. */
	private storeResent(session: DocSession, update: Uint8Array): void {
		if (this.durable.contains(update)) {
			if (session.speaksExtensions) session.send(encodeDurable(this.durable.snapshot()));
		} else if (Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) {
			// (Otherwise it is held back for missing dependencies: nothing of it is here to store yet.)
			this.hooks.onUpdate(this, update, session);
		}
	}

	private receiveAwareness(session: DocSession, decoder: decoding.Decoder): void {
		let update: Uint8Array;
		try {
			update = decoding.readVarUint8Array(decoder);
			awarenessProtocol.applyAwarenessUpdate(this.awareness, update, session);
		} catch (err) {
			throw new MalformedMessageError('awareness update does not decode', { cause: err });
		}
	}

	/** Called once the store committed changes of these extents (what this instance queued for this document). */
	markDurable(changes: readonly ChangeExtent[], contributors: Iterable<DocSession>): void {
		this.durable.addCommitted(changes);
		// Built only for someone who reads it: plain y-websocket clients and a relay alone do not.
		let ack: Uint8Array | undefined;
		for (const session of contributors) {
			if (!session.speaksExtensions || !this.sessions.has(session)) continue;
			ack ??= encodeDurable(this.durable.snapshot());
			session.send(ack);
		}
		if (this.hooks.hasPeers?.() ?? true) this.hooks.publish?.(this, ack ?? encodeDurable(this.durable.snapshot()));
	}

	/** What the store holds as far as this instance knows (peers ask for it when they load the document). */
	durableSnapshot(): Y.Snapshot {
		return this.durable.snapshot();
	}

	/** A change another instance applied; that instance stores it. */
	applyPeerUpdate(update: Uint8Array): void {
		if (this.destroyed) return;
		// A peer relays only what it applied: Yjs's encoding, or bytes it checked as below.
		this.applyAndRelay(update, PEER_ORIGIN, true);
		this.durable.notePeerChange(update);
	}

	/**
	 * Applies an update that came from outside and relays what it changed. When it
	 * applies whole (nothing held back before or after) and `onlyNew` says none of its
	 * structs were here already, the bytes received are what is relayed and stored:
	 * they hold what Yjs would encode again (deletions the document already had aside).
	 */
	private applyAndRelay(update: Uint8Array, origin: UpdateOrigin, onlyNew: boolean): Applying {
		const { store } = this.doc;
		const applying: Applying = {
			origin,
			whole: onlyNew && store.pendingStructs === null && store.pendingDs === null,
			emitted: [],
			changed: undefined,
			forward: undefined
		};
		this.applying = applying;
		try {
			Y.applyUpdate(this.doc, update, origin);
		} catch (err) {
			// Part of it may be in: that part, not the bytes received, is what others get.
			if (applying.forward) this.relay(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(applying.forward.before)), origin, applying.forward.extent);
			throw err;
		} finally {
			this.applying = undefined;
		}
		this.approxBytes += update.byteLength;
		if (applying.forward) {
			applying.emitted.push(update);
			// The bytes stored are the bytes received. With a peer's unstored change in the document
			// they may carry some of it, and all of what they carry is stored (not only what was new here).
			const extent = this.durable.hasUnstoredPeerChanges && origin !== PEER_ORIGIN ? extentOfUpdate(update) : applying.forward.extent;
			this.relay(update, origin, extent);
		}
		return applying;
	}

	/** Presence of another instance's sessions. */
	applyPeerAwareness(update: Uint8Array): void {
		if (!this.destroyed) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, PEER_ORIGIN);
	}

	/** Another instance committed everything in `snapshot`. */
	markStoredByPeer(snapshot: Y.Snapshot): void {
		if (!this.destroyed) this.durable.addStored(snapshot);
	}

	/** Awareness client ids this instance's own sessions control. */
	localPresence(): number[] {
		return [...this.sessions.values()].flatMap((clients) => [...clients]);
	}

	/** Recomputes the size estimate after the log was compacted. */
	resetSizeEstimate(bytes: number): void {
		this.approxBytes = bytes;
	}

	destroy(): void {
		this.destroyed = true;
		this.doc.off('afterTransactionCleanup', this.handleTransaction);
		this.doc.off('update', this.handleDocUpdate);
		this.awareness.off('update', this.handleAwarenessUpdate);
		this.awareness.destroy();
		this.doc.destroy();
		this.sessions.clear();
	}

	/**
	 * After every transaction, before Yjs would encode its update. Yjs encodes one only
	 * while someone listens for 'update'; an update received whole needs no encoding
	 * (its own bytes are relayed once applying returns), so the listener is added only
	 * for the transactions that need one: the server's own writes, and updates that
	 * took in or left behind changes held back for missing dependencies.
	 */
	private readonly handleTransaction = (transaction: Y.Transaction): void => {
		if (this.encodingUpdate) {
			this.doc.off('update', this.handleDocUpdate);
			this.encodingUpdate = false;
		}
		const origin = transaction.origin as UpdateOrigin | undefined;
		if (origin?.kind === 'store' || !transactionChangedAnything(transaction)) return;
		const applying = this.applying;
		if (applying && applying.origin === origin) {
			applying.changed = transaction.changed;
			const { store } = this.doc;
			if (applying.whole && !applying.forward && store.pendingStructs === null && store.pendingDs === null) {
				applying.forward = { extent: extentOfTransaction(transaction), before: transaction.beforeState };
				return;
			}
		}
		this.doc.on('update', this.handleDocUpdate);
		this.encodingUpdate = true;
	};

	private readonly handleDocUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
		const applying = this.applying;
		if (applying && applying.origin === origin) applying.emitted.push(update);
		this.relay(update, origin, extentOfTransaction(transaction));
	};

	/** Sends a change to every other session, and has it stored and published unless a peer made it. */
	private relay(update: Uint8Array, origin: unknown, extent: ChangeExtent): void {
		const contributor = sessionOf(origin);
		const message = encodeUpdate(update);
		let recipients = 0;
		for (const session of this.sessions.keys()) {
			if (session === contributor) continue;
			session.send(message);
			recipients++;
		}
		this.hooks.onSent?.(this, recipients);
		// A peer's change is stored and published by the instance it came from.
		if (isPeerOrigin(origin)) return;
		this.hooks.onUpdate(this, update, contributor, extent);
		this.hooks.publish?.(this, message);
	}

	private readonly handleAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		const changed = [...added, ...updated, ...removed];
		const from = this.sessions.get(origin as DocSession);
		if (from) {
			for (const id of [...added, ...updated]) from.add(id);
			for (const id of removed) from.delete(id);
		}
		const message = encodeAwarenessUpdate(this.awareness, changed);
		for (const session of this.sessions.keys()) {
			if (session !== origin) session.send(message);
		}
		if (!isPeerOrigin(origin)) this.hooks.publish?.(this, message);
	};
}

/** An update from outside while Yjs applies it. */
interface Applying {
	origin: UpdateOrigin;
	/** Its structs are all new here, and nothing was held back for missing dependencies when it began. */
	whole: boolean;
	/** What applying it relayed (and queued for the store). */
	emitted: Uint8Array[];
	/** Which types and keys it changed. */
	changed: AppliedChanges | undefined;
	/** Set when it applied whole: its own bytes are relayed, and this is what they added. */
	forward: { extent: ChangeExtent; before: Map<number, number> } | undefined;
}

const NOTHING_CHANGED: AppliedChanges = new Map();

/**
 * Whether every struct of the update starts at or past what the document holds of
 * its client. One that restates structs already here may state other content for
 * them (Yjs keeps the first): its bytes must not be stored or relayed as they are.
 */
function carriesOnlyNew(doc: Y.Doc, update: DecodedUpdate): boolean {
	for (const struct of update.structs) {
		if (struct.id.clock < Y.getState(doc.store, struct.id.client)) return false;
	}
	return true;
}

/** Yjs never writes a deletion range of length zero; only a forged or damaged update has one. */
function hasEmptyDeletion(update: DecodedUpdate): boolean {
	for (const ranges of update.ds.clients.values()) if (ranges.some((range) => range.len === 0)) return true;
	return false;
}

/** An update with no structs and no deletions (what a client in sync sends as step 2). */
function isEmptyUpdate(update: Uint8Array): boolean {
	// Two zero varuints: no struct groups, no delete set entries.
	return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}
