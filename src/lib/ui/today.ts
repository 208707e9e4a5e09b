import type { DeviceDocEntry } from '../sync/engine-types';

/** Today's visits in route order; visits with no route position go last, by title. */
export function todaysVisits(entries: readonly DeviceDocEntry[], today: string): DeviceDocEntry[] {
	return entries
		.filter((entry) => entry.kind === 'visit' && entry.day === today)
		.sort((a, b) => bySequence(a.sequence, b.sequence) || a.title.localeCompare(b.title));
}

function bySequence(a: number | null, b: number | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a - b;
}

/** The account's name from a visit title, which the index writes as "<account> · <date>". */
export function visitAccountTitle(entry: DeviceDocEntry, accounts: ReadonlyMap<string, DeviceDocEntry>): string {
	if (entry.accountId !== null) {
		const account = accounts.get(entry.accountId);
		if (account) return account.title;
	}
	const separator = entry.title.lastIndexOf(' · ');
	return separator > 0 ? entry.title.slice(0, separator) : entry.title;
}

/** Account entries by account id (the part after "account:"), for titles in other lists. */
export function accountsById(entries: readonly DeviceDocEntry[]): Map<string, DeviceDocEntry> {
	const byId = new Map<string, DeviceDocEntry>();
	for (const entry of entries) if (entry.kind === 'account') byId.set(idOf(entry.name), entry);
	return byId;
}

/** The id part of a document name. */
export function idOf(name: string): string {
	const colon = name.indexOf(':');
	return colon < 0 ? name : name.slice(colon + 1);
}
