import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, createOrder, readAccount, readOrder, readVisit, visitReport } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { TODAY, USERS } from '../helpers/fixture';
import { waitFor } from '../helpers/wait';

describe('/sync: many documents over one socket', () => {
	let relay: TestRelay;
	const devices: TestDevice[] = [];
	const device = async (user: 'repNorth' | 'repSouth' | 'manager') => {
		const d = connectDevice(relay.wsBase, await relay.login(user));
		devices.push(d);
		await waitFor('device connected', () => d.client.status === 'connected');
		return d;
	};

	beforeAll(async () => {
		relay = await startTestRelay();
	});
	afterAll(async () => {
		for (const d of devices) d.destroy();
		await relay.stop();
	});

	it('subscribes to several documents in one message and receives them all', async () => {
		const rep = await device('repNorth');
		const [account, visit] = rep.open('account:north-1', 'visit:north-1-today');
		await waitFor('account arrived', () => readAccount(account!).name === 'Boulangerie du Nord');
		await waitFor('visit arrived', () => readVisit(visit!).plannedDate === TODAY);
		expect(relay.server.relay.connectionCount).toBeGreaterThanOrEqual(1);
	});

	it('acknowledges an edit only once it is durable, and a restarted relay still has it', async () => {
		const rep = await device('repNorth');
		const [visit] = rep.open('visit:north-1-today');
		await waitFor('visit arrived', () => readVisit(visit!).accountId === 'north-1');
		visitReport(visit!).insert(0, 'Shelf space doubled; manager wants a promo.');
		expect(rep.client.pendingUpdates('visit:north-1-today').length).toBeGreaterThan(0);
		await waitFor('durable ack', () => rep.client.pendingUpdates('visit:north-1-today').length === 0);
		expect(rep.durableEvents).toContain('visit:north-1-today');

		rep.client.disconnect();
		await relay.restart();
		const again = await device('manager');
		const [reloaded] = again.open('visit:north-1-today');
		await waitFor('report survived the restart', () => visitReport(reloaded!).toString() === 'Shelf space doubled; manager wants a promo.');
	});

	it('relays edits between devices on the same document', async () => {
		const rep = await device('repNorth');
		const manager = await device('manager');
		const [a] = rep.open('account:north-1');
		const [b] = manager.open('account:north-1');
		await waitFor('both loaded', () => readAccount(a!).name !== '' && readAccount(b!).name !== '');
		accountFields(b!).set('email', 'orders@boulangerie.example');
		await waitFor('rep sees the email', () => readAccount(a!).email === 'orders@boulangerie.example');
	});

	it('refuses a document of another territory without sending any of it', async () => {
		const rep = await device('repSouth');
		const [account] = rep.open('account:north-1');
		await waitFor('refusal', () => rep.denied.length > 0);
		expect(rep.denied[0]).toMatchObject({ docName: 'account:north-1' });
		expect(rep.denied[0]!.reason).toMatch(/outside your territories/);
		expect(account!.share.size).toBe(0);
		expect(readAccount(account!).name).toBe('');
	});

	it('refuses writes to read-only documents and reports why', async () => {
		const rep = await device('repNorth');
		const [stock] = rep.open('stock:east');
		await waitFor('stock loaded', () => stock!.getMap('onHand').get('BEV-0001') === 40);
		stock!.getMap('onHand').set('BEV-0001', 9999);
		await waitFor('write refused', () => rep.refused.length > 0);
		expect(rep.refused[0]!.reason).toMatch(/maintained by the office/);
		// The server put the value back, so the rep's replica converges instead of keeping its change.
		await waitFor('rep converged back', () => stock!.getMap('onHand').get('BEV-0001') === 40);

		const manager = await device('manager');
		const [serverView] = manager.open('stock:east');
		await waitFor('manager loaded stock', () => serverView!.getMap('onHand').has('BEV-0001'));
		expect(serverView!.getMap('onHand').get('BEV-0001')).toBe(40);
	});

	it('lets a rep create an order for its own account but not for another territory', async () => {
		const rep = await device('repNorth');
		const [own, foreign] = rep.open('order:rep-north-own', 'order:rep-north-foreign');
		const base = { repId: USERS.repNorth.id, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard' };
		createOrder(own!, { ...base, accountId: 'north-1', lines: [{ sku: 'BEV-0001', qty: 3, unitPrice: 95 }] });
		createOrder(foreign!, { ...base, accountId: 'south-1', lines: [{ sku: 'BEV-0001', qty: 3, unitPrice: 95 }] });
		await waitFor('own order durable', () => rep.client.pendingUpdates('order:rep-north-own').length === 0);
		await waitFor('foreign order refused', () => rep.refused.some((r) => r.docName === 'order:rep-north-foreign'));

		const manager = await device('manager');
		const [seenOwn, seenForeign] = manager.open('order:rep-north-own', 'order:rep-north-foreign');
		await waitFor('manager sees the own order', () => readOrder(seenOwn!).accountId === 'north-1');
		await new Promise((r) => setTimeout(r, 200));
		expect(readOrder(seenForeign!).accountId).toBe('');
		expect(Y.encodeStateVector(seenForeign!)).toEqual(Y.encodeStateVector(new Y.Doc()));
	});

	it('stops sending an account and its visits to a rep once the account moves to another territory', async () => {
		const rep = await device('repNorth');
		const manager = await device('manager');
		const [account, visit] = rep.open('account:north-1', 'visit:north-1-today');
		const [office] = manager.open('account:north-1');
		await waitFor('loaded', () => readAccount(account!).name !== '' && readVisit(visit!).accountId === 'north-1' && readAccount(office!).name !== '');

		accountFields(office!).set('territory', 'south');
		await waitFor('rep told for the account and its visit', () =>
			['account:north-1', 'visit:north-1-today'].every((name) => rep.denied.some((d) => d.docName === name))
		);
		accountFields(office!).set('phone', '+33 4 99 99 99 99');
		await new Promise((r) => setTimeout(r, 300));
		expect(readAccount(account!).phone).not.toBe('+33 4 99 99 99 99');

		// Back where it was, for the tests that follow.
		accountFields(office!).set('territory', 'north');
		await waitFor('summary back', async () => (await relay.server.store.getSummary('account:north-1'))?.territory === 'north');
	});
});
