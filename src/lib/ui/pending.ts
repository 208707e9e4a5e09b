import type { DocKind } from '../model/names';
import type { PendingDocument } from '../sync/engine-types';

export interface PendingGroup {
	kind: DocKind;
	heading: string;
	documents: PendingDocument[];
}

// The rep's own work first; reference data (catalog, stock) hardly ever waits.
const KIND_ORDER: readonly DocKind[] = ['visit', 'order', 'account', 'inbox', 'catalog', 'stock'];
const HEADINGS: Record<DocKind, string> = {
	visit: 'Visits',
	order: 'Orders',
	account: 'Accounts',
	inbox: 'Inbox',
	catalog: 'Catalog',
	stock: 'Stock'
};

/** Waiting documents grouped by kind, oldest change first within each group. */
export function groupPendingByKind(pending: readonly PendingDocument[]): PendingGroup[] {
	return KIND_ORDER.map((kind) => ({
		kind,
		heading: HEADINGS[kind],
		documents: pending.filter((doc) => doc.kind === kind).sort((a, b) => a.since.localeCompare(b.since) || a.title.localeCompare(b.title))
	})).filter((group) => group.documents.length > 0);
}

export function editCountLabel(edits: number): string {
	return edits === 1 ? '1 edit' : `${edits} edits`;
}
