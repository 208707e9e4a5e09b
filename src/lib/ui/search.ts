import type { DeviceDocEntry } from '../sync/engine-types';

/** Lower-case words of a query; every word must match, in any order ("lyon boul" finds "Boulangerie, Lyon"). */
export function queryWords(query: string): string[] {
	return query.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
}

export function matchesWords(haystack: string, words: readonly string[]): boolean {
	const text = haystack.toLowerCase();
	return words.every((word) => text.includes(word));
}

/** Accounts whose index text matches every word of the query, by name. */
export function searchAccounts(entries: readonly DeviceDocEntry[], query: string): DeviceDocEntry[] {
	const words = queryWords(query);
	return entries
		.filter((entry) => entry.kind === 'account' && matchesWords(`${entry.searchText} ${entry.title}`, words))
		.sort((a, b) => a.title.localeCompare(b.title));
}
