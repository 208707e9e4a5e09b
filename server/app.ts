import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenService } from './auth/tokens';
import type { RelayConfig } from './config';
import { createApiHandler } from './http/api';
import { sendJson } from './http/respond';
import { createLogger, type Logger } from './log';
import { RelayMetrics } from './metrics/relay-metrics';
import { ValidationRules } from './policy/validation-service';
import { Relay } from './relay/relay';
import { createStore } from './store/create-store';
import type { DocumentStore } from './store/document-store';

/** adapter-node's request handler for the web app (absent when the app is not built). */
export type AppHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface OutriderServer {
	readonly http: Server;
	readonly relay: Relay;
	readonly store: DocumentStore;
	readonly tokens: TokenService;
	readonly log: Logger;
	/** Base URL once listening, e.g. http://127.0.0.1:3000 */
	readonly url: string;
	readonly port: number;
	close(): Promise<void>;
}

export interface StartOptions {
	config: RelayConfig;
	/** Defaults to the store the configuration names (SQLite in DATA_DIR). */
	store?: DocumentStore;
	log?: Logger;
	appHandler?: AppHandler;
}

/** Opens the store and starts one process serving the app, the HTTP API and the relay. */
export async function startServer(options: StartOptions): Promise<OutriderServer> {
	const { config } = options;
	const log = options.log ?? createLogger(config.logLevel);
	const store = options.store ?? createStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
	await store.open();
	const metrics = new RelayMetrics();
	const tokens = await TokenService.create(store, { secret: config.authSecret, ttlSeconds: config.tokenTtlSeconds });
	const validation = await ValidationRules.load(store);
	const relay = new Relay({ config, store, tokens, log, metrics, validation });
	const handleApi = createApiHandler({ store, tokens, metrics, log, field: config.field, validation, onRulesChanged: () => relay.reapplyValidation() });

	const http = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://outrider');
		handleApi(req, res, url).then((handled) => {
			if (handled) return;
			if (options.appHandler) options.appHandler(req, res, () => sendJson(res, 404, { error: 'not found' }));
			else sendJson(res, 404, { error: 'not found' });
		}, (err: unknown) => {
			log.error({ err }, 'unhandled request error');
			if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
		});
	});
	http.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));

	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(config.port, config.host, () => {
			http.off('error', reject);
			resolve();
		});
	});
	const port = (http.address() as AddressInfo).port;
	const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

	let closing: Promise<void> | undefined;
	return {
		http,
		relay,
		store,
		tokens,
		log,
		port,
		url: `http://${host}:${port}`,
		close() {
			closing ??= (async () => {
				const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
				await relay.close();
				http.closeAllConnections();
				await stopped;
				await store.close();
			})();
			return closing;
		}
	};
}
