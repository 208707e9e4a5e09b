import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
	AuthMessage,
	decodeDurableSnapshot,
	decodeFrames,
	encodeAwarenessUpdate,
	encodeQueryAwareness,
	encodeSyncStep1,
	encodeUnsubscribe,
	encodeUpdate,
	encodeWatch,
	MessageType,
	writeFrame
} from '../protocol';
import { PendingChanges } from './pending-changes';

/** The part of a WebSocket this client uses (the browser's, or `ws` in Node). */
export interface WebSocketLike {
	binaryType: string;
	readonly readyState: number;
	send(data: Uint8Array): void;
	close(code?: number, reason?: string): void;
	onopen: ((event: unknown) => void) | null;
	onmessage: ((event: { data: unknown }) => void) | null;
	onclose: ((event: { code: number; reason: string }) => void) | null;
	onerror: ((event: unknown) => void) | null;
}

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected';

export interface MultiplexClientEvents {
	status(status: ConnectionStatus, detail?: { code: number; reason: string }): void;
	/** Everything this device sent for `docName` so far is committed on the server. */
	durable(docName: string): void;
	/** The server's copy of `docName` has arrived on this connection (its sync step 2). */
	synced(docName: string): void;
	/** The server did not apply one of our updates to `docName`. */
	writeRefused(docName: string, reason: string): void;
	/** The server refused to let us read `docName`. */
	denied(docName: string, reason: string): void;
}

interface Subscription {
	doc: Y.Doc;
	onUpdate: (update: Uint8Array, origin: unknown) => void;
	/** Who else has the document open; created when a page asks for it. */
	awareness?: awarenessProtocol.Awareness;
	onAwareness?: (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;
}

const OPEN = 1;

/**
 * One websocket to the relay's `/sync` for every document on the device. It
 * sends each local change at once, asks for what it lacks on (re)connect, and
 * keeps every local update until the server says it is durable.
 */
export class MultiplexClient {
	private socket: WebSocketLike | null = null;
	private readonly subscriptions = new Map<string, Subscription>();
	private outbox: encoding.Encoder | null = null;
	private statusValue: ConnectionStatus = 'disconnected';
	/** Local edits not yet durable on the server, per document. */
	readonly pending: PendingChanges;

	constructor(
		private readonly options: {
			url: () => string;
			createSocket: (url: string) => WebSocketLike;
			events?: Partial<MultiplexClientEvents>;
			pending?: PendingChanges;
			/** Which parts of `docName` the edit being recorded touched (for the waiting list). */
			describeChange?: (docName: string) => string[];
			/** Origins of changes that are not the rep's edits (e.g. loading from the device). */
			isRemoteOrigin?: (origin: unknown) => boolean;
			/**
			 * On (re)connect, whether a document needs the full exchange or only a watch
			 * (the device already has it as of the manifest, and nothing of its own waits).
			 */
			handshake?: (docName: string) => 'sync' | 'watch';
		}
	) {
		this.pending = options.pending ?? new PendingChanges();
	}

	get status(): ConnectionStatus {
		return this.statusValue;
	}

	/** Starts syncing `doc` as `docName`; many adds in one tick leave as one message. */
	add(docName: string, doc: Y.Doc): void {
		if (this.subscriptions.has(docName)) return;
		const subscription: Subscription = {
			doc,
			onUpdate: (update, origin) => {
				if (origin === this || this.options.isRemoteOrigin?.(origin)) return;
				this.pending.record(docName, update, new Date().toISOString(), this.options.describeChange?.(docName) ?? []);
				this.queue(docName, encodeUpdate(update));
			}
		};
		doc.on('update', subscription.onUpdate);
		this.subscriptions.set(docName, subscription);
		this.queue(docName, encodeSyncStep1(doc));
	}

