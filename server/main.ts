import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type AppHandler } from './app';
import { loadConfig } from './config';
import { maskedConfig } from './effective-config';
import { createLogger } from './log';
import { DEMO_PASSWORD, seedDemoData } from './seed/demo-data';

/** `npm start`: one process serving the web app, the API and the relay. */
async function main(): Promise<void> {
	const config = loadConfig();
	const log = createLogger(config.logLevel);
	log.info({ config: maskedConfig(config) }, 'effective configuration');
	const appHandler = await loadAppHandler();
	if (!appHandler) log.warn('web app not built (run `npm run build`); serving the API and relay only');

	const server = await startServer({ config, log, appHandler });
	const existing = await server.store.listUsers();
	if (existing.length === 0) {
		log.info({ accounts: config.seedAccounts }, 'empty data directory: creating demo data');
		const report = await seedDemoData(server.store, { accounts: config.seedAccounts });
		log.info({ counts: report.counts }, 'demo data created');
		// The demo's submitted orders were written straight to the store: decide them now.
		await server.inventory.rescan(server.store, 14);
	}
	const users = await server.store.listUsers();
	const url = `http://localhost:${server.port}`;
	process.stdout.write(
		`\nOutrider is running at ${url}\n` +
			(config.databaseUrl ? 'Store: PostgreSQL (DATABASE_URL)\n' : `Data directory: ${config.dataDir} (SQLite)\n`) +
			`Demo logins (password "${DEMO_PASSWORD}"): ${users.map((u) => `${u.username} (${u.role})`).join(', ')}\n\n`
	);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'shutting down: flushing documents to the store');
		server.close().then(
			() => process.exit(0),
			(err: unknown) => {
				log.error({ err }, 'shutdown failed');
				process.exit(1);
			}
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

async function loadAppHandler(): Promise<AppHandler | undefined> {
	const file = join(process.cwd(), 'build', 'handler.js');
	if (!existsSync(file)) return undefined;
	const mod = (await import(pathToFileURL(file).href)) as { handler: AppHandler };
	return mod.handler;
}

main().catch((err: unknown) => {
	process.stderr.write(`Outrider failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
	process.exit(1);
});
