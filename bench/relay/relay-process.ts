/**
 * The Outrider relay under test, alone in its own process so that its RSS and
 * CPU time are its own. Started by the benchmarks with child_process.fork;
 * also usable by hand (`npx tsx bench/relay/relay-process.ts`), then it takes
 * `stats` and `shutdown` lines on stdin.
 *
 * Environment: BENCH_RELAY_STORE=sqlite (default) or postgres (a schema of its
 * own in BENCH_DATABASE_URL, dropped at shutdown, or BENCH_PG_SCHEMA shared
 * with other instances and left to their starter); BENCH_REDIS_URL and
 * BENCH_REDIS_KEY_PREFIX join instances through Redis; BENCH_DATA_DIR serves an
 * already seeded SQLite data directory and leaves it in place.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer } from '../../server/app';
import { hashPassword } from '../../server/auth/passwords';
import { configWith, loadConfig } from '../../server/config';
import type { DocumentStore, UserRecord, WriteBatch } from '../../server/store/document-store';
import { PostgresStore, withDefaultUser } from '../../server/store/postgres-store';
import type { CommitStats } from './ipc';
import { serveBenchChild, type ChildServer } from './server-child';

const DEFAULT_BENCH_DATABASE_URL = 'postgres://127.0.0.1:5432/test';

interface StoreChoice {
	store?: DocumentStore;
	dataDir: string;
	/** Removes what the run created (temp directory, schema). */
	cleanUp(): Promise<void>;
}

function chooseStore(): StoreChoice {
	const kind = process.env.BENCH_RELAY_STORE ?? 'sqlite';
	const seeded = process.env.BENCH_DATA_DIR;
	if (kind === 'sqlite') {
		if (seeded) return { dataDir: seeded, cleanUp: async () => {} };
		const dataDir = mkdtempSync(join(tmpdir(), 'outrider-bench-'));
		return { dataDir, cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }) };
	}
	if (kind === 'postgres') {
		const url = withDefaultUser(process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL);
		// Instances of one deployment share a schema; whoever started them drops it.
		const shared = process.env.BENCH_PG_SCHEMA;
		const schema = shared || `outrider_bench_${randomBytes(6).toString('hex')}`;
		return {
			store: new PostgresStore({ connectionString: url, schema }),
			dataDir: tmpdir(),
			cleanUp: async () => {
				if (shared) return;
				const admin = new pg.Client({ connectionString: url });
				await admin.connect();
				try {
					await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
				} finally {
					await admin.end();
				}
			}
		};
	}
	throw new Error(`BENCH_RELAY_STORE must be sqlite or postgres, got ${kind}`);
}

serveBenchChild('relay', async (): Promise<ChildServer> => {
	const choice = chooseStore();
	const defaults = configWith({});
	const server = await startServer({
		config: configWith({
			port: 0,
			host: '127.0.0.1',
			dataDir: choice.dataDir,
			logLevel: 'warn',
			// As in production, so the soak run can set it low and watch documents leave memory.
			docIdleMs: loadConfig({ DOC_IDLE_MS: process.env.DOC_IDLE_MS }).docIdleMs,
			// Several instances of one deployment fan out through Redis (a prefix per run).
			redisUrl: process.env.BENCH_REDIS_URL || undefined,
			redisKeyPrefix: process.env.BENCH_REDIS_KEY_PREFIX || defaults.redisKeyPrefix,
			// The limiter is per connection and guards against abusive clients; the benchmark is not one.
			limits: { ...defaults.limits, messagesPerSecond: 100_000, burst: 100_000 }
		}),
		store: choice.store
	});

	const user: UserRecord = {
		id: 'u-bench',
		username: 'bench',
		displayName: 'Bench',
		role: 'admin',
		territories: [],
		passwordHash: await hashPassword('bench')
	};
	await server.store.putUser(user);
	const token = (await server.tokens.issue(user)).token;

	// Durable-commit figures without touching the server: the persistence queue
	// looks store.write up on every commit, so wrapping the instance is enough.
	const commits: CommitStats = { count: 0, updates: 0, documents: 0, totalMs: 0, maxMs: 0 };
	const write = server.store.write.bind(server.store);
	server.store.write = async (batch: WriteBatch) => {
		const t0 = performance.now();
		await write(batch);
		const ms = performance.now() - t0;
		commits.count++;
		for (const entry of batch.updates) commits.updates += 'updates' in entry ? entry.updates.length : 1;
		commits.documents += new Set(batch.updates.map((u) => u.docName)).size;
		commits.totalMs += ms;
		commits.maxMs = Math.max(commits.maxMs, ms);
	};

	return {
		port: server.port,
		token,
		connections: () => server.relay.connectionCount,
		documentsInMemory: () => server.relay.registry.size,
		commits: () => ({ ...commits }),
		async close() {
			try {
				await server.close();
			} finally {
				await choice.cleanUp();
			}
		}
	};
});
