import type { AttentionItem, RepDay } from '../../src/lib/protocol/office-api';
import type { DocumentSummary, UserRecord } from '../store/document-store';
import type { DocumentFacts } from './document-facts';

const NO_FACTS: DocumentFacts = { status: null, priceList: null, flags: [], openConflicts: 0 };

function needsAttention(facts: DocumentFacts): boolean {
	return facts.flags.length > 0 || facts.openConflicts > 0;
}

/** Each rep's day from the day's visits and orders (summaries) and their facts. */
export function teamOverview(
	reps: readonly UserRecord[],
	dayDocs: readonly DocumentSummary[],
	facts: ReadonlyMap<string, DocumentFacts>
): RepDay[] {
	return reps.map((rep) => {
		const mine = dayDocs.filter((d) => d.owner === rep.id);
		const day: RepDay = {
			userId: rep.id,
			displayName: rep.displayName,
			territories: [...rep.territories],
			visits: { planned: 0, done: 0, inProgress: 0, skipped: 0 },
			orders: { taken: 0, draft: 0, awaiting: 0, confirmed: 0, partial: 0, rejected: 0, cancelled: 0 },
			flagged: 0
		};
		for (const doc of mine) {
			const f = facts.get(doc.name) ?? NO_FACTS;
			if (needsAttention(f)) day.flagged++;
			if (doc.kind === 'visit') countVisit(day, f.status);
			else if (doc.kind === 'order') countOrder(day, f.status);
		}
		return day;
	});
}

function countVisit(day: RepDay, status: string | null): void {
	if (status === 'cancelled') return;
	day.visits.planned++;
	if (status === 'completed') day.visits.done++;
	else if (status === 'checked_in') day.visits.inProgress++;
	else if (status === 'skipped') day.visits.skipped++;
}

function countOrder(day: RepDay, status: string | null): void {
	day.orders.taken++;
	switch (status) {
		case 'submitted':
			day.orders.awaiting++;
			break;
		case 'confirmed':
			day.orders.confirmed++;
			break;
		case 'partially_confirmed':
			day.orders.partial++;
			break;
		case 'rejected':
			day.orders.rejected++;
			break;
		case 'cancelled':
			day.orders.cancelled++;
			break;
		default:
			day.orders.draft++;
	}
}

/** Records with validation flags or open conflicts, accounts first, then by title. */
export function attentionList(docs: readonly DocumentSummary[], facts: ReadonlyMap<string, DocumentFacts>, limit = 200): AttentionItem[] {
	const order = (kind: string) => (kind === 'account' ? 0 : kind === 'visit' ? 1 : 2);
	return docs
		.filter((d) => needsAttention(facts.get(d.name) ?? NO_FACTS))
		.map((d) => {
			const f = facts.get(d.name)!;
			return { name: d.name, kind: d.kind, title: d.title, territory: d.territory, owner: d.owner, flags: [...f.flags], openConflicts: f.openConflicts };
		})
		.sort((a, b) => order(a.kind) - order(b.kind) || a.title.localeCompare(b.title))
		.slice(0, limit);
}
