/**
 * The y-websocket reference server in its own process: y-websocket@2's
 * `bin/utils` setupWSConnection behind a plain HTTP server and `ws`, as its
 * `bin/server.cjs` runs it. BENCH_YWS_PERSISTENCE=leveldb turns on its LevelDB
 * persistence (YPERSISTENCE in a temporary directory, every update written as
 * it arrives, no fsync); otherwise documents live only in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { PEER_PACKAGES, requirePeer } from '../../peer-modules';
import { serveBenchChild, type ChildServer } from '../server-child';

/** The part of y-websocket/bin/utils this host uses. */
interface YWebsocketUtils {
	setupWSConnection(conn: WebSocket, req: IncomingMessage, options?: { docName?: string; gc?: boolean }): void;
	docs: Map<string, unknown>;
	getPersistence(): { provider: { destroy(): Promise<void> } } | null;
}

serveBenchChild('y-websocket server', async (): Promise<ChildServer> => {
	const persistence = process.env.BENCH_YWS_PERSISTENCE ?? 'none';
	if (persistence !== 'none' && persistence !== 'leveldb') throw new Error(`BENCH_YWS_PERSISTENCE must be none or leveldb, got ${persistence}`);
	const dir = persistence === 'leveldb' ? mkdtempSync(join(tmpdir(), 'outrider-bench-yws-')) : undefined;
	// bin/utils reads YPERSISTENCE once, when it is first loaded.
	if (dir) process.env.YPERSISTENCE = dir;
	const utils = requirePeer<YWebsocketUtils>(`${PEER_PACKAGES.yWebsocket}/bin/utils`);

	const wss = new WebSocketServer({ noServer: true });
	wss.on('connection', (conn: WebSocket, req: IncomingMessage) => utils.setupWSConnection(conn, req));
	const http = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('okay');
	});
	http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

	return {
		port: (http.address() as AddressInfo).port,
		token: '',
		connections: () => wss.clients.size,
		documentsInMemory: () => utils.docs.size,
		async close() {
			for (const ws of wss.clients) ws.close(1001);
			await new Promise<void>((resolve) => wss.close(() => resolve()));
			http.closeAllConnections();
			await new Promise<void>((resolve) => http.close(() => resolve()));
			await utils.getPersistence()?.provider.destroy();
			if (dir) rmSync(dir, { recursive: true, force: true });
		}
	};
});
