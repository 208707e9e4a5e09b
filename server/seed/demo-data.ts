import * as Y from 'yjs';
import {
	DOC_KINDS,
	createAccount,
	createCatalog,
	createInbox,
	createOrder,
	createStock,
	createVisit,
	docName,
	summarizeDocument,
	writeAllocation,
	type AccountLookup,
	type AccountStatus,
	type ContactInit,
	type DocKind,
	type DocName,
	type OrderLineInit,
	type VisitInit,
	type VisitTaskInit
} from '../../src/lib/model/index';
import { hashPassword } from '../auth/passwords';
import type { DocumentStore, DocumentSummary, Role } from '../store/document-store';
import {
	ACCOUNT_NOTES,
	CITY_BOUNDS,
	CONTACT_ROLES,
	FIRST_NAMES,
	NEIGHBOURHOODS,
	PLACE_SUFFIXES,
	SHOP_TYPES,
	SURNAMES,
	TERRITORIES,
	WAREHOUSES,
	warehouseFor,
	type Neighbourhood,
	type Territory
} from './lyon';
import { buildCatalog, type CatalogEntry } from './products';
import { createRandom, type Random } from './random';

/**
 * Demo data for an empty store: a believable Lyon sales territory with accounts,
 * a catalog, two warehouses, users and three weeks of visits around `today`, so a
 * fresh `npm start` shows a working day instead of empty screens.
 */

export const DEMO_PASSWORD = 'demo';
export const DEFAULT_SEED_ACCOUNTS = 150;
export const DEFAULT_SEED = 1;
export const PRICE_LIST = 'standard';
/** Documents per store.write: large enough to be quick, small enough to keep each transaction short. */
export const SEED_BATCH_SIZE = 250;

export interface DemoUser {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	territories: string[];
}

const ALL_TERRITORIES = TERRITORIES.map((territory) => territory.id);

export const DEMO_USERS: readonly DemoUser[] = [
	{ id: 'u-rep1', username: 'rep1', displayName: 'Camille Martin (rep1)', role: 'rep', territories: ['lyon-north'] },
	{ id: 'u-rep2', username: 'rep2', displayName: 'Julien Bernard (rep2)', role: 'rep', territories: ['lyon-centre'] },
	{ id: 'u-rep3', username: 'rep3', displayName: 'Sophie Laurent (rep3)', role: 'rep', territories: ['lyon-south'] },
	{ id: 'u-manager1', username: 'manager1', displayName: 'Isabelle Moreau (manager1)', role: 'manager', territories: ALL_TERRITORIES },
	{ id: 'u-admin', username: 'admin', displayName: 'Thomas Petit (admin)', role: 'admin', territories: ALL_TERRITORIES }
];

export interface SeedOptions {
	/** Number of accounts, spread evenly over the territories. */
	accounts?: number;
	/** The day the visit plan is centred on (its UTC date); defaults to now. */
	today?: Date;
	/** Same seed, same shops, routes and orders. */
	seed?: number;
}

export interface DemoLogin {
	username: string;
	password: string;
	role: Role;
	territories: string[];
}

export interface SeedReport {
	counts: Record<DocKind, number>;
	users: DemoLogin[];
}

export async function seedDemoData(store: DocumentStore, options: SeedOptions = {}): Promise<SeedReport> {
	const random = createRandom(options.seed ?? DEFAULT_SEED);
	const today = isoDay(options.today ?? new Date());
	const writer = new SeedWriter(store, new Date().toISOString());

	const catalog = buildCatalog(random);
	await writeCatalogAndStock(writer, random, catalog);
	const accounts = await writeAccounts(writer, random, options.accounts ?? DEFAULT_SEED_ACCOUNTS);
	const todaysVisits = new Map<string, number>();
	for (const user of DEMO_USERS.filter((candidate) => candidate.role === 'rep')) {
		const territory = user.territories[0];
		const pool = accounts.filter((account) => account.territory === territory && account.status === 'active');
		todaysVisits.set(user.id, await writeRoute(writer, random, { user, pool, today, catalog }));
	}
	await writeUsers(store, writer, today, todaysVisits);
	await writer.flush();
	await store.putMeta('demo-data', JSON.stringify({ seed: options.seed ?? DEFAULT_SEED, today, accounts: accounts.length }));

	return {
		counts: writer.counts,
		users: DEMO_USERS.map(({ username, role, territories }) => ({ username, password: DEMO_PASSWORD, role, territories }))
	};
}

