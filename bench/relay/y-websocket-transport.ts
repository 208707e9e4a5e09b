/**
 * A plain y-websocket client on a raw `ws` socket, speaking y-protocols sync as
 * the stock provider does, without its timers and awareness: many thousands
 * fit in one process. Used for Outrider's `/doc/<name>` and the y-websocket
 * reference server, which speak the same protocol.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type { BenchTransport, TransportFactory, TransportSocket } from './transport';

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
/** Transaction origin of what came from the server, so it is not sent back. */
const REMOTE = Symbol('remote');

class YWebsocketTransport implements BenchTransport {
	private ws: WebSocket | undefined;
	synced = false;
	private closed = false;

	constructor(
		private readonly url: string,
		private readonly socket: TransportSocket
	) {
		socket.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === REMOTE || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			syncProtocol.writeUpdate(encoder, update);
			this.ws.send(encoding.toUint8Array(encoder));
		});
	}

	connect(timeoutMs: number): Promise<void> {
		const { doc, docName, index } = this.socket;
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(this.url, { perMessageDeflate: false });
			this.ws = ws;
			ws.binaryType = 'nodebuffer';
			const timer = setTimeout(() => reject(new Error(`socket ${index} not synced after ${timeoutMs} ms`)), timeoutMs);
			const settle = (err?: Error) => {
				clearTimeout(timer);
				if (err) reject(err);
				else resolve();
			};
			ws.on('open', () => {
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, MESSAGE_SYNC);
				syncProtocol.writeSyncStep1(encoder, doc);
				ws.send(encoding.toUint8Array(encoder));
			});
			ws.on('message', (data: Buffer) => {
				const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
				const type = decoding.readVarUint(decoder);
				if (type === MESSAGE_AUTH) {
					decoding.readVarUint(decoder); // y-protocols auth sub-type: permission denied
					settle(new Error(`server refused ${docName}: ${decoding.readVarString(decoder)}`));
					return;
				}
				if (type !== MESSAGE_SYNC) return; // awareness and the like: not ours to time
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, MESSAGE_SYNC);
				const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, REMOTE);
				if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
				if (syncType === syncProtocol.messageYjsSyncStep2 && !this.synced) {
					this.synced = true;
					settle();
				}
			});
			ws.on('error', (err) => settle(err));
			ws.on('close', (code) => {
				this.closed = true;
				settle(new Error(`socket ${index} closed with ${code} before it synced`));
				this.socket.onClosed(code);
			});
		});
	}

	get isOpen(): boolean {
		return this.synced && !this.closed && this.ws?.readyState === WebSocket.OPEN;
	}

	close(): Promise<void> {
		const ws = this.ws;
		if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
		return new Promise((resolve) => {
			ws.once('close', () => resolve());
			ws.close(1000);
		});
	}

	terminate(): void {
		this.ws?.terminate();
	}
}

/** `url(socket)`: where this socket connects, e.g. `ws://host/doc/<name>?token=…`. */
export function yWebsocketTransport(url: (socket: TransportSocket) => string): TransportFactory {
	return (socket) => new YWebsocketTransport(url(socket), socket);
}
