import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startServer, type AppHandler, type OutriderServer } from '../../server/app';
import { configWith, type ConfigOverrides } from '../../server/config';
import type { Logger } from '../../server/log';
import type { StockLedger } from '../../server/inventory/stock-ledger';
import type { DocumentFanout } from '../../server/fanout/document-fanout';
import type { DocumentStore } from '../../server/store/document-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import { PASSWORD, USERS, writeFixture, type FixtureUser } from './fixture';

export interface TestRelay {
	server: OutriderServer;
	dataDir: string;
	/** `ws://127.0.0.1:<port>` */
	wsBase: string;
	login(user: FixtureUser): Promise<string>;
	/** Stops the server (flushing) and starts a new one on the same data directory. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

export interface TestRelayOptions {
	withApp?: boolean;
	/**
	 * A new, unopened store over the same data on every call (start and each
	 * restart). Defaults to a SQLite file in the temp data directory.
	 */
	store?: () => DocumentStore;
	/** Likewise for the stock ledger; defaults to the ledger beside the SQLite file. */
	ledger?: () => StockLedger;
	/** Likewise for the fan-out to other instances; defaults to none (a relay alone). */
	fanout?: () => DocumentFanout;
	/** For tests that read what the relay logs. */
	log?: Logger;
}

/** The real relay on a random port over a real SQLite file (or the given store) in a fresh temp directory. */
export async function startTestRelay(overrides: ConfigOverrides = {}, options: TestRelayOptions = {}): Promise<TestRelay> {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-test-'));
	const config = configWith({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', ...overrides });
	const appHandler = options.withApp ? await loadBuiltApp() : undefined;
	const makeStore = options.store ?? (() => new SqliteStore({ file: join(dataDir, 'outrider.sqlite'), writeThread: true }));
	const open = () => startServer({ config: { ...config, port: 0 }, store: makeStore(), fanout: options.fanout?.(), ledger: options.ledger?.(), appHandler, log: options.log });

	let server = await open();
	await writeFixture(server.store);

	const relay: TestRelay = {
		get server() {
			return server;
		},
		dataDir,
		get wsBase() {
			return server.url.replace('http', 'ws');
		},
		async login(user) {
			return loginAs(server.url, USERS[user].username, PASSWORD);
		},
		async restart() {
			await server.close();
			server = await open();
		},
		async stop() {
			await server.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
	return relay;
}

export async function loginAs(baseUrl: string, username: string, password: string): Promise<string> {
	const res = await fetch(`${baseUrl}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { token: string }).token;
}

/** The web app as `npm run build` left it; `npm test` builds it first. */
async function loadBuiltApp(): Promise<AppHandler> {
	const file = join(process.cwd(), 'build', 'handler.js');
	if (!existsSync(file)) throw new Error('the web app is not built: run `npm run build` (npm test does it first)');
	return ((await import(pathToFileURL(file).href)) as { handler: AppHandler }).handler;
}
