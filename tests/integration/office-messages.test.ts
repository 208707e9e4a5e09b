import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMessage, inboxMessages, markRead, readInbox } from '../../src/lib/model';
import { findRecord } from '../../src/lib/model/records';
import type { SendMessageRequest } from '../../src/lib/protocol/office-api';
import { INBOX_REFUSALS } from '../../server/policy/inbox-guard';
import { hashPassword } from '../../server/auth/passwords';
import { PASSWORD, USERS } from '../helpers/fixture';
import { loginAs, startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

/** A manager of the north only, to be refused the south. */
const NORTH_MANAGER = { id: 'u-manager-north', username: 'manager-north', displayName: 'North Manager', role: 'manager', territories: ['north'] } as const;

describe('managers\' messages to reps, and who may write what in an inbox', () => {
	let relay: TestRelay;
	const clients: StockClient[] = [];
	let northManagerToken: string;

	const send = async (token: string | null, body: unknown) => {
		const res = await fetch(`${relay.server.url}/api/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
			body: JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as { error?: string; sent?: Array<{ userId: string; messageId: string }> } };
	};
	/** A user's inbox as the server holds it, read through the stock client as its owner. */
	const inboxOf = async (user: 'repNorth' | 'repSouth' | 'manager') => {
		const client = connectStockClient(relay.wsBase, `inbox:${USERS[user].id}`, await relay.login(user));
		clients.push(client);
		await waitFor(`${user}'s inbox synced`, () => client.provider.synced);
		return client;
	};

	beforeAll(async () => {
		relay = await startTestRelay();
		await relay.server.store.putUser({ ...NORTH_MANAGER, territories: [...NORTH_MANAGER.territories], passwordHash: await hashPassword(PASSWORD) });
		northManagerToken = await loginAs(relay.server.url, NORTH_MANAGER.username, PASSWORD);
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await relay.stop();
	});

	it('delivers a manager\'s message to one rep, durable when the answer comes, with who sent it', async () => {
		const message: SendMessageRequest = { to: { userId: USERS.repNorth.id }, title: 'Call Boulangerie du Nord', body: 'They want to talk about the new oven.', urgent: true };
		const { status, body } = await send(await relay.login('manager'), message);
		expect(status).toBe(201);
		expect(body.sent).toEqual([{ userId: USERS.repNorth.id, messageId: expect.any(String) }]);

		// Stored before the answer: a fresh server on the same data has it.
		await relay.restart();
		const inbox = await inboxOf('repNorth');
		expect(readInbox(inbox.doc)).toEqual([
			{
				id: body.sent![0]!.messageId,
				kind: 'manager_message',
				title: 'Call Boulangerie du Nord',
				body: 'They want to talk about the new oven.',
				at: expect.any(String),
				readAt: null,
				urgent: true,
				from: 'Manager'
			}
		]);
	});

	it('sends to every rep of a territory, one message each', async () => {
		const { status, body } = await send(northManagerToken, { to: { territory: 'north' }, title: 'Team meeting', body: 'Friday 8:00.' });
		expect(status).toBe(201);
		expect(body.sent!.map((s) => s.userId)).toEqual([USERS.repNorth.id]);
		const north = await inboxOf('repNorth');
		await waitFor('meeting message', () => readInbox(north.doc).some((m) => m.title === 'Team meeting'));
		expect(readInbox(north.doc).find((m) => m.title === 'Team meeting')!.urgent).toBeUndefined();
	});

	it('refuses a manager writing outside their territories, and a rep writing at all', async () => {
		const before = readInbox((await inboxOf('repSouth')).doc).length;
		expect(await send(northManagerToken, { to: { userId: USERS.repSouth.id }, title: 'Hello', body: '' })).toEqual({ status: 403, body: { error: 'rep-south is not a rep of your territories' } });
		expect(await send(northManagerToken, { to: { territory: 'south' }, title: 'Hello', body: '' })).toEqual({ status: 403, body: { error: 'territory south is not one of yours' } });
		expect(await send(northManagerToken, { to: { userId: USERS.manager.id }, title: 'Hello', body: '' })).toMatchObject({ status: 403 });
		expect(await send(await relay.login('repNorth'), { to: { userId: USERS.repSouth.id }, title: 'Hello', body: '' })).toEqual({
			status: 403,
			body: { error: 'only managers and admins send messages' }
		});
		expect((await send(null, { to: { userId: USERS.repSouth.id }, title: 'Hello', body: '' })).status).toBe(401);
		const south = await inboxOf('repSouth');
		expect(readInbox(south.doc)).toHaveLength(before);
	});

	it('says clearly what is wrong with a bad request', async () => {
		const token = await relay.login('manager');
		expect(await send(token, { to: { userId: USERS.repNorth.id }, title: '  ', body: 'x' })).toEqual({ status: 400, body: { error: 'title: must not be empty' } });
		expect((await send(token, { to: { team: 'north' }, title: 'Hi' })).body.error).toMatch(/^to: must be \{"userId": "\.\.\."\} or \{"territory": "\.\.\."\}/);
		expect(await send(token, { to: { userId: 'nobody' }, title: 'Hi', body: '' })).toEqual({ status: 404, body: { error: 'no such user: nobody' } });
		expect(await send(await relay.login('admin'), { to: { territory: 'east' }, title: 'Hi', body: '' })).toEqual({ status: 404, body: { error: 'no reps in territory east' } });
		expect((await send(token, { to: { userId: USERS.repNorth.id }, title: 'Hi', body: 'x'.repeat(5000) })).status).toBe(400);
	});

	it('lets an admin write to anyone, a manager included, whose inbox is made with the message', async () => {
		const { status } = await send(await relay.login('admin'), { to: { userId: USERS.manager.id }, title: 'Quarterly review', body: '' });
		expect(status).toBe(201);
		const inbox = await inboxOf('manager');
		await waitFor('manager has it', () => readInbox(inbox.doc).some((m) => m.title === 'Quarterly review'));
		const manifest = (await (await fetch(`${relay.server.url}/api/manifest`, { headers: { authorization: `Bearer ${await relay.login('manager')}` } })).json()) as { docs: Array<{ name: string }> };
		expect(manifest.docs.map((d) => d.name)).toContain(`inbox:${USERS.manager.id}`);
	});

	it('lets the owner mark read but puts back a forged or rewritten message, and tells why', async () => {
		const rep = await inboxOf('repNorth');
		const target = readInbox(rep.doc)[0]!;
		markRead(rep.doc, target.id, new Date().toISOString());
		addMessage(rep.doc, { kind: 'manager_message', title: 'You may skip Friday', body: 'Signed, Manager', at: new Date().toISOString(), from: 'Manager' });
		await waitFor('forgery refused', () => rep.denied.includes(INBOX_REFUSALS.add));
		await waitFor('forgery gone', () => !readInbox(rep.doc).some((m) => m.title === 'You may skip Friday'));
		findRecord(inboxMessages(rep.doc), target.id)!.set('title', 'Nothing to do');
		await waitFor('rewrite refused', () => rep.denied.includes(INBOX_REFUSALS.change));
		await waitFor('title back', () => readInbox(rep.doc).find((m) => m.id === target.id)!.title === target.title);

		const server = await inboxOf('repNorth');
		const read = readInbox(server.doc).find((m) => m.id === target.id)!;
		expect(read.readAt).not.toBeNull();
		expect(readInbox(server.doc).some((m) => m.title === 'You may skip Friday')).toBe(false);
	});

	it('keeps a manager out of the inbox of a rep outside their territories', async () => {
		const client = connectStockClient(relay.wsBase, `inbox:${USERS.repSouth.id}`, northManagerToken);
		clients.push(client);
		await waitFor('refused', () => client.denied.length > 0);
		expect(client.denied[0]).toMatch(/another user's inbox/);
		expect(readInbox(client.doc)).toEqual([]);
	});
});
