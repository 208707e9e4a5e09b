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
				// destroy() waits for the last document to unload (stored first) but can miss it when the
				// clients left just before; an empty server has stored everything too.
				await Promise.race([server.destroy(), documentsUnloaded(() => server.hocuspocus.getDocumentsCount(), 20_000)]);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
});

/** Resolves once no document is loaded any more (or after `timeoutMs`, leaving the rest to the kill that follows). */
async function documentsUnloaded(count: () => number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (count() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
