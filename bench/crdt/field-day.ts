/**
 * The content both CRDT libraries are measured on, as plain data in our
 * document contract's shapes: every rep's accounts (contacts, notes), visits
 * (report, tasks) and orders (lines, allocations) as the server holds them in
 * the morning, and the day each rep then works offline, down to the
 * keystroke, as the app writes it. Seeded, so every run and both libraries
 * see the same day.
 */
import type { Allocation, OrderFields, VisitFields } from '../../src/lib/model/index';
import { createRandom, type Random } from '../../server/seed/random';

export type Scalar = string | number | boolean | null;
export type RecordValues = Record<string, Scalar>;

/** Which shared types a kind has, by our contract: maps of scalars, texts, arrays of records. */
export const SHAPES = {
	account: { text: 'notes', list: 'contacts' },
	visit: { text: 'report', list: 'tasks' },
	order: { text: null, list: 'lines' }
} as const;

export type Kind = keyof typeof SHAPES;

/** One document as the server holds it: every field written, nested records with their ids. */
export interface DocContent {
	name: string;
	kind: Kind;
	fields: RecordValues;
	/** The document's text (an account's notes, a visit's report); orders have none. */
	text: string | null;
	records: RecordValues[];
	/** An order's allocations by line id (written by the server). */
	allocation: Record<string, Allocation>;
}

/** One thing a rep does on the device, in the app's granularity. */
export type Edit =
	/** A form save: the changed fields of the document's `fields` map, in one transaction. */
	| { kind: 'set'; doc: string; values: RecordValues }
	/** Typing at the end of the document's text, one keystroke per transaction, as the text area writes. */
	| { kind: 'type'; doc: string; chars: string }
	/** A new contact, task or order line. */
	| { kind: 'add'; doc: string; record: RecordValues }
	/** Changing some fields of one nested record (a line's quantity, a task ticked). */
	| { kind: 'update'; doc: string; id: string; values: RecordValues }
	/** A new document made on the device (an order taken at a visit). */
	| { kind: 'create'; content: DocContent };

export interface RepDay {
	rep: string;
	/** The documents the rep's device holds in the morning. */
	docs: string[];
	edits: Edit[];
}

export interface FieldDay {
	/** Every document on the server in the morning. */
	server: DocContent[];
	reps: RepDay[];
}

export interface FieldDaySize {
	reps: number;
	accountsPerRep: number;
	pastVisitsPerRep: number;
	visitsToday: number;
	pastOrdersPerRep: number;
	/** Orders the rep takes today, at the first visits of the route. */
	ordersToday: number;
	/** Accounts the rep edits today (phone, a line of notes, a new contact). */
	accountEditsToday: number;
}

export const FULL_DAY: FieldDaySize = { reps: 50, accountsPerRep: 40, pastVisitsPerRep: 30, visitsToday: 6, pastOrdersPerRep: 15, ordersToday: 3, accountEditsToday: 2 };
export const QUICK_DAY: FieldDaySize = { reps: 10, accountsPerRep: 20, pastVisitsPerRep: 10, visitsToday: 6, pastOrdersPerRep: 5, ordersToday: 3, accountEditsToday: 2 };

const TODAY = '2026-03-16';
const SHOPS = ['Boulangerie', 'Épicerie', 'Cave', 'Fromagerie', 'Bistrot', 'Pharmacie', 'Supérette', 'Primeur', 'Traiteur', 'Librairie'];
const NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia'];
const FIRST = ['Camille', 'Louis', 'Emma', 'Hugo', 'Léa', 'Jules', 'Chloé', 'Lucas', 'Manon', 'Arthur', 'Inès', 'Paul'];
const STREETS = ['rue de la République', 'avenue Jean Jaurès', 'cours Lafayette', 'rue Victor Hugo', 'quai Saint-Antoine', 'rue Mercière', 'boulevard des Brotteaux'];
const ROLES = ['owner', 'manager', 'buyer', 'cashier', 'assistant'];
const WORDS = (
	'shelf facings fine stock low on the best sellers owner asked about the spring promotion delivery came late last week ' +
	'wants a tasting day next month cooler display needs a new label two cases short on the last order price list questions ' +
	'competitor visited on monday new staff at the counter check again before the holidays back door for deliveries after ten ' +
	'interested in the organic range asked for samples window display updated payment terms discussed happy with the service'
).split(' ');
const TASKS = ['Check shelf facings', 'Photograph the display', 'Collect the signed delivery note', 'Present the spring promotion', 'Count the returns'];
const SKUS = Array.from({ length: 120 }, (_, i) => ({ sku: `SKU-${String(1000 + i)}`, price: 150 + ((i * 37) % 40) * 25 }));

