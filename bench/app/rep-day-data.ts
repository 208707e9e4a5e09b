/**
 * Data directories for the app benchmark: the demo data, and for the first
 * sign-in a rep whose history is topped up to the figures (50 accounts,
 * 300 visits, 200 orders), written straight to the store as the relay would
 * have persisted them.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import {
	createOrder,
	createVisit,
	docName,
	readCatalog,
	summarizeDocument,
	writeAllocation,
	type AccountLookup,
	type OrderLineInit,
	type VisitInit
} from '../../src/lib/model/index';
import { DEMO_USERS, PRICE_LIST, seedDemoData, type SeedReport } from '../../server/seed/demo-data';
import { createRandom, type Random } from '../../server/seed/random';
import type { DocumentStore, DocumentSummary } from '../../server/store/document-store';
import { SqliteStore } from '../../server/store/sqlite-store';

/** The server's store file inside a data directory, as server/store/create-store.ts names it. */
export const STORE_FILE = 'outrider.sqlite';

export interface RepDayOptions {
	/** seedDemoData's account count; a third of them fall in each rep's territory. */
	accounts: number;
	/** The rep whose device is measured (a DEMO_USERS username). */
	rep: string;
	/** Totals the rep should own after the top-up (never lowered below what the demo data made). */
	visits: number;
	orders: number;
	/** YYYY-MM-DD; the demo route is centred on it and the top-up lies before it. */
	today: string;
	seed?: number;
}

export interface SeededCounts {
	/** What the rep's manifest will name, by kind. */
	byKind: Record<string, number>;
	total: number;
}

/** Seeds a fresh SQLite data directory with the demo data only. */
export async function seedDemoDir(dataDir: string, options: { accounts: number; today: string; seed?: number }): Promise<SeedReport> {
	const store = new SqliteStore({ file: join(dataDir, STORE_FILE) });
	await store.open();
	try {
		return await seedDemoData(store, { accounts: options.accounts, today: new Date(`${options.today}T12:00:00.000Z`), seed: options.seed ?? 1 });
	} finally {
		await store.close();
	}
}

/** Seeds a fresh SQLite data directory with the demo data plus the rep's topped-up history. */
export async function seedRepDayDir(dataDir: string, options: RepDayOptions): Promise<void> {
	const store = new SqliteStore({ file: join(dataDir, STORE_FILE) });
	await store.open();
	try {
		await seedDemoData(store, { accounts: options.accounts, today: new Date(`${options.today}T12:00:00.000Z`), seed: options.seed ?? 1 });
		await topUpRepHistory(store, options);
	} finally {
		await store.close();
	}
}

/** What `username`'s device will hold: the documents of their territories plus the shared ones and their inbox. */
export async function countDeviceDocuments(dataDir: string, username: string): Promise<SeededCounts> {
	const store = new SqliteStore({ file: join(dataDir, STORE_FILE) });
	await store.open();
	try {
		const user = await store.getUserByName(username);
		if (!user) throw new Error(`no user ${username} in ${dataDir}`);
		const territory = await store.listSummaries(
			user.role === 'admin' ? { kinds: ['account', 'visit', 'order'] } : { kinds: ['account', 'visit', 'order'], territories: user.territories }
		);
		const shared = await store.listSummaries({ kinds: ['catalog', 'stock'] });
		const inbox = await store.getSummary(`inbox:${user.id}`);
		const byKind: Record<string, number> = {};
		for (const s of [...territory, ...shared, ...(inbox ? [inbox] : [])]) byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
		return { byKind, total: Object.values(byKind).reduce((a, b) => a + b, 0) };
	} finally {
		await store.close();
	}
}

/**
 * Adds completed visits (and the orders taken on them) on working days before
 * the demo route, until the rep owns `visits` visits and `orders` orders.
 */
