import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenService } from './auth/tokens';
import type { RelayConfig } from './config';
import { maskedConfig } from './effective-config';
import { readAdminStatus } from './http/admin-status';
import { createFanout } from './fanout/create-fanout';
import type { DocumentFanout } from './fanout/document-fanout';
import { createApiHandler } from './http/api';
import { createOperatorRoutes } from './http/operator-routes';
import { currentRequest, withRequestContext } from './http/request-context';
import { createStockApi } from './http/stock-api';
import { openStockLedger } from './inventory/open-stock-ledger';
import { InventoryService } from './inventory/inventory-service';
import type { StockLedger } from './inventory/stock-ledger';
import { sendJson } from './http/respond';
import { startOfficeServices } from './office/office-services';
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
	readonly inventory: InventoryService;
	readonly metrics: RelayMetrics;
	readonly log: Logger;
	/** Base URL once listening, e.g. http://127.0.0.1:3000 */
	readonly url: string;
	readonly port: number;
	/** /readyz turns 503 and new websockets are refused, so a load balancer drains; close() begins with it. */
	beginShutdown(): void;
	close(): Promise<void>;
}

export interface StartOptions {
	config: RelayConfig;
	/** Defaults to the store the configuration names (SQLite in DATA_DIR). */
	store?: DocumentStore;
	/** Defaults to the fan-out the configuration names (Redis with REDIS_URL, else none). */
	fanout?: DocumentFanout;
	/** Defaults to the ledger beside the configured store (same SQLite file, or PostgreSQL). */
	ledger?: StockLedger;
	log?: Logger;
	appHandler?: AppHandler;
}

/** Opens the store and starts one process serving the app, the HTTP API and the relay. */
export async function startServer(options: StartOptions): Promise<OutriderServer> {
	const { config } = options;
	const log = options.log ?? createLogger(config.logLevel);
	const store = options.store ?? createStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
	await store.open();
	const fanout = options.fanout ?? createFanout(config, (err) => log.warn({ err }, 'fan-out to other instances failed'));
	await fanout.open();
	const metrics = new RelayMetrics();
	metrics.measureStoreSize = async () => store.sizeBytes?.();
	metrics.isFanoutConnected = () => fanout.connected;
	const startedAt = new Date();
	const tokens = await TokenService.create(store, { secret: config.authSecret, ttlSeconds: config.tokenTtlSeconds });
	const validation = await ValidationRules.load(store);
	const office = await startOfficeServices({ config, store, log, rules: () => validation.current });
	const relay = new Relay({ config, store, fanout, tokens, log, metrics, validation, ...office.relayHooks });
	const inventory = startInventory(config, store, relay, metrics, log, options.ledger ?? (await openStockLedger(config)));
	const handleApi = createApiHandler({
		store,
		fanout,
		tokens,
		metrics,
		log,
		field: config.field,
		validation,
		onRulesChanged: () => relay.reapplyValidation(),
		routes: [
			createStockApi({ store, tokens, inventory, log }),
			office.attach(relay, tokens),
			createOperatorRoutes({
				store,
				tokens,
				isAccepting: () => relay.accepting,
				status: () => readAdminStatus({ metrics, store, fanout, startedAt, config: maskedConfig(config) })
			})
		]
	});

	const http = createServer((req, res) => withRequestContext(req.headers['x-request-id']?.toString(), () => {
		res.setHeader('x-request-id', currentRequest()!.reqId);
		const url = new URL(req.url ?? '/', 'http://outrider');
		handleApi(req, res, url).then((handled) => {
			if (handled) return;
			if (options.appHandler) options.appHandler(req, res, () => sendJson(res, 404, { error: 'not found' }));
			else sendJson(res, 404, { error: 'not found' });
		}, (err: unknown) => {
			log.error({ err }, 'unhandled request error');
			if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
		});
	}));
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
		inventory,
		metrics,
		log,
		port,
		url: `http://${host}:${port}`,
		beginShutdown: () => relay.beginShutdown(),
		close() {
			closing ??= (async () => {
				relay.beginShutdown();
				const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
				inventory.stopTimers();
				// Orders made durable by the last flush are decided before the documents leave memory.
				await relay.close({
					settle: async () => {
						await inventory.drain();
						// Reps' messages about the last office changes are written before the final flush.
						await office.settle();
					}
				});
				await inventory.close();
				await office.close();
				await fanout.close();
				http.closeAllConnections();
				await stopped;
				await store.close();
			})();
			return closing;
		}
	};
}

/**
 * Orders are reconciled once durable; at start, orders of the last weeks are looked
 * at again, since a process that stopped between a commit and its decision left
 * them submitted and their devices will not send them again.
 */
function startInventory(config: RelayConfig, store: DocumentStore, relay: Relay, metrics: RelayMetrics, log: Logger, ledger: StockLedger): InventoryService {
	const { inventory: settings } = config;
	const inventory = new InventoryService({
		ledger,
		log,
		documents: {
			read: (name, read) => relay.readDocument(name, read),
			change: (name, change) => relay.changeDocument(name, change, 'inventory')
		},
		notify: (userId, notice) => void relay.notify(userId, notice),
		policy: settings.policy === 'created-at' ? { kind: 'created-at', windowMs: settings.windowMs } : { kind: 'first-synced' },
		lowStock: { threshold: settings.lowStockThreshold, minOrders: settings.lowStockMinOrders },
		accountName: async (accountId) => (await store.getSummary(`account:${accountId}`))?.title ?? accountId,
		// Alone, a publish is never crossed by another instance's; with peers, confirm each a second later.
		confirmPublishAfterMs: config.redisUrl ? 1000 : 0,
		onReconciled: (outcome) => metrics.ordersReconciled.inc({ result: outcome })
	});
	relay.onDocumentsCommitted((names) => inventory.documentsCommitted(names));
	inventory.rescan(store, RESCAN_DAYS).catch((err: unknown) => log.error({ err }, 'could not list orders to reconcile'));
	return inventory;
}

/** How far back a start looks for orders left undecided. */
const RESCAN_DAYS = 14;
