/**
 * @hocuspocus/server (v3, the last major that runs on Node 20) in its own
 * process, with its SQLite persistence extension: each document is stored
 * whole, `debounce` ms (2 s by default, at most `maxDebounce`, 10 s) after its
 * last change. No authentication hook, so clients are not checked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPeer, PEER_PACKAGES } from '../../peer-modules';
import { serveBenchChild, type ChildServer } from '../server-child';

/** The parts of @hocuspocus/server and @hocuspocus/extension-sqlite this host uses. */
interface HocuspocusServerModule {
	Server: new (configuration: Record<string, unknown>) => {
		listen(): Promise<unknown>;
		readonly address: { port: number };
		destroy(): Promise<void>;
		hocuspocus: { getConnectionsCount(): number; getDocumentsCount(): number };
	};
}
interface SqliteExtensionModule {
	SQLite: new (configuration: { database: string }) => object;
}

serveBenchChild('Hocuspocus server', async (): Promise<ChildServer> => {
	const { Server } = await importPeer<HocuspocusServerModule>(PEER_PACKAGES.hocuspocusServer);
	const { SQLite } = await importPeer<SqliteExtensionModule>(PEER_PACKAGES.hocuspocusSqlite);
	const dir = mkdtempSync(join(tmpdir(), 'outrider-bench-hocuspocus-'));
	const server = new Server({
		port: 0,
		address: '127.0.0.1',
		quiet: true,
		stopOnSignals: false,
		extensions: [new SQLite({ database: join(dir, 'hocuspocus.sqlite') })]
	});
	await server.listen();

	return {
		port: server.address.port,
		token: '',
		connections: () => server.hocuspocus.getConnectionsCount(),
		documentsInMemory: () => server.hocuspocus.getDocumentsCount(),
		async close() {
			try {
				await server.destroy();
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
});
