import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, attentionMap, listAttention, listConflicts, readAccount, readInbox, readOrder, createOrder, orderFields, orderAllocation } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { USERS } from '../helpers/fixture';
import { waitFor } from '../helpers/wait';

describe('protected fields, conflicts and validation flags, with stock y-websocket clients', () => {
	let relay: TestRelay;
	const clients: StockClient[] = [];
	const connect = async (user: 'repNorth' | 'manager' | 'admin', docName = 'account:north-1') => {
		const client = connectStockClient(relay.wsBase, docName, await relay.login(user));
		clients.push(client);
		await waitFor(`${user} synced`, () => client.provider.synced);
		return client;
	};

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await relay.stop();
	});

	it('puts back a protected field a rep changed, keeps the rest of the edit, and tells the rep why', async () => {
		const rep = await connect('repNorth');
		const office = await connect('manager');
		rep.doc.transact(() => {
			accountFields(rep.doc).set('territory', 'south');
			accountFields(rep.doc).set('creditLimit', 99_999_00);
			accountFields(rep.doc).set('phone', '+33 4 11 11 11 11');
		});
		await waitFor('rep told', () => rep.denied.length >= 2);
		expect(rep.denied).toEqual(expect.arrayContaining(['territory can only be changed by a manager', 'credit limit can only be changed by a manager']));
		await waitFor('rep converged on the allowed values', () => readAccount(rep.doc).territory === 'north' && readAccount(rep.doc).creditLimit === 0);
		expect(readAccount(rep.doc).phone).toBe('+33 4 11 11 11 11');
		await waitFor('office sees the same', () => readAccount(office.doc).phone === '+33 4 11 11 11 11');
		expect(readAccount(office.doc)).toMatchObject({ territory: 'north', creditLimit: 0 });
		const metrics = await (await fetch(`${relay.server.url}/metrics`)).text();
		expect(metrics).toMatch(/^outrider_writes_refused_total [1-9]/m);
	});

	it('lets a manager change a protected field', async () => {
		const office = await connect('manager');
		const rep = await connect('repNorth');
		accountFields(office.doc).set('creditLimit', 500_000);
		await waitFor('rep sees the new limit', () => readAccount(rep.doc).creditLimit === 500_000);
		expect(office.denied).toEqual([]);
	});

	it('keeps order allocation and confirmed statuses for the server', async () => {
		const rep = await connect('repNorth', 'order:policy-1');
		createOrder(rep.doc, { accountId: 'north-1', repId: USERS.repNorth.id, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard', status: 'submitted' });
		await waitFor('order stored', async () => (await relay.server.store.getSummary('order:policy-1')) !== undefined);
		rep.doc.transact(() => {
			orderFields(rep.doc).set('status', 'confirmed');
			orderAllocation(rep.doc).set('line-x', { confirmed: 10, backordered: 0, reason: 'self-approved', at: new Date().toISOString() });
		});
		await waitFor('rep told twice', () => rep.denied.length >= 2);
		await waitFor('status back to submitted', () => readOrder(rep.doc).status === 'submitted' && orderAllocation(rep.doc).size === 0);
	});

	it('records a true conflict with both values, who and when; sequential edits are not conflicts', async () => {
		const rep = await connect('repNorth');
		const office = await connect('manager');
		// Sequential: the office sees the rep's value before writing its own.
		accountFields(rep.doc).set('address', '1 rue de la République');
		await waitFor('office saw it', () => readAccount(office.doc).address === '1 rue de la République');
		accountFields(office.doc).set('address', '2 rue de la République');
		await waitFor('rep saw it', () => readAccount(rep.doc).address === '2 rue de la République');
		expect(listConflicts(rep.doc).filter((c) => c.field === 'address')).toEqual([]);

		// Concurrent: both offline, both change the email.
		rep.provider.disconnect();
		office.provider.disconnect();
		accountFields(rep.doc).set('email', 'rep@nord.example');
		accountFields(office.doc).set('email', 'office@nord.example');
		office.provider.connect();
		await waitFor('office synced', () => office.provider.synced);
		rep.provider.connect();
		await waitFor('conflict reaches the rep', () => listConflicts(rep.doc, { status: 'open' }).some((c) => c.field === 'email'), 5000);
		const conflict = listConflicts(rep.doc, { status: 'open' }).find((c) => c.field === 'email')!;
		expect(conflict.values.map((v) => v.value).sort()).toEqual(['office@nord.example', 'rep@nord.example']);
		expect(conflict.values.map((v) => v.by).sort()).toEqual([USERS.manager.id, USERS.repNorth.id].sort());
		expect(conflict.values.every((v) => /^\d{4}-\d\d-\d\dT/.test(v.at))).toBe(true);
		await waitFor('both replicas converged', () => readAccount(rep.doc).email === readAccount(office.doc).email && listConflicts(office.doc).length === listConflicts(rep.doc).length);
	});

	it('flags a document that breaks a validation rule, and clears the flag once fixed', async () => {
		const rep = await connect('repNorth');
		accountFields(rep.doc).set('postalCode', '');
		const adminToken = await relay.login('admin');
		const res = await fetch(`${relay.server.url}/api/admin/validation-rules`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
			body: JSON.stringify([{ id: 'account-postal-code', kind: 'account', field: 'postalCode', check: 'required', message: 'postal code is required' }])
		});
		expect(res.status).toBe(200);
		await waitFor('flag on the device', () => listAttention(rep.doc).some((a) => a.message === 'postal code is required'));
		accountFields(rep.doc).set('postalCode', '69001');
		await waitFor('flag cleared', () => listAttention(rep.doc).length === 0);

		const repToken = await relay.login('repNorth');
		const refused = await fetch(`${relay.server.url}/api/admin/validation-rules`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${repToken}`, 'content-type': 'application/json' },
			body: '[]'
		});
		expect(refused.status).toBe(403);
	});

	it('brings back a flag a rep deleted, and flags an account when an edit blanks a required field', async () => {
		const adminToken = await relay.login('admin');
		const rules = [{ id: 'account-phone', kind: 'account', field: 'phone', check: 'required', message: 'phone is required' }];
		const put = await fetch(`${relay.server.url}/api/admin/validation-rules`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
			body: JSON.stringify(rules)
		});
		expect(put.status).toBe(200);
		const rep = await connect('repNorth');
		const office = await connect('manager');
		// An edit of another field leaves the rule as it was; blanking the field raises the flag.
		accountFields(rep.doc).set('phone', '');
		await waitFor('flag raised by the edit', () => listAttention(rep.doc).some((a) => a.ruleId === 'account-phone'));
		// A deletion alone (no new content) on a map only the server writes is put back too.
		const denied = rep.denied.length;
		attentionMap(rep.doc).delete('account-phone');
		await waitFor('rep told', () => rep.denied.length > denied);
		expect(rep.denied.at(-1)).toBe('attention is written by the server only');
		await waitFor('flag back on the device', () => listAttention(rep.doc).some((a) => a.ruleId === 'account-phone'));
		expect(listAttention(office.doc).map((a) => a.ruleId)).toContain('account-phone');
		accountFields(office.doc).set('phone', '+33 4 00 00 00 00');
		await waitFor('flag cleared for both', () => listAttention(rep.doc).length === 0 && listAttention(office.doc).length === 0);
		await fetch(`${relay.server.url}/api/admin/validation-rules`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
			body: '[]'
		});
	});

	it('keeps edits made offline to an account archived meanwhile, and tells the editor', async () => {
		const rep = await connect('repNorth');
		const inbox = await connect('repNorth', `inbox:${USERS.repNorth.id}`);
		const office = await connect('manager');
		rep.provider.disconnect();
		accountFields(office.doc).set('status', 'archived');
		await waitFor('archive stored', async () => (await relay.server.store.getSummary('account:north-1')) !== undefined);
		accountFields(rep.doc).set('phone', '+33 4 22 22 22 22');
		rep.provider.connect();
		await waitFor('rep synced', () => rep.provider.synced && readAccount(rep.doc).status === 'archived');
		await waitFor('office has the offline edit', () => readAccount(office.doc).phone === '+33 4 22 22 22 22');
		await waitFor('rep told', () => readInbox(inbox.doc).some((m) => m.kind === 'archived-while-editing'));
		const message = readInbox(inbox.doc).find((m) => m.kind === 'archived-while-editing')!;
		expect(message.body).toMatch(/Manager archived this account/);
		accountFields(office.doc).set('status', 'active');
	});
});
