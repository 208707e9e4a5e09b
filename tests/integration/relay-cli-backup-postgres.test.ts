import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { accountFields, readAccount } from '../../src/lib/model';
import { startServer } from '../../server/app';
import { runCli } from '../../server/cli/run-cli';
import { configWith } from '../../server/config';
import { PostgresStockLedger } from '../../server/inventory/postgres-stock-ledger';
import { SqliteStockLedger } from '../../server/inventory/sqlite-stock-ledger';
import type { StockLedger } from '../../server/inventory/stock-ledger';
import type { DocumentStore } from '../../server/store/document-store';
import { PostgresStore } from '../../server/store/postgres-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { PASSWORD, USERS, type FixtureUser } from '../helpers/fixture';
import { ledgerContents } from '../helpers/ledger-contents';
import { loginAs, startTestRelay } from '../helpers/relay-harness';
import { expectLedgerRestored, moveStockThrough } from '../helpers/stock-activity';
import { connectStockClient } from '../helpers/stock-client';
import { storeContents } from '../helpers/store-contents';
import { waitFor } from '../helpers/wait';

const postgres = await probePostgres('tests/integration/relay-cli-backup-postgres.test.ts');

/** The CLI's commands in this process, on the given store and ledger (the environment cannot name a test's schema). */
async function relayCli(args: string[], makeStore: () => DocumentStore, makeLedger: () => StockLedger): Promise<{ code: number; stdout: string; stderr: string }> {
	let stdout = '';
	let stderr = '';
	const sink = (append: (text: string) => void) => new Writable({ write: (chunk: Buffer, _e, done) => (append(chunk.toString()), done()) });
	const code = await runCli(args, {
		io: { stdin: Readable.from([]), stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)) },
		env: {},
		makeStore,
		makeLedger
	});
	return { code, stdout, stderr };
}

async function contentsOf(makeStore: () => DocumentStore) {
	const store = makeStore();
	await store.open();
	try {
		return await storeContents(store);
	} finally {
		await store.close();
	}
}

async function ledgerOf(makeLedger: () => StockLedger) {
	const ledger = makeLedger();
	try {
		return await ledgerContents(ledger);
	} finally {
		await ledger.close();
	}
}

// Needs a PostgreSQL server (127.0.0.1:5432, database test, or TEST_DATABASE_URL). Where none runs,
// the group is skipped with the probe's one-line reason as its title; the SQLite CLI tests cover the rest.
describe.skipIf(!postgres.reachable)(postgres.reachable ? 'backup and restore on PostgreSQL' : postgres.reason, () => {
	const admin = new PostgresAdmin();
	const schemas = [freshSchemaName(), freshSchemaName()] as const;
	const dir = mkdtempSync(join(tmpdir(), 'outrider-pg-backup-'));
	const onSchema = (schema: string) => () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema });
	const ledgerOn = (schema: string) => () => new PostgresStockLedger({ connectionString: TEST_DATABASE_URL, schema });
	const sqlite = () => new SqliteStore({ file: join(dir, 'restored', 'outrider.sqlite') });
	const sqliteLedger = () => new SqliteStockLedger({ file: join(dir, 'restored', 'outrider.sqlite') });

	afterAll(async () => {
		for (const schema of schemas) await admin.dropSchema(schema);
		await admin.end();
		rmSync(dir, { recursive: true, force: true });
	});

	it('restores a PostgreSQL backup into a fresh schema, and into SQLite, with identical documents, users and stock ledger', async () => {
		const relay = await startTestRelay({}, { store: onSchema(schemas[0]), ledger: ledgerOn(schemas[0]) });
		const client = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('manager'));
		await waitFor('synced', () => client.provider.synced);
		accountFields(client.doc).set('city', 'Écully');
		await waitFor('on the server', () => relay.server.relay.registry.peek('account:north-1')?.doc.getMap('fields').get('city') === 'Écully');
		client.destroy();
		await moveStockThrough({ url: relay.server.url, login: (user) => relay.login(user) });
		await relay.server.relay.persistence.flush();
		await relay.stop();

		const file = join(dir, 'pg.ndjson.gz');
		const backup = await relayCli(['backup', file], onSchema(schemas[0]), ledgerOn(schemas[0]));
		expect(backup).toMatchObject({ code: 0, stderr: '' });
		expect(backup.stdout).toMatch(/^backed up 10 documents, 4 users, 1 settings and the stock ledger of 1 warehouses/);
		const source = await contentsOf(onSchema(schemas[0]));
		expect(source.documents['account:north-1']).toBeDefined();
		const sourceLedger = await ledgerOf(ledgerOn(schemas[0]));
		expect(sourceLedger.map((snapshot) => [snapshot.warehouse, snapshot.orders.length])).toEqual([['east', 2]]);

		const intoPostgres = await relayCli(['restore', file], onSchema(schemas[1]), ledgerOn(schemas[1]));
		expect(intoPostgres).toMatchObject({ code: 0, stderr: '' });
		expect(await contentsOf(onSchema(schemas[1]))).toEqual(source);
		expect(await ledgerOf(ledgerOn(schemas[1]))).toEqual(sourceLedger);

		const intoSqlite = await relayCli(['restore', file], sqlite, sqliteLedger);
		expect(intoSqlite).toMatchObject({ code: 0, stderr: '' });
		const moved = await contentsOf(sqlite);
		expect(moved).toEqual(source);
		expect(await ledgerOf(sqliteLedger)).toEqual(sourceLedger);

		const again = await relayCli(['restore', file], onSchema(schemas[1]), ledgerOn(schemas[1]));
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/already holds 10 documents, 4 users and the stock ledger of 1 warehouses/);

		// A relay on the restored schema, as it is (no fixture written over it).
		const restored = await startServer({
			config: configWith({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir: join(dir, 'relay') }),
			store: onSchema(schemas[1])(),
			ledger: ledgerOn(schemas[1])()
		});
		try {
			const token = await loginAs(restored.url, USERS.repNorth.username, PASSWORD);
			const reader = connectStockClient(restored.url.replace('http', 'ws'), 'account:north-1', token);
			await waitFor('synced', () => reader.provider.synced);
			expect(readAccount(reader.doc).city).toBe('Écully');
			reader.destroy();
			await expectLedgerRestored(restored, sourceLedger, (user: FixtureUser) => loginAs(restored.url, USERS[user].username, PASSWORD));
		} finally {
			await restored.close();
		}
	});
});
