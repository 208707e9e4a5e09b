/**
 * The servers the relay benchmark drives with the same load generator, each in
 * its own child process. A target names its process and environment, the
 * client its users would use, and what it persists.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { withDefaultUser } from '../../server/store/postgres-store';
import { missingPeers, PEER_PACKAGES } from '../peer-modules';
import { hocuspocusTransport } from './hocuspocus-transport';
import type { TransportFactory, TransportSocket } from './transport';
import { yWebsocketTransport } from './y-websocket-transport';

const RELAY_PROCESS = fileURLToPath(new URL('./relay-process.ts', import.meta.url));
const Y_WEBSOCKET_PROCESS = fileURLToPath(new URL('./peers/y-websocket-process.ts', import.meta.url));
const HOCUSPOCUS_PROCESS = fileURLToPath(new URL('./peers/hocuspocus-process.ts', import.meta.url));

/** The machine's PostgreSQL and Redis, as the tests use them; each run gets a schema and a key prefix of its own. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Where one running instance of a target listens. */
export interface TargetEndpoint {
	port: number;
	token: string;
}

export interface RelayTarget {
	/** Used by `--targets=` and in the results file. */
	id: string;
	label: string;
	/** What the server keeps, and when it writes it. */
	persistence: string;
	/** Persists every document (the goal compares these only). */
	durable: boolean;
	/** Outrider itself (the baseline of the ratios) or a comparison peer. */
	outrider: boolean;
	/** The child process serving it. */
	script: string;
	/** What every instance adds to its environment; called once per start, so a run can get fresh names. */
	env(): Record<string, string>;
	/** Removes what a start's environment named (a shared schema), once every instance has stopped. */
	cleanUp?(env: Record<string, string>): Promise<void>;
	/**
	 * Processes started side by side; a document's k-th socket connects to instance k mod n.
	 * More than one needs a fan-out between instances (Outrider's REDIS_URL).
	 */
	instances: number;
	/** The client this server's users would use, pointed at the running instances. */
	transport(endpoints: TargetEndpoint[]): Promise<TransportFactory>;
	/** Why it cannot run on this machine (packages not installed, no database), or undefined. */
	unavailable(): Promise<string | undefined>;
}

const endpointOf = (endpoints: TargetEndpoint[], socket: TransportSocket): TargetEndpoint => {
	const endpoint = endpoints[socket.copy % endpoints.length];
	if (!endpoint) throw new Error('a target needs at least one running instance');
	return endpoint;
};

/** Outrider's plain y-websocket endpoint, `/doc/<name>?token=…`. */
const outriderClients = async (endpoints: TargetEndpoint[]) =>
	yWebsocketTransport((socket) => {
		const { port, token } = endpointOf(endpoints, socket);
		return `ws://127.0.0.1:${port}/doc/${encodeURIComponent(socket.docName)}?token=${encodeURIComponent(token)}`;
	});

const needsPeers = (...names: string[]) => async (): Promise<string | undefined> => {
	const missing = missingPeers(names);
	return missing.length > 0 ? `${missing.join(', ')} not installed (npm --prefix bench install)` : undefined;
};

async function postgresUnreachable(): Promise<string | undefined> {
	const client = new pg.Client({ connectionString: withDefaultUser(BENCH_DATABASE_URL), connectionTimeoutMillis: 3000 });
	client.on('error', () => {});
	try {
		await client.connect();
		await client.query('SELECT 1');
		return undefined;
	} catch (err) {
		return `PostgreSQL at ${BENCH_DATABASE_URL} is not reachable (${err instanceof Error ? err.message : String(err)})`;
	} finally {
		await client.end().catch(() => {});
	}
}

