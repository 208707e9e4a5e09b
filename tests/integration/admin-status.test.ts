import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, readAccount } from '../../src/lib/model';
import type { AdminStatus } from '../../server/http/admin-status';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

const AUTH_SECRET = 'an-auth-secret-that-is-long-enough-0123456789';

describe('GET /api/admin/status', () => {
	let relay: TestRelay;
	const status = (token?: string) => fetch(`${relay.server.url}/api/admin/status`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

	beforeAll(async () => {
		relay = await startTestRelay({ authSecret: AUTH_SECRET });
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('refuses anyone but an admin', async () => {
		expect((await status()).status).toBe(401);
		expect((await status('forged')).status).toBe(401);
		for (const user of ['repNorth', 'manager'] as const) {
			const res = await status(await relay.login(user));
			expect(res.status).toBe(403);
			expect(await res.json()).toEqual({ error: 'only an admin sees the relay status' });
		}
	});

	it('says “nothing yet” rather than zero for commit times before the first commit', async () => {
		const body = (await (await status(await relay.login('admin'))).json()) as AdminStatus;
		expect(body.persistence).toMatchObject({ commits: 0, meanSeconds: null, p50Seconds: null, p99Seconds: null });
		expect(body.batches).toMatchObject({ count: 0, meanUpdates: null });
	});

	it('gives an admin the relay’s figures and its configuration with secrets masked', async () => {
		const writer = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('manager'));
		const reader = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('repNorth'));
		await waitFor('synced', () => writer.provider.synced && reader.provider.synced);
		accountFields(writer.doc).set('city', 'Oullins');
		accountFields(reader.doc).set('territory', 'south');
		await waitFor('relayed and put back', () => readAccount(reader.doc).city === 'Oullins' && readAccount(reader.doc).territory === 'north');
		await relay.server.relay.persistence.flush();

		const res = await status(await relay.login('admin'));
		expect(res.status).toBe(200);
		const text = await res.text();
		expect(text).not.toContain(AUTH_SECRET);
		const body = JSON.parse(text) as AdminStatus;

		expect(body.connections).toEqual({ doc: 2, sync: 0 });
		expect(body.fanout).toEqual({ backend: 'in-process', connected: true });
		expect(body.documentsInMemory).toBeGreaterThanOrEqual(1);
		expect(body.updates.received).toBeGreaterThanOrEqual(2);
		expect(body.updates.sent).toBeGreaterThanOrEqual(2);
		expect(body.updates.persisted).toBeGreaterThanOrEqual(2);
		expect(body.persistence.commits).toBeGreaterThanOrEqual(1);
		expect(body.persistence.meanSeconds).toBeGreaterThan(0);
		expect(body.persistence.p50Seconds).toBeGreaterThan(0);
		expect(body.persistence.p99Seconds).toBeGreaterThanOrEqual(body.persistence.p50Seconds!);
		expect(body.batches.count).toBe(body.persistence.commits);
		expect(body.batches.buckets.reduce((n, b) => n + b.count, 0)).toBe(body.batches.count);
		expect(body.batches.meanUpdates).toBeGreaterThanOrEqual(1);
		expect(body.refused).toMatchObject({ protected_change: 1, forbidden: 0, malformed: 0 });
		expect(body.ordersReconciled).toEqual({ confirmed: 0, partially_confirmed: 0, rejected: 0, cancelled: 0 });
		expect(body.store).toMatchObject({ backend: 'SQLite', ready: true });
		expect(body.store.sizeBytes).toBeGreaterThan(0);
		expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
		expect(Date.parse(body.startedAt)).toBeLessThanOrEqual(Date.now());
		expect(body.config).toMatchObject({ authSecret: '********', databaseUrl: null, dataDir: relay.dataDir, port: 0 });
		writer.destroy();
		reader.destroy();
	});
});
