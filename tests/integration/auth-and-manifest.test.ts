import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { PASSWORD, TODAY, USERS } from '../helpers/fixture';
import { waitFor } from '../helpers/wait';

describe('login, tokens and the manifest', () => {
	let relay: TestRelay;
	const clients: StockClient[] = [];

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await relay.stop();
	});

	const post = (path: string, body: unknown) =>
		fetch(`${relay.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('logs in with the right password and returns the user with role and territories', async () => {
		const res = await post('/api/login', { username: 'rep-north', password: PASSWORD });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { token: string; user: { id: string; role: string; territories: string[] } };
		expect(body.token.split('.')).toHaveLength(3);
		expect(body.user).toMatchObject({ id: USERS.repNorth.id, role: 'rep', territories: ['north'] });
	});

	it('answers 401 for a wrong password or unknown user, 400 for a malformed body', async () => {
		expect((await post('/api/login', { username: 'rep-north', password: 'nope' })).status).toBe(401);
		expect((await post('/api/login', { username: 'nobody', password: PASSWORD })).status).toBe(401);
		expect((await post('/api/login', { user: 'rep-north' })).status).toBe(400);
	});

	it('lists only the documents of the rep, today\'s route first', async () => {
		const token = await relay.login('repNorth');
		const res = await fetch(`${relay.server.url}/api/manifest?today=${TODAY}`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(200);
		const { docs } = (await res.json()) as { docs: Array<{ name: string; kind: string; priority: number; updatedAt: string }> };
		const names = docs.map((d) => d.name);
		expect(names.slice(0, 2).sort()).toEqual(['account:north-1', 'visit:north-1-today']);
		expect(names).toContain('visit:north-1-later');
		expect(names).toContain('catalog:standard');
		expect(names).toContain(`inbox:${USERS.repNorth.id}`);
		expect(names).not.toContain('account:south-1');
		expect(names).not.toContain(`inbox:${USERS.repSouth.id}`);
		const priorities = docs.map((d) => d.priority);
		expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
	});

	it('refuses the manifest without a valid token', async () => {
		expect((await fetch(`${relay.server.url}/api/manifest`)).status).toBe(401);
		const forged = await fetch(`${relay.server.url}/api/manifest`, { headers: { authorization: 'Bearer not.a.token' } });
		expect(forged.status).toBe(401);
	});

	const refusedWith = async (token: string) => {
		const client = connectStockClient(relay.wsBase, 'account:north-1', token);
		clients.push(client);
		await waitFor('permission denied', () => client.denied.length > 0);
		await waitFor('socket closed', () => client.closes.length > 0);
		client.provider.disconnect();
		expect(client.provider.synced).toBe(false);
		expect(client.doc.share.size).toBe(0);
		return { reason: client.denied[0]!, close: client.closes[0]! };
	};

	it('refuses a forged token with permission-denied and sends nothing of the document', async () => {
		const forged = await new SignJWT({ role: 'admin' })
			.setProtectedHeader({ alg: 'HS256' })
			.setIssuer('outrider')
			.setSubject(USERS.admin.id)
			.setExpirationTime('1h')
			.sign(new TextEncoder().encode('a-secret-that-is-not-the-servers-secret'));
		const { reason, close } = await refusedWith(forged);
		expect(reason).toMatch(/not valid/);
		expect(close.code).toBe(4401);
	});

	it('refuses an expired token', async () => {
		const user = (await relay.server.store.getUserByName('rep-north'))!;
		const { token } = await relay.server.tokens.issue(user, -10);
		const { reason } = await refusedWith(token);
		expect(reason).toMatch(/expired/);
	});

	it('refuses a missing token', async () => {
		const { reason } = await refusedWith('');
		expect(reason).toMatch(/no token/);
	});

	it('refuses a rep another territory\'s account on /doc, with the reason', async () => {
		const { reason, close } = await refusedWith(await relay.login('repSouth'));
		expect(reason).toMatch(/outside your territories/);
		expect(close.code).toBe(4403);
	});
});

describe('renewing a session', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		await relay.stop();
	});
	const renew = (token: string) => fetch(`${relay.server.url}/api/session/renew`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

	it('trades a token that expired while the rep was offline for a fresh one', async () => {
		const user = (await relay.server.store.getUserByName('rep-north'))!;
		const { token: expired } = await relay.server.tokens.issue(user, -3600);
		const res = await renew(expired);
		expect(res.status).toBe(200);
		const body = (await res.json()) as { token: string; user: { id: string } };
		expect(body.user.id).toBe(USERS.repNorth.id);
		const manifest = await fetch(`${relay.server.url}/api/manifest`, { headers: { authorization: `Bearer ${body.token}` } });
		expect(manifest.status).toBe(200);
	});

	it('refuses a forged token and one expired beyond the grace period', async () => {
		expect((await renew('forged.token.here')).status).toBe(401);
		const user = (await relay.server.store.getUserByName('rep-north'))!;
		const { token: ancient } = await relay.server.tokens.issue(user, -60 * 24 * 3600);
		expect((await renew(ancient)).status).toBe(401);
	});
});
