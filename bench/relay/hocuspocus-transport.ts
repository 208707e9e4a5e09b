/**
 * A Hocuspocus client: @hocuspocus/provider (v3) with its own socket per
 * document, as a Hocuspocus app would connect. Awareness is off, as the plain
 * y-websocket clients send none either; the provider's silence timeout is
 * raised so a socket that only receives now and then is not reconnected.
 */
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { importPeer, PEER_PACKAGES } from '../peer-modules';
import type { BenchTransport, TransportFactory, TransportSocket } from './transport';

/** The part of @hocuspocus/provider this client uses. */
interface HocuspocusProvider {
	readonly isSynced: boolean;
	readonly configuration: { websocketProvider: { status: string } };
	on(event: 'synced', listener: (data: { state: boolean }) => void): void;
	on(event: 'close', listener: (data: { event: { code: number } }) => void): void;
	on(event: 'authenticationFailed', listener: (data: { reason: string }) => void): void;
	destroy(): void;
}
interface ProviderModule {
	HocuspocusProvider: new (configuration: {
		url: string;
		name: string;
		document: Y.Doc;
		awareness: null;
		WebSocketPolyfill: unknown;
		messageReconnectTimeout: number;
	}) => HocuspocusProvider;
}

class HocuspocusTransport implements BenchTransport {
	private provider: HocuspocusProvider | undefined;
	private closed = false;
	synced = false;

	constructor(
		private readonly module: ProviderModule,
		private readonly url: string,
		private readonly socket: TransportSocket
	) {}

	connect(timeoutMs: number): Promise<void> {
		const { doc, docName, index } = this.socket;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`socket ${index} not synced after ${timeoutMs} ms`)), timeoutMs);
			const settle = (err?: Error) => {
				clearTimeout(timer);
				if (err) reject(err);
				else resolve();
			};
			// The provider connects as soon as it exists.
			const provider = new this.module.HocuspocusProvider({
				url: this.url,
				name: docName,
				document: doc,
				awareness: null,
				WebSocketPolyfill: WebSocket,
				messageReconnectTimeout: 10 * 60_000
			});
			this.provider = provider;
			provider.on('synced', ({ state }) => {
				if (!state) return;
				// The provider reconnects by itself after a close; it is open again once it re-synced.
				this.closed = false;
				if (this.synced) return;
				this.synced = true;
				settle();
			});
			provider.on('authenticationFailed', ({ reason }) => settle(new Error(`server refused ${docName}: ${reason}`)));
			provider.on('close', ({ event }) => {
				this.closed = true;
				settle(new Error(`socket ${index} closed with ${event.code} before it synced`));
				this.socket.onClosed(event.code);
			});
		});
	}

	get isOpen(): boolean {
		return this.synced && !this.closed && this.provider?.configuration.websocketProvider.status === 'connected';
	}

	close(): Promise<void> {
		this.closed = true;
		this.provider?.destroy();
		return Promise.resolve();
	}

	terminate(): void {
		this.close().catch(() => undefined);
	}
}

/** Loads the provider from bench/node_modules; `url(socket)` is the server's websocket URL. */
export async function hocuspocusTransport(url: (socket: TransportSocket) => string): Promise<TransportFactory> {
	const module = await importPeer<ProviderModule>(PEER_PACKAGES.hocuspocusProvider);
	return (socket) => new HocuspocusTransport(module, url(socket), socket);
}