	/**
	 * The document's awareness (presence): set the local state to show others who is
	 * here and what they edit; remote states arrive while connected.
	 */
	awareness(docName: string): awarenessProtocol.Awareness | undefined {
		const subscription = this.subscriptions.get(docName);
		if (!subscription) return undefined;
		if (!subscription.awareness) {
			const awareness = new awarenessProtocol.Awareness(subscription.doc);
			awareness.setLocalState(null);
			subscription.onAwareness = ({ added, updated, removed }, origin) => {
				if (origin === this) return;
				this.queue(docName, encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]));
			};
			awareness.on('update', subscription.onAwareness);
			subscription.awareness = awareness;
			// Who is already here: the states sent before this page asked were not kept.
			this.queue(docName, encodeQueryAwareness());
		}
		return subscription.awareness;
	}

	remove(docName: string): void {
		const subscription = this.subscriptions.get(docName);
		if (!subscription) return;
		this.dropAwareness(subscription);
		subscription.doc.off('update', subscription.onUpdate);
		this.subscriptions.delete(docName);
		this.queue(docName, encodeUnsubscribe());
	}

	/** Local updates of `docName` that are not yet durable on the server. */
	pendingUpdates(docName: string): readonly Uint8Array[] {
		return this.pending.updates(docName);
	}

	/** Names of documents with changes the server has not acknowledged as durable. */
	documentsWithPendingChanges(): string[] {
		return this.pending.documents();
	}

	has(docName: string): boolean {
		return this.subscriptions.has(docName);
	}

	connect(): void {
		if (this.socket) return;
		this.setStatus('connecting');
		const socket = this.options.createSocket(this.options.url());
		socket.binaryType = 'arraybuffer';
		this.socket = socket;
		socket.onopen = () => {
			this.setStatus('connected');
			// Ask for everything at once: one frame per document, one message in all.
			this.outbox = null;
			for (const [name, s] of this.subscriptions) {
				if (this.options.handshake?.(name) === 'watch' && !this.pending.has(name)) {
					this.queue(name, encodeWatch());
				} else {
					this.queue(name, encodeSyncStep1(s.doc));
					// Waiting edits go as they were made, not only as a diff: a diff carries no
					// content for a value since overwritten here by someone else's concurrent
					// write, and the server needs that value to show the conflict.
					const waiting = this.pending.updates(name);
					if (waiting.length > 0) this.queue(name, encodeUpdate(waiting.length === 1 ? waiting[0]! : Y.mergeUpdates(waiting)));
				}
				if (s.awareness?.getLocalState()) this.queue(name, encodeAwarenessUpdate(s.awareness, [s.awareness.clientID]));
			}
		};
		socket.onmessage = (event) => this.receive(toBytes(event.data));
		socket.onclose = (event) => {
			if (this.socket !== socket) return;
			this.socket = null;
			this.outbox = null;
			this.forgetRemotePresence();
			this.setStatus('disconnected', { code: event.code, reason: event.reason });
		};
		socket.onerror = () => {
			// onclose follows and carries the code.
		};
	}

	disconnect(): void {
		const socket = this.socket;
		this.socket = null;
		this.outbox = null;
		socket?.close(1000, 'client disconnect');
		this.forgetRemotePresence();
		this.setStatus('disconnected');
	}

	/** Offline, nobody else is known to be here. */
	private forgetRemotePresence(): void {
		for (const s of this.subscriptions.values()) {
			if (!s.awareness) continue;
			const others = [...s.awareness.getStates().keys()].filter((id) => id !== s.awareness!.clientID);
			if (others.length > 0) awarenessProtocol.removeAwarenessStates(s.awareness, others, this);
		}
	}

	private dropAwareness(subscription: Subscription): void {
		if (!subscription.awareness) return;
		if (subscription.onAwareness) subscription.awareness.off('update', subscription.onAwareness);
		subscription.awareness.destroy();
		subscription.awareness = undefined;
	}

	destroy(): void {
		this.disconnect();
		for (const [, s] of this.subscriptions) {
			this.dropAwareness(s);
			s.doc.off('update', s.onUpdate);
		}
		this.subscriptions.clear();
	}

	private setStatus(status: ConnectionStatus, detail?: { code: number; reason: string }): void {
		this.statusValue = status;
		this.options.events?.status?.(status, detail);
	}

	private queue(docName: string, payload: Uint8Array): void {
		if (!this.socket || this.socket.readyState !== OPEN) return;
		if (!this.outbox) {
			this.outbox = encoding.createEncoder();
			queueMicrotask(() => this.flush());
		}
		writeFrame(this.outbox, docName, payload);
	}

	private flush(): void {
		const outbox = this.outbox;
		this.outbox = null;
		if (outbox && this.socket?.readyState === OPEN) this.socket.send(encoding.toUint8Array(outbox));
	}

	private receive(data: Uint8Array): void {
		for (const { docName, payload } of decodeFrames(data)) {
			const subscription = this.subscriptions.get(docName);
			if (subscription) this.receiveForDocument(docName, subscription, payload);
		}
	}

	private receiveForDocument(docName: string, subscription: Subscription, payload: Uint8Array): void {
		const decoder = decoding.createDecoder(payload);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MessageType.Sync: {
				const reply = encoding.createEncoder();
				encoding.writeVarUint(reply, MessageType.Sync);
				const syncType = syncProtocol.readSyncMessage(decoder, reply, subscription.doc, this);
				if (encoding.length(reply) > 1) this.queue(docName, encoding.toUint8Array(reply));
				if (syncType === syncProtocol.messageYjsSyncStep2) this.options.events?.synced?.(docName);
				return;
			}
			case MessageType.Durable: {
				const snapshot = decodeDurableSnapshot(decoding.readVarUint8Array(decoder));
				const waited = this.pending.has(docName);
				if (this.pending.acknowledge(docName, snapshot) && waited) this.options.events?.durable?.(docName);
				return;
			}
			case MessageType.WriteRefused:
				this.options.events?.writeRefused?.(docName, decoding.readVarString(decoder));
				return;
			case MessageType.Auth:
				if (decoding.readVarUint(decoder) === AuthMessage.PermissionDenied) {
					this.options.events?.denied?.(docName, decoding.readVarString(decoder));
				}
				return;
			case MessageType.Awareness:
				if (subscription.awareness) awarenessProtocol.applyAwarenessUpdate(subscription.awareness, decoding.readVarUint8Array(decoder), this);
				return;
			default:
				// Message types this client does not use.
				return;
		}
	}
}

function toBytes(data: unknown): Uint8Array {
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	throw new TypeError('expected a binary websocket message');
}
