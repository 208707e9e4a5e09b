import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, setVisitFields } from '../../src/lib/model';
import type { DashboardResponse, DeviceActivityRow } from '../../src/lib/protocol/office-api';
import type { SyncEngine } from '../../src/lib/sync/sync-engine';
import { SyncActivity } from '../../server/activity/sync-activity';
import { createLogger } from '../../server/log';
import { SqliteStore } from '../../server/store/sqlite-store';
import { freshDevice, startEngine } from '../helpers/device-engine';
import { PASSWORD, TODAY, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { waitFor } from '../helpers/wait';

const HOUR = 3_600_000;

describe('the manager\'s dashboard and Sync Activity', () => {
	let relay: TestRelay;
	let storeDir: string;
	const engines: SyncEngine[] = [];

	const dashboard = async (user: 'manager' | 'admin' | 'repNorth', day = TODAY) => {
		const res = await fetch(`${relay.server.url}/api/dashboard?day=${day}`, { headers: { authorization: `Bearer ${await relay.login(user)}` } });
		return { status: res.status, body: (await res.json()) as DashboardResponse & { error?: string } };
	};
	const rowsOf = (body: DashboardResponse, userId: string): DeviceActivityRow[] => body.activity.filter((r) => r.userId === userId);

	beforeAll(async () => {
		// Rep South's tablet last synced 30 hours ago, as an earlier run of the server recorded it.
		storeDir = mkdtempSync(join(tmpdir(), 'outrider-dashboard-'));
		const file = join(storeDir, 'outrider.sqlite');
		const seed = new SqliteStore({ file });
		await seed.open();
		const earlier = await SyncActivity.load({ store: seed, log: createLogger('silent'), now: () => new Date(Date.now() - 30 * HOUR) });
		earlier.report(USERS.repSouth.id, 'old-tablet', { waiting: 3, error: 'Connection lost', lastSyncedAt: null });
		await earlier.close();
		await seed.close();
		relay = await startTestRelay({ staleDeviceHours: 24 }, { store: () => new SqliteStore({ file }) });
	});
	afterEach(() => {
		for (const engine of engines.splice(0)) engine.destroy();
	});
	afterAll(async () => {
		await relay.stop();
		rmSync(storeDir, { recursive: true, force: true });
	});

	it('shows a device that synced as connected and fresh, one that did not as stale, and a user with none', async () => {
		freshDevice();
		const { engine } = await startEngine(relay.server.url);
		engines.push(engine);
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('synced', () => engine.status.lastSyncedAt && !engine.status.downloading && engine.status.waiting === 0, 10_000);

		// The device reports itself once settled: nothing waiting, synced.
		const synced = await waitFor('reported', async () => {
			const row = rowsOf((await dashboard('manager')).body, USERS.repNorth.id)[0];
			return row?.waiting === 0 && row.deviceSyncedAt !== null ? row : undefined;
		}, 15_000);
		expect(synced).toMatchObject({ deviceId: engine.deviceId, connected: true, stale: false, username: 'rep-north', deviceError: null });
		expect(Date.now() - Date.parse(synced.lastSyncAt!)).toBeLessThan(HOUR);

		const { body } = await dashboard('manager');
		expect(rowsOf(body, USERS.repSouth.id)).toEqual([
			expect.objectContaining({ deviceId: 'old-tablet', connected: false, stale: true, waiting: 3, deviceError: 'Connection lost' })
		]);
		expect(body.staleAfterHours).toBe(24);
		// A manager sees their reps only; an admin everyone, the manager's missing device too.
		expect(new Set(body.activity.map((r) => r.userId))).toEqual(new Set([USERS.repNorth.id, USERS.repSouth.id]));
		const all = (await dashboard('admin')).body;
		expect(rowsOf(all, USERS.manager.id)).toEqual([expect.objectContaining({ deviceId: null, lastSyncAt: null, stale: true })]);

		// Going offline: no longer connected, last sync kept; the record survives a restart.
		engine.destroy();
		await waitFor('disconnected', async () => rowsOf((await dashboard('manager')).body, USERS.repNorth.id)[0]?.connected === false);
		await relay.restart();
		const after = rowsOf((await dashboard('manager')).body, USERS.repNorth.id)[0]!;
		expect(after).toMatchObject({ deviceId: engine.deviceId, connected: false, stale: false, waiting: 0 });
	});

	it('counts the rep\'s day, lists what needs attention and the refused writes', async () => {
		freshDevice();
		const { engine } = await startEngine(relay.server.url);
		engines.push(engine);
		await engine.signIn(USERS.repNorth.username, PASSWORD);
		await waitFor('synced', () => engine.status.lastSyncedAt && !engine.status.downloading, 10_000);

		let north = (await dashboard('manager')).body.team.find((r) => r.userId === USERS.repNorth.id)!;
		expect(north.visits).toEqual({ planned: 1, done: 0, inProgress: 0, skipped: 0 });

		setVisitFields(await engine.open('visit:north-1-today'), { status: 'completed' });
		// A rep may not change an account's price list: the server puts it back and counts it.
		accountFields(await engine.open('account:north-1')).set('priceList', 'premium');
		const rules = await fetch(`${relay.server.url}/api/admin/validation-rules`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${await relay.login('admin')}`, 'content-type': 'application/json' },
			body: JSON.stringify([{ id: 'account-email', kind: 'account', field: 'email', check: 'required', message: 'email is required' }])
		});
		expect(rules.status).toBe(200);

		north = await waitFor('visit done', async () => {
			const rep = (await dashboard('manager')).body.team.find((r) => r.userId === USERS.repNorth.id)!;
			return rep.visits.done === 1 ? rep : undefined;
		}, 10_000);
		expect(north.visits.planned).toBe(1);
		const body = await waitFor('refusal counted', async () => {
			const b = (await dashboard('manager')).body;
			return rowsOf(b, USERS.repNorth.id).some((r) => r.refusedWrites > 0) ? b : undefined;
		}, 10_000);
		expect(rowsOf(body, USERS.repNorth.id)[0]!.lastRefusal).toMatchObject({ reason: 'price list can only be changed by a manager', doc: 'account:north-1' });
		expect(body.attention).toEqual(
			expect.arrayContaining([expect.objectContaining({ name: 'account:north-1', flags: ['email is required'] }), expect.objectContaining({ name: 'account:south-1', flags: ['email is required'] })])
		);
		// Another day has nothing planned.
		expect((await dashboard('manager', '1999-12-31')).body.team.find((r) => r.userId === USERS.repNorth.id)!.visits.planned).toBe(0);
	});

	it('is for managers and admins only, and refuses a malformed day', async () => {
		expect(await dashboard('repNorth')).toEqual({ status: 403, body: { error: 'only managers and admins see the team dashboard' } });
		expect((await dashboard('manager', 'tomorrow')).status).toBe(400);
		const report = await fetch(`${relay.server.url}/api/devices/report`, {
			method: 'POST',
			headers: { authorization: `Bearer ${await relay.login('repNorth')}`, 'content-type': 'application/json' },
			body: JSON.stringify({ deviceId: '../../x', waiting: -1, error: null, lastSyncedAt: null })
		});
		expect(report.status).toBe(400);
		expect(((await report.json()) as { error: string }).error).toMatch(/deviceId: must be the device id/);
	});
});
