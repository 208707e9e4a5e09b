import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields } from '../../src/lib/model';
import { PASSWORD } from '../helpers/fixture';
import { runRelayCli } from '../helpers/relay-cli';
import { loginAs, startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

async function loginStatus(baseUrl: string, username: string, password: string): Promise<number> {
	const res = await fetch(`${baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
	return res.status;
}

describe('npm run relay -- users / export / compact', () => {
	let relay: TestRelay;
	const env = () => ({ DATA_DIR: relay.dataDir });

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('creates a user from a password on standard input, who can then sign in and sync their territory', async () => {
		const run = await runRelayCli(['users', 'create', 'carla', '--role', 'rep', '--territories', 'north', '--name', 'Carla Dupont'], env(), 'carla-pass-1\n');
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toBe('created rep carla (id u-carla) for north\n');

		const token = await loginAs(relay.server.url, 'carla', 'carla-pass-1');
		const res = await fetch(`${relay.server.url}/api/manifest`, { headers: { authorization: `Bearer ${token}` } });
		const names = ((await res.json()) as { docs: Array<{ name: string }> }).docs.map((d) => d.name);
		expect(names).toEqual(expect.arrayContaining(['account:north-1', 'inbox:u-carla']));
		expect(names).not.toContain('account:south-1');
	});

	it('creates a user from OUTRIDER_PASSWORD and lists users', async () => {
		const run = await runRelayCli(['users', 'create', 'dana', '--role', 'admin', '--name', 'Dana Admin'], { ...env(), OUTRIDER_PASSWORD: 'dana-pass-22' });
		expect(run.code).toBe(0);
		expect(await loginStatus(relay.server.url, 'dana', 'dana-pass-22')).toBe(200);

		const list = await runRelayCli(['users', 'list'], env());
		expect(list.code).toBe(0);
		const lines = list.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+TERRITORIES\s+NAME\s+ID$/);
		expect(lines.slice(1).map((line) => line.split(/\s{2,}/)[0])).toEqual(['admin', 'carla', 'dana', 'manager', 'rep-north', 'rep-south']);
		expect(lines.find((line) => line.startsWith('carla'))).toMatch(/^carla\s+rep\s+north\s+Carla Dupont\s+u-carla$/);
	});

	it('refuses bad input with a reason and creates nobody', async () => {
		const taken = await runRelayCli(['users', 'create', 'carla', '--role', 'rep', '--territories', 'north'], env(), 'another-pass\n');
		expect(taken.code).toBe(1);
		expect(taken.stderr).toMatch(/user carla already exists/);

		const badRole = await runRelayCli(['users', 'create', 'erin', '--role', 'boss', '--territories', 'north'], env(), 'erin-pass-1\n');
		expect(badRole.code).toBe(2);
		expect(badRole.stderr).toMatch(/--role must be rep, manager or admin, not "boss"/);

		const noTerritory = await runRelayCli(['users', 'create', 'erin', '--role', 'manager'], env(), 'erin-pass-1\n');
		expect(noTerritory.code).toBe(2);
		expect(noTerritory.stderr).toMatch(/a manager needs --territories/);

		const shortPassword = await runRelayCli(['users', 'create', 'erin', '--role', 'rep', '--territories', 'north'], env(), 'short\n');
		expect(shortPassword.code).toBe(1);
		expect(shortPassword.stderr).toMatch(/at least 8 characters/);

		const noPassword = await runRelayCli(['users', 'create', 'erin', '--role', 'rep', '--territories', 'north'], env());
		expect(noPassword.code).toBe(1);
		expect(noPassword.stderr).toMatch(/no password: set OUTRIDER_PASSWORD or give it on standard input/);

		expect(await loginStatus(relay.server.url, 'erin', 'erin-pass-1')).toBe(401);
	});

	it('resets a password: the new one works, the old one no longer does', async () => {
		const run = await runRelayCli(['users', 'reset-password', 'rep-north'], env(), 'a-new-password\n');
		expect(run.code).toBe(0);
		expect(await loginStatus(relay.server.url, 'rep-north', 'a-new-password')).toBe(200);
		expect(await loginStatus(relay.server.url, 'rep-north', PASSWORD)).toBe(401);

		const unknown = await runRelayCli(['users', 'reset-password', 'nobody'], env(), 'a-new-password\n');
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toMatch(/no user named nobody/);
	});

	it('exports one document as JSON of its shared types', async () => {
		const run = await runRelayCli(['export', 'account:north-1'], env());
		expect(run.code).toBe(0);
		const json = JSON.parse(run.stdout) as { meta: unknown; fields: Record<string, unknown> };
		expect(json.meta).toEqual({ schema: 1, kind: 'account' });
		expect(json.fields).toMatchObject({ name: 'Boulangerie du Nord', territory: 'north', phone: '+33 4 00 00 00 01' });

		const missing = await runRelayCli(['export', 'account:nope'], env());
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/no document named account:nope/);
	});

	it('compacts every document to one stored row, keeping its content', async () => {
		const client = connectStockClient(relay.wsBase, 'account:south-1', await relay.login('manager'));
		await waitFor('synced', () => client.provider.synced);
		for (let i = 0; i < 5; i++) {
			accountFields(client.doc).set('city', `Lyon ${i}`);
			await waitFor('edit on the server', () => relay.server.relay.registry.peek('account:south-1')?.doc.getMap('fields').get('city') === `Lyon ${i}`);
			await relay.server.relay.persistence.flush();
		}
		client.destroy();
		expect((await relay.server.store.readUpdates('account:south-1')).length).toBeGreaterThan(1);

		const run = await runRelayCli(['compact'], env());
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^compacted [1-9]\d* of \d+ documents/);
		expect(await relay.server.store.readUpdates('account:south-1')).toHaveLength(1);

		const exported = JSON.parse((await runRelayCli(['export', 'account:south-1'], env())).stdout) as { fields: { city: string } };
		expect(exported.fields.city).toBe('Lyon 4');
	});
});
