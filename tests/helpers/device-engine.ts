import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { WebSocket } from 'ws';
import { SyncEngine, type NetworkSignal } from '../../src/lib/sync/sync-engine';
import type { WebSocketLike } from '../../src/lib/sync/multiplex-client';
import { TODAY } from './fixture';

/** A network switch a test flips, as the browser's online/offline events would. */
export class TestNetwork implements NetworkSignal {
	private online = true;
	private readonly listeners = new Set<(online: boolean) => void>();
	isOnline(): boolean {
		return this.online;
	}
	subscribe(listener: (online: boolean) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	set(online: boolean): void {
		this.online = online;
		for (const l of this.listeners) l(online);
	}
}

/** Gives the next engines a fresh, empty IndexedDB (a new device). */
export function freshDevice(): void {
	globalThis.indexedDB = new IDBFactory();
}

/** A sync engine as the browser runs it, over fake-indexeddb and Node's `ws`, against a real relay. */
export async function startEngine(
	baseUrl: string,
	network = new TestNetwork(),
	deviceDbName?: string
): Promise<{ engine: SyncEngine; network: TestNetwork; sockets: () => number; sent: Uint8Array[] }> {
	let opened = 0;
	/** Every message the device sent, to check what a reconnect costs. */
	const sent: Uint8Array[] = [];
	const engine = await SyncEngine.create({
		baseUrl,
		createSocket: (url) => {
			opened++;
			const socket = new WebSocket(url);
			const send = socket.send.bind(socket);
			socket.send = ((data: Uint8Array) => {
				sent.push(data);
				send(data);
			}) as typeof socket.send;
			return socket as unknown as WebSocketLike;
		},
		fetch: (input, init) => fetch(input, init),
		network,
		today: () => TODAY,
		deviceDbName
	});
	return { engine, network, sockets: () => opened, sent };
}
