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
import { sessionOf, type DocSession, type UpdateOrigin } from './session';

export interface SharedDocumentHooks {
	/** Every applied change, for persistence; `contributor` is the session that sent it. */
	onUpdate(doc: SharedDocument, update: Uint8Array, contributor: DocSession | undefined): void;
	/**
	 * Whether `session` may apply `update`: null to allow, or the reason to refuse.
	 * May be async (e.g. checking the account a new order refers to).
	 */
	checkWrite(doc: SharedDocument, session: DocSession, update: Uint8Array): string | null | Promise<string | null>;
	/**
	 * Looks at an allowed update before it is applied; `finish` runs right after and
	 * returns what the writer must be told (changes the server put back).
	 */
	inspectWrite?(doc: SharedDocument, session: DocSession, update: DecodedUpdate, origin: UpdateOrigin): { finish(): string[] };
	maxDocumentBytes: number;
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
	/** Last snapshot the store has committed; sent to sessions as their durable ack. */
	private durable: Y.Snapshot;
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
		this.durable = Y.snapshot(this.doc);
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('update', this.handleDocUpdate);
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

	/** Handles one per-document message; throws MalformedMessageError for bad input. */
	async receive(session: DocSession, payload: Uint8Array): Promise<void> {
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

	private async receiveSync(session: DocSession, decoder: decoding.Decoder): Promise<void> {
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
			if (session.speaksExtensions) session.send(encodeDurable(this.durable));
			return;
		}
		if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
			throw new MalformedMessageError(`unknown sync message type ${syncType}`);
		}
		await this.receiveUpdate(session, body);
	}

	private async receiveUpdate(session: DocSession, update: Uint8Array): Promise<void> {
		// Decode before applying: a garbage update must never reach the live document.
		let decoded: DecodedUpdate;
		try {
			decoded = Y.decodeUpdate(update);
		} catch (err) {
			throw new MalformedMessageError('update does not decode', { cause: err });
		}
		if (isEmptyUpdate(update)) return;
		const refusal = this.approxBytes + update.byteLength > this.hooks.maxDocumentBytes
			? `document ${this.name} would exceed ${this.hooks.maxDocumentBytes} bytes`
			: await this.hooks.checkWrite(this, session, update);
		if (refusal !== null) {
			session.send(session.speaksExtensions ? encodeWriteRefused(refusal) : encodePermissionDenied(refusal));
			return;
		}
		if (this.destroyed || !this.sessions.has(session)) return;
		const origin: UpdateOrigin = { kind: 'session', session };
		const inspection = this.hooks.inspectWrite?.(this, session, decoded, origin);
		Y.applyUpdate(this.doc, update, origin);
		this.approxBytes += update.byteLength;
		for (const reason of inspection?.finish() ?? []) {
			session.send(session.speaksExtensions ? encodeWriteRefused(reason) : encodePermissionDenied(reason));
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

	/** Called once the store committed everything up to `snapshot`. */
	markDurable(snapshot: Y.Snapshot, contributors: Iterable<DocSession>): void {
		this.durable = snapshot;
		let ack: Uint8Array | undefined;
		for (const session of contributors) {
			if (!session.speaksExtensions || !this.sessions.has(session)) continue;
			ack ??= encodeDurable(snapshot);
			session.send(ack);
		}
	}

	/** Recomputes the size estimate after the log was compacted. */
	resetSizeEstimate(bytes: number): void {
		this.approxBytes = bytes;
	}

	destroy(): void {
		this.destroyed = true;
		this.doc.off('update', this.handleDocUpdate);
		this.awareness.off('update', this.handleAwarenessUpdate);
		this.awareness.destroy();
		this.doc.destroy();
		this.sessions.clear();
	}

	private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
		const source = origin as UpdateOrigin | undefined;
		if (source?.kind === 'store') return;
		const contributor = sessionOf(origin);
		const message = encodeUpdate(update);
		for (const session of this.sessions.keys()) {
			if (session !== contributor) session.send(message);
		}
		this.hooks.onUpdate(this, update, contributor);
	};

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
	};
}

/** An update with no structs and no deletions (what a client in sync sends as step 2). */
function isEmptyUpdate(update: Uint8Array): boolean {
	// Two zero varuints: no struct groups, no delete set entries.
	return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}
