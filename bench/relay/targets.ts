/**
 * The servers the relay benchmark drives with the same load generator, each in
 * its own child process. A target names its process and environment, the
 * client its users would use, and what it persists.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDefaultUser } from '../../server/store/postgres-store';
import { missingPeers, PEER_PACKAGES } from '../peer-modules';
import { hocuspocusTransport } from './hocuspocus-transport';
import type { TransportFactory, TransportSocket } from './transport';
import { yWebsocketTransport } from './y-websocket-transport';

const RELAY_PROCESS = fileURLToPath(new URL('./relay-process.ts', import.meta.url));
const Y_WEBSOCKET_PROCESS = fileURLToPath(new URL('./peers/y-websocket-process.ts', import.meta.url));
const HOCUSPOCUS_PROCESS = fileURLToPath(new URL('./peers/hocuspocus-process.ts', import.meta.url));

/** The machine's PostgreSQL, as the tests use it; each run gets a schema of its own. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test';

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
	/** The child process serving it, and what it adds to the environment. */
	script: string;
	env: Record<string, string>;
	/**
	 * Processes started side by side; socket i connects to instance i mod n.
	 * More than one needs a fan-out between instances (Outrider's REDIS_URL).
	 */
	instances: number;
	/** The client this server's users would use, pointed at the running instances. */
	transport(endpoints: TargetEndpoint[]): Promise<TransportFactory>;
	/** Why it cannot run on this machine (packages not installed, no database), or undefined. */
	unavailable(): Promise<string | undefined>;
}

const endpointOf = (endpoints: TargetEndpoint[], socket: TransportSocket): TargetEndpoint => {
	const endpoint = endpoints[socket.index % endpoints.length];
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

export const TARGETS: RelayTarget[] = [
	{
		id: 'outrider',
		label: 'Outrider (SQLite)',
		persistence: 'SQLite, WAL, synchronous=FULL; group commit every 50 ms, then durable acks',
		durable: true,
		outrider: true,
		script: RELAY_PROCESS,
		env: { BENCH_RELAY_STORE: 'sqlite' },
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
		env: { BENCH_RELAY_STORE: 'postgres', BENCH_DATABASE_URL },
		instances: 1,
		transport: outriderClients,
		unavailable: postgresUnreachable
	},
	{
		id: 'y-websocket-leveldb',
		label: 'y-websocket@2 (LevelDB)',
		persistence: 'y-leveldb: each update written as it arrives, no fsync',
		durable: true,
		outrider: false,
		script: Y_WEBSOCKET_PROCESS,
		env: { BENCH_YWS_PERSISTENCE: 'leveldb' },
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
		env: { BENCH_YWS_PERSISTENCE: 'none' },
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
		env: {},
		instances: 1,
		transport: (endpoints) => hocuspocusTransport((socket) => `ws://127.0.0.1:${endpointOf(endpoints, socket).port}`),
		unavailable: needsPeers(PEER_PACKAGES.hocuspocusServer, PEER_PACKAGES.hocuspocusProvider, PEER_PACKAGES.hocuspocusSqlite)
	}
];