export function buildFieldDay(size: FieldDaySize, seed = 1): FieldDay {
	const random = createRandom(seed * 104_729 + 7);
	const server: DocContent[] = [];
	const reps: RepDay[] = [];
	for (let r = 0; r < size.reps; r++) {
		const rep = `u-rep${r}`;
		const accounts = Array.from({ length: size.accountsPerRep }, (_, i) => account(random, r, i));
		const pastVisits = Array.from({ length: size.pastVisitsPerRep }, (_, i) => pastVisit(random, rep, r, i, random.pick(accounts)));
		const route = random.sample(accounts, size.visitsToday);
		const todayVisits = route.map((a, i) => plannedVisit(random, rep, r, i, a));
		const pastOrders = Array.from({ length: size.pastOrdersPerRep }, (_, i) => pastOrder(random, rep, r, i, random.pick(accounts)));
		const mine = [...accounts, ...pastVisits, ...todayVisits, ...pastOrders];
		server.push(...mine);
		reps.push({ rep, docs: mine.map((d) => d.name), edits: dayOf(random, rep, r, size, todayVisits, random.sample(accounts, size.accountEditsToday)) });
	}
	return { server, reps };
}

function dayOf(random: Random, rep: string, r: number, size: FieldDaySize, route: DocContent[], edited: DocContent[]): Edit[] {
	const edits: Edit[] = [];
	let clock = Date.parse(`${TODAY}T07:45:00.000Z`);
	for (const [i, visit] of route.entries()) {
		clock += random.int(15, 35) * MINUTE;
		const accountId = String(visit.fields.accountId);
		edits.push({
			kind: 'set',
			doc: visit.name,
			values: { status: 'checked_in', checkInAt: iso(clock), checkInLat: coordinate(random, 45.76), checkInLng: coordinate(random, 4.84) }
		});
		for (const task of visit.records) edits.push({ kind: 'update', doc: visit.name, id: String(task.id), values: { done: true } });
		edits.push({ kind: 'type', doc: visit.name, chars: sentences(random, random.int(150, 350)) });
		if (i < size.ordersToday) {
			const name = `order:o-r${r}-t${i}`;
			const lines = random.sample(SKUS, random.int(2, 6));
			edits.push({ kind: 'create', content: orderContent(name, { accountId, repId: rep, createdAt: iso(clock + 10 * MINUTE), status: 'draft', poNumber: null }, [], {}) });
			for (const [l, product] of lines.entries()) edits.push({ kind: 'add', doc: name, record: { id: `l${l + 1}`, sku: product.sku, qty: random.int(1, 12), unitPrice: product.price } });
			edits.push({ kind: 'update', doc: name, id: 'l1', values: { qty: random.int(13, 24) } });
			edits.push({ kind: 'set', doc: name, values: { status: 'submitted', poNumber: `PO-${random.int(10_000, 99_999)}` } });
		}
		clock += random.int(15, 40) * MINUTE;
		edits.push({ kind: 'set', doc: visit.name, values: { status: 'completed', checkOutAt: iso(clock), outcome: i < size.ordersToday ? 'order_taken' : 'no_order' } });
	}
	for (const [i, account] of edited.entries()) {
		edits.push({ kind: 'set', doc: account.name, values: { phone: phone(random) } });
		edits.push({ kind: 'type', doc: account.name, chars: ` ${sentences(random, random.int(40, 100))}` });
		edits.push({ kind: 'add', doc: account.name, record: contact(random, `c-r${r}-new${i}`) });
	}
	return edits;
}

function account(random: Random, r: number, i: number): DocContent {
	const id = `a-r${r}-${i}`;
	const owner = random.pick(NAMES);
	return {
		name: `account:${id}`,
		kind: 'account',
		fields: {
			name: `${random.pick(SHOPS)} ${owner}`,
			address: `${random.int(1, 180)} ${random.pick(STREETS)}`,
			city: 'Lyon',
			postalCode: `6900${random.int(1, 9)}`,
			phone: phone(random),
			email: `${owner.toLowerCase()}${random.int(1, 99)}@example.fr`,
			lat: coordinate(random, 45.76),
			lng: coordinate(random, 4.84),
			territory: `t${r}`,
			status: 'active',
			priceList: 'standard',
			warehouse: random.pick(['east', 'west']),
			creditLimit: random.int(10, 200) * 10_000
		},
		text: sentences(random, random.int(80, 300)),
		records: Array.from({ length: random.int(1, 4) }, (_, c) => contact(random, `c-r${r}-${i}-${c}`)),
		allocation: {}
	};
}

function contact(random: Random, id: string): RecordValues {
	const name = `${random.pick(FIRST)} ${random.pick(NAMES)}`;
	return { id, name, role: random.pick(ROLES), phone: phone(random), email: `${name.split(' ')[0]?.toLowerCase() ?? 'contact'}@example.fr` };
}

