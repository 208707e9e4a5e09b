import * as Y from 'yjs';
import { createAccount, createVisit, summarizeDocument } from '../../src/lib/model';
import type { DocumentStore } from '../../server/store/document-store';
import { PLACES, TODAY, USERS } from './fixture';

/**
 * A rep's day for route tests, added to the base fixture: five more stores in the
 * north territory and a visit to four of them (plus north-1's), planned in a zig-zag
 * order the optimiser can shorten.
 */
export const ROUTE_STORES = {
	'north-1': { name: 'Boulangerie du Nord', ...PLACES.north1 },
	'north-2': { name: 'Café des Pentes', lat: 45.7712, lng: 4.8325 },
	'north-3': { name: 'Primeur Hénon', lat: 45.7795, lng: 4.8205 },
	'north-4': { name: 'Tabac de Vaise', lat: 45.7745, lng: 4.8055 },
	'north-5': { name: 'Épicerie Saint-Clair', lat: 45.7905, lng: 4.8475 },
	/** No visit yet: for a manager to plan one. */
	'north-6': { name: 'Fromagerie Croix-Rousse', lat: 45.7768, lng: 4.8262 }
} as const;

export type RouteStoreId = keyof typeof ROUTE_STORES;

/** The day's plan as stored; on the fixture's TODAY, north-1's visit is the fixture's own (sequence 1). */
export const PLANNED_ORDER: RouteStoreId[] = ['north-1', 'north-5', 'north-4', 'north-2', 'north-3'];

export function visitIdFor(store: RouteStoreId, day: string): string {
	return store === 'north-1' && day === TODAY ? 'north-1-today' : `route-${store}-${day}`;
}

export async function writeRouteDay(store: DocumentStore, day: string): Promise<void> {
	const accounts = new Map<string, { territory: string; title: string }>([
		['north-1', { territory: 'north', title: ROUTE_STORES['north-1'].name }]
	]);
	const docs: { name: string; doc: Y.Doc }[] = [];
	for (const id of ['north-2', 'north-3', 'north-4', 'north-5', 'north-6'] as const) {
		const { name, lat, lng } = ROUTE_STORES[id];
		const doc = new Y.Doc();
		createAccount(doc, { name, territory: 'north', priceList: 'standard', warehouse: 'east', lat, lng });
		docs.push({ name: `account:${id}`, doc });
		accounts.set(id, { territory: 'north', title: name });
	}
	PLANNED_ORDER.forEach((id, index) => {
		if (id === 'north-1' && day === TODAY) return;
		const doc = new Y.Doc();
		createVisit(doc, { accountId: id, repId: USERS.repNorth.id, plannedDate: day, sequence: index + 1 });
		docs.push({ name: `visit:${visitIdFor(id, day)}`, doc });
	});
	const now = new Date().toISOString();
	await store.write({
		updates: docs.map(({ name, doc }) => ({ docName: name, update: Y.encodeStateAsUpdate(doc) })),
		summaries: docs.map(({ name, doc }) => ({ name, ...summarizeDocument(name, doc, (id) => accounts.get(id)), updatedAt: now }))
	});
}
