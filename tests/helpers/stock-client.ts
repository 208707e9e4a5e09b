import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { AuthMessage, MessageType } from '../../src/lib/protocol';

/** The stock y-websocket provider, pointed at `/doc/<name>`, as any Yjs app would use it. */
export interface StockClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Reasons the server gave in y-protocols permission-denied messages. */
	denied: string[];
	closes: Array<{ code: number; reason: string }>;
	destroy(): void;
}

export function connectStockClient(wsBase: string, docName: string, token: string, doc = new Y.Doc()): StockClient {
	const provider = new WebsocketProvider(`${wsBase}/doc`, docName, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: { token },
		disableBc: true,
		maxBackoffTime: 200
	});
	const denied: string[] = [];
	const closes: Array<{ code: number; reason: string }> = [];
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	// The stock handler only logs permission-denied; keep the reason for assertions.
	provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
		if (decoding.readVarUint(decoder) === AuthMessage.PermissionDenied) denied.push(decoding.readVarString(decoder));
	};
	return {
		doc,
		provider,
		denied,
		closes,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}
