/**
 * Two relay instances behind one address: how long an edit takes to reach a
 * client on the writer's own instance, and one on the other instance (through
 * Redis). Each instance is its own process on one PostgreSQL schema and one
 * Redis prefix; the clients are stock y-websocket providers in this process.
 * After the run both instances stop cleanly and the rows they appended are
 * checked: every edit stored, none twice.
 *
 * Needs PostgreSQL (127.0.0.1:5432/test or TEST_DATABASE_URL) and Redis
 * (127.0.0.1:6379 or TEST_REDIS_URL); skipped with a note otherwise.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountFields, readAccount } from '../../src/lib/model';
import { PASSWORD, USERS } from '../../tests/helpers/fixture';
import { freshSchemaName, PostgresAdmin, probePostgres } from '../../tests/helpers/postgres';
import { freshKeyPrefix, probeRedis, TEST_REDIS_URL } from '../../tests/helpers/redis';
import { spawnRelay, type RelayChild } from '../../tests/helpers/relay-child';
import { loginAs } from '../../tests/helpers/relay-harness';
import { connectStockClient, type StockClient } from '../../tests/helpers/stock-client';
import { docFromRows, lastSeq, storedRows, structsStoredTwice } from '../../tests/helpers/stored-rows';
import { waitFor } from '../../tests/helpers/wait';
import { fmt, summarize, table } from '../markdown';
import type { Benchmark, BenchOptions, BenchReport } from '../types';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const DOC = 'account:north-1';

export const fanoutBenchmark: Benchmark = {
	name: 'fanout',
	description: 'two relay instances (Redis fan-out, one PostgreSQL): edit latency to a client on the same instance vs the other one',
	run
};

async function run(options: BenchOptions): Promise<BenchReport> {
	const postgres = await probePostgres('bench/fanout');
	const redis = postgres.reachable ? await probeRedis('bench/fanout') : { reachable: false, reason: '' };
	if (!postgres.reachable || !redis.reachable) return { markdown: `Skipped: ${postgres.reason || redis.reason}` };

	const edits = options.quick ? 100 : 500;
	const gapMs = 20;
	const admin = new PostgresAdmin();
	const schema = freshSchemaName();
	const env = {
		TEST_POSTGRES_SCHEMA: schema,
		REDIS_URL: TEST_REDIS_URL,
		REDIS_KEY_PREFIX: freshKeyPrefix(),
		AUTH_SECRET: randomBytes(32).toString('base64url'),
		PERSIST_DELAY_MS: '50'
	};
	const dirs = [mkdtempSync(join(tmpdir(), 'outrider-bench-a-')), mkdtempSync(join(tmpdir(), 'outrider-bench-b-'))];
	const children: RelayChild[] = [];
	const clients: StockClient[] = [];
	try {
		children.push(await spawnRelay(dirs[0]!, env));
		children.push(await spawnRelay(dirs[1]!, env));
		const [a, b] = children as [RelayChild, RelayChild];
		const baseline = await lastSeq(admin, schema);
		const token = await loginAs(a.url, USERS.manager.username, PASSWORD);
		const writer = connectStockClient(a.wsBase, DOC, token);
		const sameInstance = connectStockClient(a.wsBase, DOC, token);
		const otherInstance = connectStockClient(b.wsBase, DOC, token);
		clients.push(writer, sameInstance, otherInstance);
		await waitFor('clients synced', () => clients.every((c) => c.provider.synced), 20_000);

		const sentAt = new Map<string, number>();
		const latency = { same: [] as number[], other: [] as number[] };
		const watch = (client: StockClient, into: number[]) =>
			accountFields(client.doc).observe(() => {
				const t0 = sentAt.get(readAccount(client.doc).phone ?? '');
				if (t0 !== undefined) into.push(performance.now() - t0);
			});
		watch(sameInstance, latency.same);
		watch(otherInstance, latency.other);

		options.log(`${edits} edits, one every ${gapMs} ms`);
		for (let i = 0; i < edits; i++) {
			const value = `bench-${i}`;
			sentAt.set(value, performance.now());
			accountFields(writer.doc).set('phone', value);
			await new Promise((resolve) => setTimeout(resolve, gapMs));
		}
		const last = `bench-${edits - 1}`;
		await waitFor('the last edit seen on both', () => readAccount(sameInstance.doc).phone === last && readAccount(otherInstance.doc).phone === last, 20_000);

		for (const client of clients.splice(0)) client.destroy();
		await Promise.all(children.splice(0).map(stopGracefully));
		const appended = await storedRows(admin, schema, DOC, baseline);
		const twice = structsStoredTwice(appended).length;
		const stored = readAccount(docFromRows(await storedRows(admin, schema, DOC))).phone === last;

		const same = summarize(latency.same);
		const other = summarize(latency.other);
		const results = { at: new Date().toISOString(), cpus: cpus().length, edits, gapMs, same, other, rowsAppended: appended.length, structsStoredTwice: twice, lastEditStored: stored };
		mkdirSync(RESULTS_DIR, { recursive: true });
		writeFileSync(join(RESULTS_DIR, options.quick ? 'fanout.quick.json' : 'fanout.json'), JSON.stringify(results, null, 2));
		const row = (name: string, s: ReturnType<typeof summarize>) => [name, String(s.samples), fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max)];
		return {
			markdown: [
				table(['reader', 'edits', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], [row('same instance', same), row('other instance (Redis)', other)]),
				'',
				`Store after both stopped: ${appended.length} rows appended, ${twice} structs stored twice, last edit ${stored ? 'stored' : 'MISSING'}.`
			].join('\n'),
			passed: twice === 0 && stored
		};
	} finally {
		for (const client of clients) client.destroy();
		for (const child of children) child.process.kill('SIGKILL');
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
		await admin.dropSchema(schema);
		await admin.end();
	}
}

/** SIGTERM: the instance flushes what it holds, then exits. */
function stopGracefully(child: RelayChild): Promise<void> {
	return new Promise((resolve) => {
		child.process.once('exit', () => resolve());
		child.process.kill('SIGTERM');
	});
}
