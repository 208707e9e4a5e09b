import * as Y from 'yjs';
import { createAccount, createCatalog, createInbox, createStock, createVisit, summarizeDocument } from '../../src/lib/model';
import { localDay } from '../../src/lib/ui/clock-time';
import { hashPassword } from '../../server/auth/passwords';
import type { DocumentStore, UserRecord } from '../../server/store/document-store';

/**
 * A small, explicit world for relay tests: two territories, one rep in each, a
 * manager and an admin, an account per territory, a catalog, a warehouse.
 */
/** The day the fixture's visits are planned for: today, as the app (and the rep) reads the clock. */
export const TODAY = localDay(new Date());
export const PASSWORD = 'secret-pass';

export const USERS = {
	repNorth: { id: 'u-rep-north', username: 'rep-north', displayName: 'Rep North', role: 'rep', territories: ['north'] },
	repSouth: { id: 'u-rep-south', username: 'rep-south', displayName: 'Rep South', role: 'rep', territories: ['south'] },
	manager: { id: 'u-manager', username: 'manager', displayName: 'Manager', role: 'manager', territories: ['north', 'south'] },
	admin: { id: 'u-admin', username: 'admin', displayName: 'Admin', role: 'admin', territories: [] }
} as const satisfies Record<string, Omit<UserRecord, 'passwordHash'>>;

export type FixtureUser = keyof typeof USERS;

/** Where the fixture's stores are (Lyon), for maps and check-ins. */
export const PLACES = {
	north1: { lat: 45.779, lng: 4.829 },
	south1: { lat: 45.722, lng: 4.833 }
} as const;

function build(name: string, fill: (doc: Y.Doc) => void): { name: string; doc: Y.Doc } {
	const doc = new Y.Doc();
	fill(doc);
	return { name, doc };
}

export async function writeFixture(store: DocumentStore): Promise<void> {
	const hash = await hashPassword(PASSWORD);
	for (const user of Object.values(USERS)) await store.putUser({ ...user, territories: [...user.territories], passwordHash: hash });

	const docs = [
		build('account:north-1', (d) => createAccount(d, { name: 'Boulangerie du Nord', territory: 'north', priceList: 'standard', warehouse: 'east', phone: '+33 4 00 00 00 01', ...PLACES.north1 })),
		build('account:south-1', (d) => createAccount(d, { name: 'Épicerie du Sud', territory: 'south', priceList: 'standard', warehouse: 'east', ...PLACES.south1 })),
		build('visit:north-1-today', (d) => createVisit(d, { accountId: 'north-1', repId: USERS.repNorth.id, plannedDate: TODAY, sequence: 1 })),
		build('visit:north-1-later', (d) => createVisit(d, { accountId: 'north-1', repId: USERS.repNorth.id, plannedDate: '2026-12-01', sequence: 1 })),
		build('catalog:standard', (d) => createCatalog(d, { products: { 'BEV-0001': { name: 'Sparkling water 1 L', unit: 'bottle', price: 95, active: true } } })),
		build('stock:east', (d) => createStock(d, { onHand: { 'BEV-0001': 40 } })),
		build(`inbox:${USERS.repNorth.id}`, (d) => createInbox(d)),
		build(`inbox:${USERS.repSouth.id}`, (d) => createInbox(d))
	];
	const accounts = new Map([
		['north-1', { territory: 'north', title: 'Boulangerie du Nord' }],
		['south-1', { territory: 'south', title: 'Épicerie du Sud' }]
	]);
	const now = new Date().toISOString();
	await store.write({
		updates: docs.map(({ name, doc }) => ({ docName: name, update: Y.encodeStateAsUpdate(doc) })),
		summaries: docs.map(({ name, doc }) => ({ name, ...summarizeDocument(name, doc, (id) => accounts.get(id)), updatedAt: now }))
	});
}
