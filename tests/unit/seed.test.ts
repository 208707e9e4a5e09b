import * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords';
import { DEMO_PASSWORD, DEMO_USERS, SEED_BATCH_SIZE, seedDemoData, type SeedReport } from '../../server/seed/demo-data';
import { CITY_BOUNDS } from '../../server/seed/lyon';
import type { DocumentStore, DocumentSummary, WriteBatch } from '../../server/store/document-store';
import { MemoryStore } from '../../server/store/memory-store';
import {
	readAccount,
	readCatalog,
	readInbox,
	readMeta,
	readOnHand,
	readOrder,
	readVisit,
	summarizeDocument,
	tryParseDocName,
	type Account
} from '../../src/lib/model/index';

// A Wednesday, so the plan spans a week back and two weeks ahead of a normal working day.
const TODAY = new Date('2025-03-12T09:00:00.000Z');
const TODAY_DAY = '2025-03-12';

async function loadDoc(store: DocumentStore, name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const row of await store.readUpdates(name)) Y.applyUpdate(doc, row.update);
	return doc;
}

async function seededStore(options: Parameters<typeof seedDemoData>[1]): Promise<{ store: MemoryStore; report: SeedReport; batches: WriteBatch[] }> {
	const store = new MemoryStore();
	await store.open();
	const batches: WriteBatch[] = [];
	const write = store.write.bind(store);
	store.write = async (batch) => {
		batches.push(batch);
		await write(batch);
	};
	const report = await seedDemoData(store, options);
	return { store, report, batches };
}

