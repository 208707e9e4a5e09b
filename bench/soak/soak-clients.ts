/**
 * The two kinds of client a soak run mixes: a device on `/sync` (the app's own
 * multiplexed client, several documents over one socket) and a plain
 * y-websocket client on `/doc/<name>` (one document, as the stock provider).
 * Both edit and show presence the same way, so the load mix can treat them alike.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeAwarenessUpdate, encodeSyncStep1, encodeUpdate, MessageType } from '../../src/lib/protocol';
import { MultiplexClient, type WebSocketLike } from '../../src/lib/sync/multiplex-client';

export interface SoakClient {
	readonly docNames: readonly string[];
	/** One small edit: this client's key in the fields map, and now and then a word in the notes. False while not connected. */
	edit(docName: string, n: number): boolean;
	/** Moves this client's presence on one of its documents; false while not connected. */
	setPresence(docName: string, n: number): boolean;
	close(): void;
}

/** What a client writes: a map key per client (overwritten, so the document stays small) and a few words of text. */
function writeEdit(doc: Y.Doc, key: string, n: number): void {
	doc.transact(() => {
		doc.getMap('fields').set(key, n);
		if (n % 10 === 0) {
			const notes = doc.getText('notes');
			// The notes are trimmed as they grow, as a person edits rather than only appends.
			if (notes.length > 400) notes.delete(0, 100);
			notes.insert(notes.length, `${key}:${n} `);
		}
	});
}

export class DeviceClient implements SoakClient {
	private readonly client: MultiplexClient;
	private readonly docs = new Map<string, Y.Doc>();

	constructor(
		wsBase: string,
		token: string,
		readonly docNames: readonly string[],
		private readonly key: string
	) {
		this.client = new MultiplexClient({
			url: () => `${wsBase}/sync?token=${encodeURIComponent(token)}`,
			createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike
		});
		for (const name of docNames) {
			const doc = new Y.Doc();
			this.docs.set(name, doc);
			this.client.add(name, doc);
		}
		this.client.connect();
	}

	edit(docName: string, n: number): boolean {
		const doc = this.docs.get(docName);
		if (!doc || this.client.status !== 'connected') return false;
		writeEdit(doc, this.key, n);
		return true;
	}

	setPresence(docName: string, n: number): boolean {
		const awareness = this.client.status === 'connected' ? this.client.awareness(docName) : undefined;
		awareness?.setLocalStateField('cursor', n);
		return awareness !== undefined;
	}

	close(): void {
		this.client.destroy();
		for (const doc of this.docs.values()) doc.destroy();
	}
}

/** Transaction origin of what came from the relay, so it is not sent back. */
const REMOTE = Symbol('remote');

export class PlainDocClient implements SoakClient {
	readonly docNames: readonly string[];
	private readonly doc = new Y.Doc();
	private readonly awareness = new awarenessProtocol.Awareness(this.doc);
	private readonly ws: WebSocket;

	constructor(
		wsBase: string,
		token: string,
		docName: string,
		private readonly key: string
	) {
		this.docNames = [docName];
		this.ws = new WebSocket(`${wsBase}/doc/${encodeURIComponent(docName)}?token=${encodeURIComponent(token)}`);
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('open', () => this.ws.send(encodeSyncStep1(this.doc)));
		this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
		this.ws.on('error', () => {
			// A refused or dropped socket shows in the relay's metrics; the mix goes on.
		});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== REMOTE) this.send(encodeUpdate(update));
		});
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			if (origin !== REMOTE) this.send(encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]));
		});
	}

	edit(_docName: string, n: number): boolean {
		if (this.ws.readyState !== WebSocket.OPEN) return false;
		writeEdit(this.doc, this.key, n);
		return true;
	}

	setPresence(_docName: string, n: number): boolean {
		if (this.ws.readyState !== WebSocket.OPEN) return false;
		this.awareness.setLocalStateField('cursor', n);
		return true;
	}

	close(): void {
		this.ws.close(1000);
		this.awareness.destroy();
		this.doc.destroy();
	}

	private send(message: Uint8Array): void {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
	}

	private receive(message: Uint8Array): void {
		const decoder = decoding.createDecoder(message);
		const type = decoding.readVarUint(decoder);
		if (type === MessageType.Sync) {
			const reply = encoding.createEncoder();
			encoding.writeVarUint(reply, MessageType.Sync);
			syncProtocol.readSyncMessage(decoder, reply, this.doc, REMOTE);
			if (encoding.length(reply) > 1) this.send(encoding.toUint8Array(reply));
		} else if (type === MessageType.Awareness) {
			awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), REMOTE);
		}
	}
}