type VisitBase = Pick<VisitFields, 'accountId' | 'repId' | 'plannedDate' | 'sequence' | 'status' | 'checkInAt' | 'checkInLat' | 'checkInLng' | 'checkOutAt' | 'outcome'>;

function visitContent(name: string, fields: VisitBase, report: string, tasks: RecordValues[]): DocContent {
	return { name, kind: 'visit', fields: { ...fields }, text: report, records: tasks, allocation: {} };
}

function pastVisit(random: Random, rep: string, r: number, i: number, account: DocContent): DocContent {
	const day = addDays(TODAY, -(1 + Math.floor(i / 5)));
	const checkIn = Date.parse(`${day}T08:00:00.000Z`) + random.int(0, 9 * 60) * MINUTE;
	return visitContent(
		`visit:v-r${r}-p${i}`,
		{
			accountId: account.name.slice('account:'.length),
			repId: rep,
			plannedDate: day,
			sequence: (i % 5) + 1,
			status: 'completed',
			checkInAt: iso(checkIn),
			checkInLat: coordinate(random, 45.76),
			checkInLng: coordinate(random, 4.84),
			checkOutAt: iso(checkIn + random.int(15, 40) * MINUTE),
			outcome: random.pick(['order_taken', 'no_order', 'follow_up'])
		},
		sentences(random, random.int(100, 400)),
		random.chance(0.5) ? [{ id: `t-r${r}-p${i}`, title: random.pick(TASKS), done: true }] : []
	);
}

function plannedVisit(random: Random, rep: string, r: number, i: number, account: DocContent): DocContent {
	return visitContent(
		`visit:v-r${r}-t${i}`,
		{
			accountId: account.name.slice('account:'.length),
			repId: rep,
			plannedDate: TODAY,
			sequence: i + 1,
			status: 'planned',
			checkInAt: null,
			checkInLat: null,
			checkInLng: null,
			checkOutAt: null,
			outcome: null
		},
		'',
		Array.from({ length: random.int(1, 2) }, (_, t) => ({ id: `t-r${r}-t${i}-${t}`, title: random.pick(TASKS), done: false }))
	);
}

type OrderBase = Pick<OrderFields, 'accountId' | 'repId' | 'createdAt' | 'status' | 'poNumber'>;

function orderContent(name: string, base: OrderBase, lines: RecordValues[], allocation: Record<string, Allocation>): DocContent {
	return { name, kind: 'order', fields: { ...base, warehouse: 'east', priceList: 'standard' }, text: null, records: lines, allocation };
}

function pastOrder(random: Random, rep: string, r: number, i: number, account: DocContent): DocContent {
	const createdAt = Date.parse(`${addDays(TODAY, -(1 + i))}T10:00:00.000Z`) + random.int(0, 6 * 60) * MINUTE;
	const lines = random.sample(SKUS, random.int(2, 8)).map((p, l) => ({ id: `l${l + 1}`, sku: p.sku, qty: random.int(1, 12), unitPrice: p.price }));
	const at = iso(createdAt + random.int(30, 180) * MINUTE);
	const allocation = Object.fromEntries(lines.map((l) => [l.id, { confirmed: l.qty, backordered: 0, reason: null, at }]));
	return orderContent(
		`order:o-r${r}-p${i}`,
		{ accountId: account.name.slice('account:'.length), repId: rep, createdAt: iso(createdAt), status: 'confirmed', poNumber: random.chance(0.35) ? `PO-${random.int(10_000, 99_999)}` : null },
		lines,
		allocation
	);
}

/** Words of the field-notes vocabulary up to about `length` characters, as a rep types them. */
function sentences(random: Random, length: number): string {
	let text = '';
	while (text.length < length) {
		const sentence = Array.from({ length: random.int(5, 12) }, () => random.pick(WORDS)).join(' ');
		text += `${text ? ' ' : ''}${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
	}
	return text;
}

function phone(random: Random): string {
	return `04 7${random.int(0, 9)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}`;
}

function coordinate(random: Random, centre: number): number {
	return Math.round((centre + random.float(-0.03, 0.03)) * 1e6) / 1e6;
}

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 24 * 60 * MINUTE).toISOString().slice(0, 10);
}

/** How many of each edit kind a day holds, and the keystrokes. */
export function countEdits(day: FieldDay): Record<string, number> {
	const counts: Record<string, number> = { keystrokes: 0 };
	for (const rep of day.reps) {
		for (const edit of rep.edits) {
			counts[edit.kind] = (counts[edit.kind] ?? 0) + 1;
			if (edit.kind === 'type') counts.keystrokes = (counts.keystrokes ?? 0) + edit.chars.length;
		}
	}
	return counts;
}
