import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import { decodeFrames, MalformedMessageError, MessageType, writeFrame } from '../../src/lib/protocol';
import { tryParseDocName } from '../../src/lib/model/names';
import type { UserRecord } from '../store/document-store';
import { CloseCode } from './close-codes';
import type { ConnectionContext } from './connection-context';
import { DocChannel } from './doc-channel';
import { SocketConnection } from './socket-connection';

/**
 * `WS /sync`: many documents over one socket. A frame for a document the
 * connection has not seen yet subscribes to it (its first frame is normally the
 * device's sync step 1), so a device subscribes to hundreds in one message.
 * Outbound frames produced in one turn of the event loop leave as one message.
 */
export class SyncConnection {
	private readonly socket: SocketConnection;
	private readonly channels = new Map<string, DocChannel>();
	private outbox: encoding.Encoder | null = null;

	constructor(
		ws: WebSocket,
		private readonly user: UserRecord,
		private readonly context: ConnectionContext
	) {
		this.socket = new SocketConnection({
			socket: ws,
			endpoint: 'sync',
			log: context.log,
			metrics: context.metrics,
			rate: context.rate,
			pingIntervalMs: context.pingIntervalMs,
			onMessage: (data) => this.receive(data),
			onClose: () => this.closeChannels()
		});
	}

	private receive(data: Uint8Array): void {
		for (const { docName, payload } of decodeFrames(data)) {
			if (payload.length === 1 && payload[0] === MessageType.Unsubscribe) {
				this.channels.get(docName)?.close();
				this.channels.delete(docName);
				continue;
			}
			this.channelFor(docName).push(payload);
		}
	}

	private channelFor(docName: string): DocChannel {
		const existing = this.channels.get(docName);
		if (existing) return existing;
		if (!tryParseDocName(docName)) throw new MalformedMessageError(`"${docName.slice(0, 80)}" is not a document name`);
		if (this.channels.size >= this.context.maxDocumentsPerConnection) {
			throw new MalformedMessageError(`more than ${this.context.maxDocumentsPerConnection} documents on one connection`);
		}
		const channel = new DocChannel({
			docName,
			user: this.user,
			speaksExtensions: true,
			registry: this.context.registry,
			resolveAccess: this.context.resolveAccess,
			send: (payload) => this.enqueue(docName, payload),
			fail: (error) => this.socket.fail(error, { doc: docName })
		});
		this.channels.set(docName, channel);
		void channel.open();
		return channel;
	}

	private enqueue(docName: string, payload: Uint8Array): void {
		if (!this.outbox) {
			this.outbox = encoding.createEncoder();
			setImmediate(() => this.flushOutbox());
		}
		writeFrame(this.outbox, docName, payload);
	}

	private flushOutbox(): void {
		const outbox = this.outbox;
		this.outbox = null;
		if (outbox) this.socket.send(encoding.toUint8Array(outbox));
	}

	private closeChannels(): void {
		for (const channel of this.channels.values()) channel.close();
		this.channels.clear();
		this.outbox = null;
	}

	close(): void {
		this.flushOutbox();
		this.socket.close(CloseCode.GoingAway);
	}
}
