import type { DocumentFactsCache } from '../dashboard/document-facts';
import type { DocumentStore, UserRecord } from '../store/document-store';

/**
 * Reps who sell at prices of this list: those whose territories hold an account
 * (not archived) that uses it. Reps work by territory, so every rep of such a
 * territory is told, and nobody else.
 */
export async function repsUsingPriceList(store: DocumentStore, facts: DocumentFactsCache, priceListId: string): Promise<UserRecord[]> {
	const accounts = await store.listSummaries({ kinds: ['account'] });
	const known = await facts.factsOf(accounts);
	const territories = new Set<string>();
	for (const account of accounts) {
		const f = known.get(account.name);
		if (account.territory && f?.priceList === priceListId && f.status !== 'archived') territories.add(account.territory);
	}
	return repsOfTerritories(store, territories);
}

export async function repsOfTerritories(store: DocumentStore, territories: ReadonlySet<string>): Promise<UserRecord[]> {
	if (territories.size === 0) return [];
	const users = await store.listUsers();
	return users.filter((user) => user.role === 'rep' && user.territories.some((t) => territories.has(t)));
}