export async function topUpRepHistory(store: DocumentStore, options: RepDayOptions): Promise<{ visits: number; orders: number }> {
	const user = DEMO_USERS.find((u) => u.username === options.rep);
	if (!user || user.role !== 'rep') throw new Error(`${options.rep} is not a demo rep`);
	const random = createRandom((options.seed ?? 1) * 7919 + 17);

	const accounts = (await store.listSummaries({ kinds: ['account'], territories: user.territories })).filter((a) => a.title);
	if (accounts.length === 0) throw new Error(`${options.rep} has no accounts to visit`);
	const lookup = new Map<string, AccountLookup>(accounts.map((a) => [a.name.slice('account:'.length), { territory: a.territory, title: a.title }]));
	const visitsHave = (await store.listSummaries({ kinds: ['visit'], owner: user.id })).length;
	const ordersHave = (await store.listSummaries({ kinds: ['order'], owner: user.id })).length;
	let visitsLeft = Math.max(0, options.visits - visitsHave);
	let ordersLeft = Math.max(0, options.orders - ordersHave);
	const products = await activeProducts(store);

	const updatedAt = new Date().toISOString();
	let batch: Array<{ name: string; doc: Y.Doc }> = [];
	const flush = async () => {
		if (batch.length === 0) return;
		await store.write({
			updates: batch.map(({ name, doc }) => ({ docName: name, update: Y.encodeStateAsUpdate(doc) })),
			summaries: batch.map(({ name, doc }): DocumentSummary => ({ name, ...summarizeDocument(name, doc, (id) => lookup.get(id)), updatedAt }))
		});
		for (const { doc } of batch) doc.destroy();
		batch = [];
	};
	const add = async (name: string, doc: Y.Doc) => {
		batch.push({ name, doc });
		if (batch.length >= 250) await flush();
	};

	// Start well before the demo data's window (a week back), so ids and days never collide.
	let day = addDays(options.today, -10);
	let addedVisits = 0;
	let addedOrders = 0;
	while (visitsLeft > 0 || ordersLeft > 0) {
		if (isWeekend(day)) {
			day = addDays(day, -1);
			continue;
		}
		const stops = random.sample(accounts, Math.min(random.int(5, 8), accounts.length));
		let clock = Date.parse(`${day}T07:30:00.000Z`) + random.int(0, 15) * MINUTE;
		for (const [index, account] of stops.entries()) {
			if (visitsLeft === 0 && ordersLeft === 0) break;
			const sequence = index + 1;
			const accountId = account.name.slice('account:'.length);
			const checkIn = clock;
			const checkOut = checkIn + random.int(15, 40) * MINUTE;
			clock = checkOut + random.int(10, 30) * MINUTE;
			// Orders are spread so both totals run out together; past the visit total they come without a visit.
			const takeOrder = ordersLeft > 0 && (visitsLeft === 0 || ordersLeft >= visitsLeft || random.chance(ordersLeft / visitsLeft));
			let lines: OrderLineInit[] = [];
			if (takeOrder) {
				lines = random.sample(products, random.int(1, 6)).map((p, l) => ({ id: `l${l + 1}`, sku: p.sku, qty: random.int(1, 10), unitPrice: p.price }));
				await add(
					docName('order', `o-${user.username}-h${day}-${sequence}`),
					orderDoc(random, { accountId, repId: user.id, createdAt: new Date(checkOut - 2 * MINUTE).toISOString(), lines })
				);
				ordersLeft--;
				addedOrders++;
			}
			if (visitsLeft > 0) {
				const init: VisitInit = {
					accountId,
					repId: user.id,
					plannedDate: day,
					sequence,
					status: 'completed',
					checkInAt: new Date(checkIn).toISOString(),
					checkInLat: round(45.77 + random.float(-0.02, 0.02), 6),
					checkInLng: round(4.83 + random.float(-0.03, 0.03), 6),
					checkOutAt: new Date(checkOut).toISOString(),
					outcome: takeOrder ? 'order_taken' : random.pick(['no_order', 'no_order', 'follow_up']),
					report: takeOrder ? `Order taken, ${lines.length} ${lines.length === 1 ? 'line' : 'lines'}. Shelf facings fine.` : 'Stock still sufficient, no order this time.',
					tasks: random.chance(0.4) ? [{ id: `t-${day}-${sequence}`, title: 'Check shelf facings', done: random.chance(0.8) }] : []
				};
				const doc = new Y.Doc();
				createVisit(doc, init);
				await add(docName('visit', `v-${user.username}-h${day}-${sequence}`), doc);
				visitsLeft--;
				addedVisits++;
			}
		}
		day = addDays(day, -1);
	}
	await flush();
	return { visits: addedVisits, orders: addedOrders };
}

function orderDoc(random: Random, o: { accountId: string; repId: string; createdAt: string; lines: OrderLineInit[] }): Y.Doc {
	const doc = new Y.Doc();
	createOrder(doc, {
		accountId: o.accountId,
		repId: o.repId,
		createdAt: o.createdAt,
		status: 'confirmed',
		warehouse: random.pick(['east', 'west']),
		priceList: PRICE_LIST,
		poNumber: random.chance(0.35) ? `PO-${random.int(10_000, 99_999)}` : null,
		lines: o.lines
	});
	// History is reconciled already, as the demo data's older orders are.
	const at = new Date(Date.parse(o.createdAt) + random.int(30, 180) * MINUTE).toISOString();
	for (const line of o.lines) if (line.id) writeAllocation(doc, line.id, { confirmed: line.qty, backordered: 0, reason: null, at });
	return doc;
}

async function activeProducts(store: DocumentStore): Promise<Array<{ sku: string; price: number }>> {
	const doc = new Y.Doc();
	for (const { update } of await store.readUpdates(docName('catalog', PRICE_LIST))) Y.applyUpdate(doc, update);
	const products = Object.entries(readCatalog(doc))
		.filter(([, p]) => p.active)
		.map(([sku, p]) => ({ sku, price: p.price }));
	doc.destroy();
	if (products.length === 0) throw new Error('the catalog has no active product');
	return products;
}

const MINUTE = 60_000;

function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 24 * 60 * MINUTE).toISOString().slice(0, 10);
}

function isWeekend(day: string): boolean {
	const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
	return weekday === 0 || weekday === 6;
}

function round(value: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
}

/** The accounts `username`'s device will list, by id. */
export async function deviceAccounts(dataDir: string, username: string): Promise<Array<{ id: string; title: string }>> {
	const store = new SqliteStore({ file: join(dataDir, STORE_FILE) });
	await store.open();
	try {
		const user = await store.getUserByName(username);
		if (!user) throw new Error(`no user ${username} in ${dataDir}`);
		const accounts = await store.listSummaries(user.role === 'admin' ? { kinds: ['account'] } : { kinds: ['account'], territories: user.territories });
		return accounts.map((a) => ({ id: a.name.slice('account:'.length), title: a.title }));
	} finally {
		await store.close();
	}
}
