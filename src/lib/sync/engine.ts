import { SyncEngine } from './sync-engine';
import type { SyncEngineApi } from './engine-types';
import type { WebSocketLike } from './multiplex-client';

let engine: SyncEngine | null = null;

function localDay(date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The one sync engine of this browser tab, created on first use. */
export function getSyncEngine(): SyncEngineApi {
	engine ??= new SyncEngine({
		baseUrl: location.origin,
		createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
		fetch: (input, init) => fetch(input, init),
		network: {
			isOnline: () => navigator.onLine,
			subscribe(listener) {
				const online = () => listener(true);
				const offline = () => listener(false);
				addEventListener('online', online);
				addEventListener('offline', offline);
				return () => {
					removeEventListener('online', online);
					removeEventListener('offline', offline);
				};
			}
		},
		today: () => localDay()
	});
	return engine;
}
