import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { PostgresStore } from '../../server/store/postgres-store';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

const postgres = await probePostgres('tests/integration/postgres-relay.test.ts');

// Needs a PostgreSQL server (127.0.0.1:5432, database test, or TEST_DATABASE_URL). Where none runs,
// the group is skipped with the probe's one-line reason as its title; SQLite covers the same suite.
describe.skipIf(!postgres.reachable)(postgres.reachable ? 'the relay on PostgreSQL' : postgres.reason, () => {
	const admin = new PostgresAdmin();
	let relay: TestRelay | undefined;
	let schema = '';

	afterEach(async () => {
		await relay?.stop();
		relay = undefined;
		if (schema) await admin.dropSchema(schema);
		schema = '';
	});
	afterAll(() => admin.end());

	async function startOnPostgres(overrides: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
		schema = freshSchemaName();
		return startTestRelay(overrides, { store: () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema }) });
	}

	it('relays and persists an edit, and serves it again after a restart', async () => {
		relay = await startOnPostgres();
		expect(relay.server.store).toBeInstanceOf(PostgresStore);
		const token = await relay.login('manager');
		const writer = connectDevice(relay.wsBase, token);
		const watcher = connectDevice(relay.wsBase, token);
		const [doc] = writer.open('account:north-1');
		const [seen] = watcher.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '' && readAccount(seen!).name !== '');

		accountFields(doc!).set('city', 'Villeurbanne');
		await waitFor('relayed', () => readAccount(seen!).city === 'Villeurbanne');
		await waitFor('durable', () => writer.client.documentsWithPendingChanges().length === 0);
		writer.destroy();
		watcher.destroy();

		const stored = await admin.pool.query<{ rows: string }>(
			`SELECT count(*) AS rows FROM "${schema}".doc_updates WHERE doc_name = 'account:north-1'`
		);
		expect(Number(stored.rows[0]!.rows)).toBeGreaterThan(1);

		await relay.restart();
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [reread] = reader.open('account:north-1');
		await waitFor('edit survived the restart', () => readAccount(reread!).city === 'Villeurbanne');
		reader.destroy();
	});

	it('compacts the update log on PostgreSQL, keeping every edit', async () => {
		relay = await startOnPostgres({ compactAfterRows: 5, persistDelayMs: 5 });
		const token = await relay.login('manager');
		const device = connectDevice(relay.wsBase, token);
		const [doc] = device.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '');
		for (let i = 0; i < 20; i++) {
			accountNotes(doc!).insert(accountNotes(doc!).length, `${i};`);
			await waitFor('durable', () => device.client.pendingUpdates('account:north-1').length === 0);
		}
		expect((await relay.server.store.readUpdates('account:north-1')).length).toBeLessThan(6);
		device.destroy();

		await relay.restart();
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [reread] = reader.open('account:north-1');
		const expected = Array.from({ length: 20 }, (_, i) => `${i};`).join('');
		await waitFor('all edits after compaction', () => accountNotes(reread!).toString() === expected);
		reader.destroy();
	});
});
