import type { DocumentStore, DocumentSummary, UserRecord } from '../store/document-store';

export interface ManifestEntry {
	name: string;
	kind: string;
	updatedAt: string;
	/** 0 syncs first: today's route and its accounts, then the reference data, then the rest. */
	priority: number;
}

const TERRITORY_KINDS = ['account', 'visit', 'order'];
const SHARED_KINDS = ['catalog', 'stock'];

/** The documents a user's device holds, today's route first. */
export async function buildManifest(store: DocumentStore, user: UserRecord, today: string): Promise<ManifestEntry[]> {
	const territoryDocs = await store.listSummaries(
		user.role === 'admin' ? { kinds: TERRITORY_KINDS } : { kinds: TERRITORY_KINDS, territories: user.territories }
	);
	const shared = await store.listSummaries({ kinds: SHARED_KINDS });
	const inbox = await store.getSummary(`inbox:${user.id}`);

	const todaysAccounts = new Set(
		territoryDocs.filter((d) => d.kind === 'visit' && d.day === today && d.owner === user.id).map((d) => d.accountId)
	);
	const priorityOf = (d: DocumentSummary): number => {
		if (d.kind === 'visit' && d.day === today && d.owner === user.id) return 0;
		if (d.kind === 'account' && todaysAccounts.has(d.name.slice('account:'.length))) return 0;
		if (d.kind === 'inbox' || d.kind === 'catalog' || d.kind === 'stock') return 1;
		if (d.kind === 'account') return 2;
		if (d.kind === 'visit' && d.day !== null && d.day >= today) return 2;
		return 3;
	};
	const all = [...territoryDocs, ...shared, ...(inbox ? [inbox] : [])];
	return all
		.map((d) => ({ name: d.name, kind: d.kind, updatedAt: d.updatedAt, priority: priorityOf(d) }))
		.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
}