async function redisUnreachable(): Promise<string | undefined> {
	const redis = new Redis(BENCH_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
	redis.on('error', () => {});
	try {
		await redis.connect();
		await redis.ping();
		return undefined;
	} catch (err) {
		return `Redis at ${BENCH_REDIS_URL} is not reachable (${err instanceof Error ? err.message : String(err)})`;
	} finally {
		redis.disconnect();
	}
}

async function dropSchema(schema: string): Promise<void> {
	if (!schema) return;
	const client = new pg.Client({ connectionString: withDefaultUser(BENCH_DATABASE_URL) });
	await client.connect();
	try {
		await client.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`);
	} finally {
		await client.end();
	}
}

export const TARGETS: RelayTarget[] = [
	{
		id: 'outrider',
		label: 'Outrider (SQLite)',
		persistence: 'SQLite, WAL, synchronous=FULL; group commit every 50 ms, then durable acks',
		durable: true,
		outrider: true,
		script: RELAY_PROCESS,
		env: () => ({ BENCH_RELAY_STORE: 'sqlite' }),
		instances: 1,
		transport: outriderClients,
		unavailable: async () => undefined
	},
	{
		id: 'outrider-postgres',
		label: 'Outrider (PostgreSQL)',
		persistence: 'PostgreSQL (own schema); group commit every 50 ms, then durable acks',
		durable: true,
		outrider: true,
		script: RELAY_PROCESS,
		env: () => ({ BENCH_RELAY_STORE: 'postgres', BENCH_DATABASE_URL }),
		instances: 1,
		transport: outriderClients,
		unavailable: postgresUnreachable
	},
	{
		id: 'outrider-postgres-redis-x2',
		label: 'Outrider ×2 (PostgreSQL + Redis)',
		persistence: 'two instances on one PostgreSQL schema, fan-out through Redis; group commit every 50 ms, then durable acks',
		durable: true,
		outrider: true,
		script: RELAY_PROCESS,
		env: () => ({
			BENCH_RELAY_STORE: 'postgres',
			BENCH_DATABASE_URL,
			BENCH_PG_SCHEMA: `outrider_bench_${randomBytes(6).toString('hex')}`,
			BENCH_REDIS_URL,
			BENCH_REDIS_KEY_PREFIX: `outrider-bench-${randomBytes(6).toString('hex')}:`
		}),
		cleanUp: (env) => dropSchema(env.BENCH_PG_SCHEMA ?? ''),
		// A document's first socket on one instance, its second on the other: every delivery crosses Redis.
		instances: 2,
		transport: outriderClients,
		unavailable: async () => (await postgresUnreachable()) ?? (await redisUnreachable())
	},
	{
		id: 'y-websocket-leveldb',
		label: 'y-websocket@2 (LevelDB)',
		persistence: 'y-leveldb: each update written as it arrives, no fsync',
		durable: true,
		outrider: false,
		script: Y_WEBSOCKET_PROCESS,
		env: () => ({ BENCH_YWS_PERSISTENCE: 'leveldb' }),
		instances: 1,
		transport: async (endpoints) =>
			yWebsocketTransport((socket) => `ws://127.0.0.1:${endpointOf(endpoints, socket).port}/${encodeURIComponent(socket.docName)}`),
		unavailable: needsPeers(PEER_PACKAGES.yWebsocket, PEER_PACKAGES.yLeveldb)
	},
	{
		id: 'y-websocket',
		label: 'y-websocket@2 (memory)',
		persistence: 'none (documents in memory only)',
		durable: false,
		outrider: false,
		script: Y_WEBSOCKET_PROCESS,
		env: () => ({ BENCH_YWS_PERSISTENCE: 'none' }),
		instances: 1,
		transport: async (endpoints) =>
			yWebsocketTransport((socket) => `ws://127.0.0.1:${endpointOf(endpoints, socket).port}/${encodeURIComponent(socket.docName)}`),
		unavailable: needsPeers(PEER_PACKAGES.yWebsocket)
	},
	{
		id: 'hocuspocus-sqlite',
		label: 'Hocuspocus 3 (SQLite)',
		persistence: '@hocuspocus/extension-sqlite: whole document stored 2 s after its last change (at most every 10 s)',
		durable: true,
		outrider: false,
		script: HOCUSPOCUS_PROCESS,
		env: () => ({}),
		instances: 1,
		transport: (endpoints) => hocuspocusTransport((socket) => `ws://127.0.0.1:${endpointOf(endpoints, socket).port}`),
		unavailable: needsPeers(PEER_PACKAGES.hocuspocusServer, PEER_PACKAGES.hocuspocusProvider, PEER_PACKAGES.hocuspocusSqlite)
	}
];