/** Collects documents and their summaries and writes them in batches. */
class SeedWriter {
	readonly counts = Object.fromEntries(DOC_KINDS.map((kind) => [kind, 0])) as Record<DocKind, number>;
	readonly #accounts = new Map<string, AccountLookup>();
	#pending: Array<{ docName: string; update: Uint8Array; summary: DocumentSummary }> = [];

	constructor(
		private readonly store: DocumentStore,
		private readonly updatedAt: string
	) {}

	async add(name: DocName, doc: Y.Doc): Promise<void> {
		const fields = summarizeDocument(name, doc, (accountId) => this.#accounts.get(accountId));
		if (fields.kind === 'account') {
			this.#accounts.set(name.slice('account:'.length), { territory: fields.territory, title: fields.title });
		}
		this.counts[fields.kind]++;
		this.#pending.push({
			docName: name,
			update: Y.encodeStateAsUpdate(doc),
			summary: { name, ...fields, updatedAt: this.updatedAt }
		});
		doc.destroy();
		if (this.#pending.length >= SEED_BATCH_SIZE) await this.flush();
	}

	async flush(): Promise<void> {
		if (this.#pending.length === 0) return;
		const batch = this.#pending;
		this.#pending = [];
		await this.store.write({
			updates: batch.map(({ docName, update }) => ({ docName, update })),
			summaries: batch.map(({ summary }) => summary)
		});
	}
}

// ---------------------------------------------------------------- catalog, stock

async function writeCatalogAndStock(writer: SeedWriter, random: Random, catalog: CatalogEntry[]): Promise<void> {
	const doc = new Y.Doc();
	createCatalog(doc, {
		products: Object.fromEntries(catalog.map(({ sku, name, unit, price, active }) => [sku, { name, unit, price, active }]))
	});
	await writer.add(docName('catalog', PRICE_LIST), doc);

	for (const warehouse of WAREHOUSES) {
		const stock = new Y.Doc();
		const onHand: Record<string, number> = {};
		for (const product of catalog) {
			onHand[product.sku] = !product.active
				? 0
				: random.weighted<() => number>([
						[() => 0, 4],
						[() => random.int(1, 20), 16],
						[() => random.int(21, 600), 80]
					])();
		}
		createStock(stock, { onHand });
		await writer.add(docName('stock', warehouse), stock);
	}
}

// ---------------------------------------------------------------- accounts

interface SeededAccount {
	id: string;
	name: string;
	territory: string;
	status: AccountStatus;
	warehouse: string;
	lat: number;
	lng: number;
}

async function writeAccounts(writer: SeedWriter, random: Random, count: number): Promise<SeededAccount[]> {
	const usedNames = new Set<string>();
	const accounts: SeededAccount[] = [];
	const width = Math.max(4, String(count).length);
	for (let i = 0; i < count; i++) {
		const territory = TERRITORIES[i % TERRITORIES.length] as Territory;
		const place = random.pick(NEIGHBOURHOODS.filter((candidate) => candidate.territory === territory.id));
		const id = `acc-${String(i + 1).padStart(width, '0')}`;
		const name = shopName(random, place, usedNames);
		const slug = slugify(name);
		const { lat, lng } = scatter(random, place, territory);
		const status = random.weighted<AccountStatus>([
			['active', 88],
			['on_hold', 8],
			['archived', 4]
		]);
		const warehouse = warehouseFor(lng);
		const contacts: ContactInit[] = [];
		for (let k = 1, n = random.int(1, 3); k <= n; k++) contacts.push(contactFor(random, `${id}-c${k}`, slug, k === 1));

		const doc = new Y.Doc();
		createAccount(doc, {
			name,
			address: `${random.int(1, 140)} ${random.pick(place.streets)}`,
			city: place.city,
			postalCode: place.postalCode,
			phone: landline(random),
			email: shopEmail(random, slug),
			lat,
			lng,
			territory: territory.id,
			status,
			priceList: PRICE_LIST,
			warehouse,
			creditLimit: random.pick([2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 25_000]) * 100,
			notes: random.chance(0.45) ? random.sample(ACCOUNT_NOTES, random.int(1, 2)).join(' ') : '',
			contacts
		});
		await writer.add(docName('account', id), doc);
		accounts.push({ id, name, territory: territory.id, status, warehouse, lat, lng });
	}
	return accounts;
}

function shopName(random: Random, place: Neighbourhood, used: Set<string>): string {
	for (let attempt = 0; attempt < 20; attempt++) {
		const type = random.weighted(SHOP_TYPES);
		const name = random.weighted<() => string>([
			[() => `${type} ${random.pick(SURNAMES)}`, 45],
			[() => `${type} ${random.pick(PLACE_SUFFIXES)}`, 40],
			[() => `Chez ${random.pick(FIRST_NAMES)}`, 15]
		])();
		if (!used.has(name)) {
			used.add(name);
			return name;
		}
	}
	// Crowded name space (thousands of accounts): tell twins apart the way locals do, by area.
	let name = `${random.weighted(SHOP_TYPES)} ${random.pick(SURNAMES)} (${place.name})`;
	for (let n = 2; used.has(name); n++) name = `${random.weighted(SHOP_TYPES)} ${random.pick(SURNAMES)} ${n} (${place.name})`;
	used.add(name);
	return name;
}

/** Spread around the neighbourhood centre, kept inside the territory band and the city box. */
function scatter(random: Random, place: Neighbourhood, territory: Territory): { lat: number; lng: number } {
	const bell = (): number => random.next() + random.next() + random.next() - 1.5;
	const lat = clamp(place.lat + bell() * 0.008, Math.max(territory.latMin, CITY_BOUNDS.south + 0.001), Math.min(territory.latMax, CITY_BOUNDS.north - 0.001));
	const lng = clamp(place.lng + bell() * 0.012, CITY_BOUNDS.west + 0.001, CITY_BOUNDS.east - 0.001);
	return { lat: round(lat, 6), lng: round(lng, 6) };
}

function contactFor(random: Random, id: string, shopSlug: string, first: boolean): ContactInit {
	const firstName = random.pick(FIRST_NAMES);
	const surname = random.pick(SURNAMES);
	const role = first ? random.pick(['Owner', 'Manager']) : random.weighted(CONTACT_ROLES);
	return {
		id,
		name: `${firstName} ${surname}`,
		role,
		phone: random.chance(0.75) ? mobile(random) : '',
		email: random.chance(0.6) ? `${slugify(firstName)}.${slugify(surname)}@${shopSlug}.fr` : ''
	};
}

function landline(random: Random): string {
	return `04 ${random.pick(['78', '72', '37', '26'])} ${pairs(random, 3)}`;
}

function mobile(random: Random): string {
	return `0${random.pick(['6', '7'])} ${pairs(random, 4)}`;
}

function pairs(random: Random, n: number): string {
	return Array.from({ length: n }, () => String(random.int(0, 99)).padStart(2, '0')).join(' ');
}

function shopEmail(random: Random, slug: string): string {
	return random.weighted<string>([
		[`contact@${slug}.fr`, 60],
		[`${slug.replaceAll('-', '.')}@orange.fr`, 20],
		[`${slug}@gmail.com`, 20]
	]);
}

function slugify(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------- visits and orders

const TASK_TITLES = [
	'Check shelf facings',
	'Bring the new price list',
	'Collect the overdue invoice',
	'Install the summer display',
	'Present the alcohol-free range',
	'Photograph the drinks fridge',
	'Confirm the delivery slot',
	'Introduce the Lyon craft IPA',
	'Check best-before dates on soft drinks',
	'Ask when the terrace opens'
] as const;

const REPORT_EXTRAS = [
	'Owner happy with the last delivery.',
	'Asked about the summer promotion.',
	'Shelf facings fine.',
	'Fridge half empty; suggested a bigger soft drink order next time.',
	'Complained about a late delivery last week.',
	'Interested in the Beaujolais crus for the autumn.',
	''
] as const;

const SKIP_REPORTS = [
	'Shop closed (annual leave).',
	'Ran out of time; moved to next week.',
	'Owner asked to postpone the visit.',
	'Roadworks blocked access; rescheduled.'
] as const;

interface RoutePlan {
	user: DemoUser;
	pool: SeededAccount[];
	today: string;
	catalog: CatalogEntry[];
}

/** Writes one rep's visits (and orders from past visits); returns how many visits fall on today. */
async function writeRoute(writer: SeedWriter, random: Random, plan: RoutePlan): Promise<number> {
	const { user, pool, today, catalog } = plan;
	if (pool.length === 0) return 0;
	const products = catalog.filter((product) => product.active);
	const rotation = new Rotation(random, pool);
	let todays = 0;

	for (const day of planDays(today)) {
		const stops = nearestNeighbourRoute(rotation.take(Math.min(random.int(5, 8), pool.length)));
		let clock = Date.parse(`${day}T07:30:00.000Z`) + random.int(0, 15) * MINUTE;
		for (const [index, account] of stops.entries()) {
			const sequence = index + 1;
			const id = `v-${user.username}-${day}-${sequence}`;
			const tasks: VisitTaskInit[] = random.chance(0.4)
				? random.sample(TASK_TITLES, random.int(1, 2)).map((title, t) => ({ id: `${id}-t${t + 1}`, title }))
				: [];
			let result: Partial<VisitInit> = {};

			if (day < today) {
				if (random.chance(0.15)) {
					result = { status: 'skipped', outcome: 'not_visited', report: random.pick(SKIP_REPORTS) };
				} else {
					const checkIn = clock;
					const checkOut = checkIn + random.int(15, 40) * MINUTE;
					clock = checkOut + random.int(10, 30) * MINUTE;
					const outcome = random.weighted<string>([
						['order_taken', 55],
						['no_order', 30],
						['follow_up', 15]
					]);
					let lines: OrderLineInit[] = [];
					if (outcome === 'order_taken') {
						lines = random.sample(products, random.int(1, 6)).map((product, l) => ({
							id: `l${l + 1}`,
							sku: product.sku,
							qty: random.int(1, 10),
							unitPrice: product.price
						}));
						await writeOrder(writer, random, {
							id: `o-${user.username}-${day}-${sequence}`,
							account,
							repId: user.id,
							createdAt: new Date(checkOut - 2 * MINUTE).toISOString(),
							confirmed: daysBetween(day, today) > 2,
							lines
						});
					}
					result = {
						status: 'completed',
						checkInAt: new Date(checkIn).toISOString(),
						checkInLat: round(account.lat + random.float(-0.0003, 0.0003), 6),
						checkInLng: round(account.lng + random.float(-0.0003, 0.0003), 6),
						checkOutAt: new Date(checkOut).toISOString(),
						outcome,
						report: visitReportText(random, outcome, lines.length),
						tasks: tasks.map((task) => ({ ...task, done: random.chance(0.8) }))
					};
				}
			} else if (day === today) {
				todays++;
			}

			const doc = new Y.Doc();
			createVisit(doc, { accountId: account.id, repId: user.id, plannedDate: day, sequence, tasks, ...result });
			await writer.add(docName('visit', id), doc);
		}
	}
	return todays;
}

function visitReportText(random: Random, outcome: string, lines: number): string {
	const extra = random.pick(REPORT_EXTRAS);
	const main =
		outcome === 'order_taken'
			? `Order taken, ${lines} ${lines === 1 ? 'line' : 'lines'}.`
			: outcome === 'no_order'
				? 'Stock still sufficient, no order this time.'
				: 'Buyer not available; call back later this week.';
	return extra ? `${main} ${extra}` : main;
}

interface SeedOrder {
	id: string;
	account: SeededAccount;
	repId: string;
	createdAt: string;
	/** Older orders have been through reconciliation already; recent ones are still waiting. */
	confirmed: boolean;
	lines: OrderLineInit[];
}

async function writeOrder(writer: SeedWriter, random: Random, order: SeedOrder): Promise<void> {
	const doc = new Y.Doc();
	createOrder(doc, {
		accountId: order.account.id,
		repId: order.repId,
		createdAt: order.createdAt,
		status: order.confirmed ? 'confirmed' : 'submitted',
		warehouse: order.account.warehouse,
		priceList: PRICE_LIST,
		poNumber: random.chance(0.35) ? `PO-${random.int(10_000, 99_999)}` : null,
		lines: order.lines
	});
	if (order.confirmed) {
		const at = new Date(Date.parse(order.createdAt) + random.int(30, 180) * MINUTE).toISOString();
		for (const line of order.lines) {
			if (line.id) writeAllocation(doc, line.id, { confirmed: line.qty, backordered: 0, reason: null, at });
		}
	}
	await writer.add(docName('order', order.id), doc);
}

/** Hands out accounts in a shuffled cycle so every account gets visited before any gets a second visit. */
class Rotation {
	#queue: SeededAccount[] = [];
	constructor(
		private readonly random: Random,
		private readonly pool: SeededAccount[]
	) {}

	take(n: number): SeededAccount[] {
		const taken: SeededAccount[] = [];
		while (taken.length < n) {
			if (this.#queue.length === 0) this.#queue = this.random.shuffle(this.pool);
			const next = this.#queue.shift() as SeededAccount;
			// Skip a repeat within one day (possible right after a reshuffle); it comes round again.
			if (taken.includes(next)) {
				this.#queue.push(next);
				if (this.#queue.every((account) => taken.includes(account))) break;
				continue;
			}
			taken.push(next);
		}
		return taken;
	}
}

/** Greedy route from the stop closest to the city centre: good enough to look like a planned day. */
function nearestNeighbourRoute(stops: SeededAccount[]): SeededAccount[] {
	const remaining = [...stops];
	const route: SeededAccount[] = [];
	let here = { lat: 45.7578, lng: 4.832 };
	while (remaining.length > 0) {
		let best = 0;
		for (let i = 1; i < remaining.length; i++) {
			if (distance(here, remaining[i] as SeededAccount) < distance(here, remaining[best] as SeededAccount)) best = i;
		}
		const [next] = remaining.splice(best, 1) as [SeededAccount];
		route.push(next);
		here = next;
	}
	return route;
}

function distance(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	// Longitude degrees are shorter at Lyon's latitude; cos(45.75°) ≈ 0.70.
	return Math.hypot(a.lat - b.lat, (a.lng - b.lng) * 0.7);
}

// ---------------------------------------------------------------- users and inboxes

async function writeUsers(
	store: DocumentStore,
	writer: SeedWriter,
	today: string,
	todaysVisits: Map<string, number>
): Promise<void> {
	const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
	for (const [index, user] of DEMO_USERS.entries()) {
		await store.putUser({ ...user, territories: [...user.territories], passwordHash: hashes[index] as string });
		const firstName = user.displayName.split(' ')[0] ?? user.username;
		const doc = new Y.Doc();
		createInbox(doc, {
			messages: [
				{
					id: 'welcome',
					kind: 'welcome',
					title: `Welcome to Outrider, ${firstName}`,
					body: welcomeBody(user, todaysVisits.get(user.id) ?? 0),
					at: `${today}T06:00:00.000Z`
				}
			]
		});
		await writer.add(docName('inbox', user.id), doc);
	}
}

function welcomeBody(user: DemoUser, visitsToday: number): string {
	const offline = 'Everything works without signal; your changes sync when you are back online.';
	switch (user.role) {
		case 'rep':
			return `You have ${visitsToday} visits planned today in ${territoryName(user.territories[0])}. Open Today to start your route. ${offline}`;
		case 'manager':
			return `You manage ${user.territories.map(territoryName).join(', ')}. Plan visits, adjust credit limits and review conflicts from the office. ${offline}`;
		case 'admin':
			return 'You can manage users, the catalog and stock for every territory.';
	}
}

function territoryName(id: string | undefined): string {
	return TERRITORIES.find((territory) => territory.id === id)?.name ?? id ?? 'your territory';
}

// ---------------------------------------------------------------- dates and numbers

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function isoDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
	return isoDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY));
}

function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY);
}

/** Working days from a week before to two weeks after; today always, so a weekend demo still has a route. */
export function planDays(today: string): string[] {
	const days: string[] = [];
	for (let offset = -7; offset <= 14; offset++) {
		const day = addDays(today, offset);
		const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
		if (offset === 0 || (weekday !== 0 && weekday !== 6)) days.push(day);
	}
	return days;
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}

function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
