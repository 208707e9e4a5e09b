import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { MultiplexClient, type WebSocketLike } from '../../src/lib/sync/multiplex-client';

/** A device's `/sync` connection in Node, recording what the server said. */
export interface TestDevice {
	client: MultiplexClient;
	docs: Map<string, Y.Doc>;
	durableEvents: string[];
	refused: Array<{ docName: string; reason: string }>;
	denied: Array<{ docName: string; reason: string }>;
	closes: Array<{ code: number; reason: string }>;
	open(...names: string[]): Y.Doc[];
	destroy(): void;
}

/** `wsBase` may be a function: a device that reconnects elsewhere (another instance) reads it again. */
export function connectDevice(wsBase: string | (() => string), token: string): TestDevice {
	const device: TestDevice = {
		docs: new Map(),
		durableEvents: [],
		refused: [],
		denied: [],
		closes: [],
		client: new MultiplexClient({
			url: () => `${typeof wsBase === 'function' ? wsBase() : wsBase}/sync?token=${encodeURIComponent(token)}`,
			createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
			events: {
				durable: (docName) => device.durableEvents.push(docName),
				writeRefused: (docName, reason) => device.refused.push({ docName, reason }),
				denied: (docName, reason) => device.denied.push({ docName, reason }),
				status: (_status, detail) => {
					if (detail) device.closes.push(detail);
				}
			}
		}),
		open(...names) {
			return names.map((name) => {
				let doc = device.docs.get(name);
				if (!doc) {
					doc = new Y.Doc();
					device.docs.set(name, doc);
					device.client.add(name, doc);
				}
				return doc;
			});
		},
		destroy() {
			device.client.destroy();
			for (const doc of device.docs.values()) doc.destroy();
		}
	};
	device.client.connect();
	return device;
}
