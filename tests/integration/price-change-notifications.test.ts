import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catalogProducts, createAccount, createCatalog, readInbox, setAccountFields, setProduct, type InboxMessage } from '../../src/lib/model';
import { USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

const OFFICE_KINDS = ['price_change', 'promotion', 'catalog_update', 'account_status', 'account_terms'];

describe('reps hear of office changes that concern them, and only they', () => {
	let relay: TestRelay;
	const clients: StockClient[] = [];
	const open = async (user: 'repNorth' | 'repSouth' | 'manager' | 'admin', docName: string) => {
		const client = connectStockClient(relay.wsBase, docName, await relay.login(user));
		clients.push(client);
		await waitFor(`${user} has ${docName}`, () => client.provider.synced);
		return client;
	};
	const officeMessages = (client: StockClient): InboxMessage[] => readInbox(client.doc).filter((m) => OFFICE_KINDS.includes(m.kind));

	beforeAll(async () => {
		relay = await startTestRelay();
		// A second price list, used by one account in the south only.
		const catalog = await open('admin', 'catalog:premium');
		createCatalog(catalog.doc, { products: { 'WIN-1': { name: 'Red wine 75 cl', unit: 'bottle', price: 1200, active: true } } });
		const account = await open('admin', 'account:south-2');
		createAccount(account.doc, { name: 'Cave du Sud', territory: 'south', priceList: 'premium', warehouse: 'east' });
		await waitFor('stored', async () => (await relay.server.store.getSummary('account:south-2')) !== undefined && (await relay.server.store.getSummary('catalog:premium')) !== undefined);
	});
	afterEach(() => {
		for (const c of clients.splice(0)) c.destroy();
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('tells the reps whose accounts use a price list, once per batch, and nobody else', async () => {
		const north = await open('repNorth', `inbox:${USERS.repNorth.id}`);
		const south = await open('repSouth', `inbox:${USERS.repSouth.id}`);
		expect([officeMessages(north), officeMessages(south)]).toEqual([[], []]);

		// One admin edit of the premium list: a new price and a new product.
		const premium = await open('admin', 'catalog:premium');
		premium.doc.transact(() => {
			setProduct(premium.doc, 'WIN-1', { name: 'Red wine 75 cl', unit: 'bottle', price: 1350, active: true });
			setProduct(premium.doc, 'WIN-2', { name: 'Rosé 75 cl', unit: 'bottle', price: 990, active: true });
		});
		await waitFor('south told', () => officeMessages(south).length === 1, 10_000);
		expect(officeMessages(south)[0]).toMatchObject({
			kind: 'catalog_update',
			title: 'Catalogue update: Red wine 75 cl and 1 more',
			body: 'Price list premium, in effect now:\nRed wine 75 cl: €12.00 → €13.50\nNew: Rosé 75 cl at €9.90'
		});

		// The standard list is used in both territories: both reps hear of its change.
		const standard = await open('admin', 'catalog:standard');
		setProduct(standard.doc, 'BEV-0001', { name: 'Sparkling water 1 L', unit: 'bottle', price: 99, active: true });
		await waitFor('both told of standard', () => officeMessages(north).length === 1 && officeMessages(south).length === 2, 10_000);
		expect(officeMessages(north).map((m) => m.kind)).toEqual(['price_change']);
		expect(officeMessages(north)[0]!.body).toBe('Price list standard, in effect now:\nSparkling water 1 L: €0.95 → €0.99');

		// Nobody else got anything: not the manager, not the admin.
		for (const user of ['manager', 'admin'] as const) {
			expect(await relay.server.store.getSummary(`inbox:${USERS[user].id}`)).toBeUndefined();
		}
	});

	it('says nothing when a write to the catalogue is put back, or only takes a product off sale', async () => {
		const north = await open('repNorth', `inbox:${USERS.repNorth.id}`);
		const before = officeMessages(north).length;
		const repCopy = await open('repNorth', 'catalog:standard');
		setProduct(repCopy.doc, 'BEV-0001', { name: 'Sparkling water 1 L', unit: 'bottle', price: 1, active: true });
		await waitFor('rep refused', () => repCopy.denied.length > 0);
		const managerCopy = await open('manager', 'catalog:standard');
		catalogProducts(managerCopy.doc).set('BEV-0009', { name: 'Free beer', unit: 'can', price: 0, active: true });
		await waitFor('manager refused', () => managerCopy.denied.length > 0);
		const admin = await open('admin', 'catalog:standard');
		setProduct(admin.doc, 'BEV-0001', { name: 'Sparkling water 1 L', unit: 'bottle', price: 99, active: false });

		// A change that does concern the rep, made after all of the above, is the next message they get.
		setProduct(admin.doc, 'BEV-0001', { name: 'Sparkling water 1 L', unit: 'bottle', price: 99, active: true });
		await waitFor('told of the re-activation', () => officeMessages(north).length === before + 1, 10_000);
		expect(officeMessages(north).at(-1)).toMatchObject({ kind: 'promotion', title: 'Now in the catalogue: Sparkling water 1 L' });
	});

	it('tells the reps of its territory when a manager puts an account on hold, urgently and with a link', async () => {
		const north = await open('repNorth', `inbox:${USERS.repNorth.id}`);
		const south = await open('repSouth', `inbox:${USERS.repSouth.id}`);
		const southBefore = officeMessages(south).length;
		const account = await open('manager', 'account:north-1');
		setAccountFields(account.doc, { status: 'on_hold' });
		await waitFor('north told', () => officeMessages(north).some((m) => m.kind === 'account_status'), 10_000);
		expect(officeMessages(north).find((m) => m.kind === 'account_status')).toMatchObject({
			title: 'Boulangerie du Nord is on hold',
			urgent: true,
			link: 'account:north-1',
			from: 'Manager'
		});
		// The south's next message is about the south's own account, not the north's.
		const southAccount = await open('manager', 'account:south-1');
		setAccountFields(southAccount.doc, { creditLimit: 250_000 });
		await waitFor('south told of its account', () => officeMessages(south).length === southBefore + 1, 10_000);
		expect(officeMessages(south).at(-1)).toMatchObject({ kind: 'account_terms', title: 'New terms for Épicerie du Sud', link: 'account:south-1' });
	});
});