describe('demo data', () => {
	let store: MemoryStore;
	let report: SeedReport;
	let batches: WriteBatch[];
	let names: string[];
	const accounts = new Map<string, Account>();

	beforeAll(async () => {
		({ store, report, batches } = await seededStore({ today: TODAY, seed: 7 }));
		names = await store.listDocumentNames();
		for (const name of await store.listDocumentNames('account:')) {
			accounts.set(name.slice('account:'.length), readAccount(await loadDoc(store, name)));
		}
	});

	it('writes well-formed documents whose meta matches their name', async () => {
		expect(names.length).toBeGreaterThan(500);
		for (const name of names) {
			const parsed = tryParseDocName(name);
			expect(parsed, name).toBeDefined();
			expect(readMeta(await loadDoc(store, name)), name).toEqual({ schema: 1, kind: parsed?.kind });
		}
		const counted = Object.values(report.counts).reduce((sum, n) => sum + n, 0);
		expect(counted).toBe(names.length);
	});

	it('writes in batches of at most a few hundred documents, each with its summary', () => {
		expect(batches.length).toBeGreaterThan(1);
		for (const batch of batches) {
			expect(batch.updates.length).toBeLessThanOrEqual(SEED_BATCH_SIZE);
			expect(batch.summaries.map((summary) => summary.name)).toEqual(batch.updates.map((update) => update.docName));
		}
	});

	it('creates 150 accounts over three Lyon territories, inside the city', () => {
		expect(report.counts.account).toBe(150);
		expect(accounts.size).toBe(150);
		const territories = new Set([...accounts.values()].map((account) => account.territory));
		expect([...territories].sort()).toEqual(['lyon-centre', 'lyon-north', 'lyon-south']);
		const names = new Set<string>();
		for (const account of accounts.values()) {
			expect(account.lat).not.toBeNull();
			expect(account.lng).not.toBeNull();
			const lat = account.lat ?? 0;
			const lng = account.lng ?? 0;
			expect(lat).toBeGreaterThanOrEqual(CITY_BOUNDS.south);
			expect(lat).toBeLessThanOrEqual(CITY_BOUNDS.north);
			expect(lng).toBeGreaterThanOrEqual(CITY_BOUNDS.west);
			expect(lng).toBeLessThanOrEqual(CITY_BOUNDS.east);
			if (account.territory === 'lyon-north') expect(lat).toBeGreaterThan(45.77);
			if (account.territory === 'lyon-south') expect(lat).toBeLessThan(45.74);
			expect(account.postalCode).toMatch(/^69\d{3}$/);
			expect(account.phone).toMatch(/^04 \d\d \d\d \d\d \d\d$/);
			expect(account.email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.(fr|com)$/);
			expect(account.priceList).toBe('standard');
			expect(['lyon-east', 'lyon-west']).toContain(account.warehouse);
			expect(Number.isInteger(account.creditLimit) && account.creditLimit > 0).toBe(true);
			expect(account.contacts.length).toBeGreaterThanOrEqual(1);
			expect(account.contacts.length).toBeLessThanOrEqual(3);
			names.add(account.name);
		}
		expect(names.size).toBe(accounts.size);
		const active = [...accounts.values()].filter((account) => account.status === 'active').length;
		expect(active).toBeGreaterThan(120);
	});

	it('has a catalog of 300+ products and stock for each in both warehouses', async () => {
		const catalog = readCatalog(await loadDoc(store, 'catalog:standard'));
		const skus = Object.keys(catalog);
		expect(skus.length).toBeGreaterThanOrEqual(300);
		for (const sku of skus) expect(sku).toMatch(/^[A-Z]{3}-\d{4}$/);
		for (const product of Object.values(catalog)) {
			expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
			expect(product.name).not.toBe('');
			expect(product.unit).not.toBe('');
		}
		for (const warehouse of ['lyon-east', 'lyon-west']) {
			const onHand = readOnHand(await loadDoc(store, `stock:${warehouse}`));
			expect(Object.keys(onHand).sort()).toEqual([...skus].sort());
			for (const qty of Object.values(onHand)) expect(Number.isInteger(qty) && qty >= 0).toBe(true);
		}
	});

	it('plans visits only to active accounts in the rep’s own territory, with a route for today', async () => {
		const byRepAndDay = new Map<string, number[]>();
		for (const name of await store.listDocumentNames('visit:')) {
			const visit = readVisit(await loadDoc(store, name));
			const rep = DEMO_USERS.find((user) => user.id === visit.repId);
			expect(rep?.role, name).toBe('rep');
			const account = accounts.get(visit.accountId);
			expect(account, name).toBeDefined();
			expect(rep?.territories).toContain(account?.territory);
			expect(account?.status).toBe('active');
			if (visit.plannedDate < TODAY_DAY) {
				expect(['completed', 'skipped']).toContain(visit.status);
				expect(visit.report).not.toBe('');
				if (visit.status === 'completed') {
					expect(visit.checkInAt?.startsWith(visit.plannedDate)).toBe(true);
					expect(visit.checkOutAt! > visit.checkInAt!).toBe(true);
				}
			} else {
				expect(visit.status).toBe('planned');
				expect(visit.checkInAt).toBeNull();
			}
			const key = `${visit.repId} ${visit.plannedDate}`;
			byRepAndDay.set(key, [...(byRepAndDay.get(key) ?? []), visit.sequence]);
		}
		for (const rep of DEMO_USERS.filter((user) => user.role === 'rep')) {
			const today = byRepAndDay.get(`${rep.id} ${TODAY_DAY}`) ?? [];
			expect(today.length, rep.username).toBeGreaterThanOrEqual(5);
			expect(today.length).toBeLessThanOrEqual(8);
			expect([...today].sort((a, b) => a - b)).toEqual(today.map((_, i) => i + 1));
		}
		const days = new Set([...byRepAndDay.keys()].map((key) => key.split(' ')[1]));
		expect(days.has('2025-03-05')).toBe(true);
		expect(days.has('2025-03-26')).toBe(true);
		expect(days.has('2025-03-08')).toBe(false); // Saturday
	});

	it('has past orders with 1–6 catalog lines for the rep’s own accounts', async () => {
		const catalog = readCatalog(await loadDoc(store, 'catalog:standard'));
		const orderNames = await store.listDocumentNames('order:');
		expect(orderNames.length).toBeGreaterThan(10);
		const statuses = new Set<string>();
		for (const name of orderNames) {
			const order = readOrder(await loadDoc(store, name));
			statuses.add(order.status);
			expect(order.createdAt < TODAY_DAY).toBe(true);
			const rep = DEMO_USERS.find((user) => user.id === order.repId);
			expect(rep?.territories).toContain(accounts.get(order.accountId)?.territory);
			expect(order.lines.length).toBeGreaterThanOrEqual(1);
			expect(order.lines.length).toBeLessThanOrEqual(6);
			for (const line of order.lines) {
				expect(catalog[line.sku]?.price, line.sku).toBe(line.unitPrice);
				expect(catalog[line.sku]?.active).toBe(true);
			}
			if (order.status === 'confirmed') {
				expect(Object.keys(order.allocation).sort()).toEqual(order.lines.map((line) => line.id).sort());
			} else {
				expect(order.allocation).toEqual({});
			}
		}
		expect([...statuses].sort()).toEqual(['confirmed', 'submitted']);
	});

	it('creates the five demo users with password "demo" and an inbox each', async () => {
		expect(report.users.map((user) => user.username)).toEqual(['rep1', 'rep2', 'rep3', 'manager1', 'admin']);
		expect(report.users.every((user) => user.password === DEMO_PASSWORD)).toBe(true);
		const users = await store.listUsers();
		expect(users).toHaveLength(5);
		for (const expected of DEMO_USERS) {
			const user = await store.getUserByName(expected.username);
			expect(user).toMatchObject({ id: expected.id, role: expected.role, territories: expected.territories });
			expect(await verifyPassword('demo', user?.passwordHash ?? '')).toBe(true);
			expect(await verifyPassword('wrong', user?.passwordHash ?? '')).toBe(false);
			const inbox = readInbox(await loadDoc(store, `inbox:${expected.id}`));
			expect(inbox.map((message) => message.kind)).toEqual(['welcome']);
		}
		expect((await store.getUserByName('manager1'))?.territories.sort()).toEqual(['lyon-centre', 'lyon-north', 'lyon-south']);
	});

	it('stores the same summaries the relay would compute from the documents', async () => {
		const lookup = (accountId: string) => {
			const account = accounts.get(accountId);
			return account ? { territory: account.territory, title: account.name } : undefined;
		};
		const summaries = await store.listSummaries();
		expect(summaries.map((summary) => summary.name)).toEqual(names);
		for (const summary of summaries) {
			const { name, updatedAt, ...fields } = summary;
			expect(Number.isNaN(Date.parse(updatedAt))).toBe(false);
			expect(fields).toEqual(summarizeDocument(name, await loadDoc(store, name), lookup));
		}
		const todays = await store.listSummaries({ kinds: ['visit'], owner: 'u-rep1' });
		expect(todays.some((summary) => summary.day === TODAY_DAY && summary.territory === 'lyon-north')).toBe(true);
	});

	it('is deterministic for a given seed and differs for another', async () => {
		const strip = (summaries: DocumentSummary[]) =>
			summaries.map(({ name, kind, territory, owner, accountId, day, title }) => ({ name, kind, territory, owner, accountId, day, title }));
		const again = await seededStore({ today: TODAY, seed: 7 });
		expect(strip(await again.store.listSummaries())).toEqual(strip(await store.listSummaries()));
		expect(readAccount(await loadDoc(again.store, 'account:acc-0042'))).toEqual(accounts.get('acc-0042'));
		const other = await seededStore({ today: TODAY, seed: 8 });
		expect(readAccount(await loadDoc(other.store, 'account:acc-0042'))).not.toEqual(accounts.get('acc-0042'));
	});
});

describe('demo data options', () => {
	it('honours the account count and still plans today when today is a Sunday', async () => {
		const { store, report } = await seededStore({ accounts: 30, today: new Date('2025-03-16T10:00:00.000Z'), seed: 3 });
		expect(report.counts.account).toBe(30);
		expect(report.counts.catalog).toBe(1);
		expect(report.counts.stock).toBe(2);
		expect(report.counts.inbox).toBe(5);
		const sunday = await store.listSummaries({ kinds: ['visit'] });
		for (const rep of ['u-rep1', 'u-rep2', 'u-rep3']) {
			expect(sunday.filter((visit) => visit.owner === rep && visit.day === '2025-03-16').length, rep).toBeGreaterThan(0);
		}
		expect(sunday.some((visit) => visit.day === '2025-03-15')).toBe(false);
	});
});
