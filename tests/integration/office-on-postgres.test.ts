import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readInbox } from '../../src/lib/model';
import type { DashboardResponse } from '../../src/lib/protocol/office-api';
import type { SyncEngine } from '../../src/lib/sync/sync-engine';
import { PostgresStore } from '../../server/store/postgres-store';
import { freshDevice, startEngine } from '../helpers/device-engine';
import { PASSWORD, USERS } from '../helpers/fixture';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

const postgres = await probePostgres('tests/integration/office-on-postgres.test.ts');

// Needs a PostgreSQL server (127.0.0.1:5432, database test, or TEST_DATABASE_URL). Where none runs,
// the group is skipped with the probe's one-line reason as its title; the SQLite office tests cover the same behaviour.
describe.skipIf(!postgres.reachable)(postgres.reachable ? 'messages and Sync Activity on PostgreSQL' : postgres.reason, () => {
	const admin = new PostgresAdmin();
	const schema = freshSchemaName();
	let relay: TestRelay | undefined;
	let engine: SyncEngine | undefined;

	afterEach(() => engine?.destroy());
	afterAll(async () => {
		await relay?.stop();
		await admin.dropSchema(schema);
		await admin.end();
	});

	it('keeps a manager\'s message and each device\'s activity across a restart', async () => {
		relay = await startTestRelay({}, { store: () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema }) });
		freshDevice();
		engine = (await startEngine(relay.server.url)).engine;
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('synced', () => engine!.status.lastSyncedAt && !engine!.status.downloading, 10_000);

		const sent = await fetch(`${relay.server.url}/api/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${await relay.login('manager')}` },
			body: JSON.stringify({ to: { territory: 'north' }, title: 'Inventory on Friday', body: '' })
		});
		expect(sent.status).toBe(201);
		await waitFor('message on the device', async () => readInbox(await engine!.open(`inbox:${USERS.repNorth.id}`)).some((m) => m.title === 'Inventory on Friday'), 10_000);
		engine.destroy();
		engine = undefined;

		await relay.restart();
		const res = await fetch(`${relay.server.url}/api/dashboard`, { headers: { authorization: `Bearer ${await relay.login('manager')}` } });
		const body = (await res.json()) as DashboardResponse;
		expect(body.activity.filter((r) => r.userId === USERS.repNorth.id)).toEqual([expect.objectContaining({ connected: false, stale: false, lastSyncAt: expect.any(String) })]);
		const inbox = connectStockClient(relay.wsBase, `inbox:${USERS.repNorth.id}`, await relay.login('repNorth'));
		await waitFor('inbox loaded', () => inbox.provider.synced);
		expect(readInbox(inbox.doc).filter((m) => m.title === 'Inventory on Friday')).toHaveLength(1);
		inbox.destroy();
	});
});
