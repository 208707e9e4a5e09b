import type * as Y from 'yjs';
import { listAttention } from '../model/attention';
import { listConflicts } from '../model/conflicts';
import type { DeviceDocEntry } from '../sync/engine-types';
import { fieldLabel } from '../ui/field-labels';
import { isEditableKind, type EditableKind } from './keep-value';

/** One document that needs a person: open conflicts to decide, or validation flags to fix. */
export interface ReviewItem {
	name: string;
	kind: EditableKind;
	title: string;
	/** Labels of the fields with an open conflict ("Phone"). */
	conflicts: string[];
	/** What the validation rules say ("postal code is required"). */
	attention: string[];
}

/** Null when the document needs nothing (or is not a kind people edit). */
export function reviewItemOf(entry: Pick<DeviceDocEntry, 'name' | 'kind' | 'title'>, doc: Y.Doc): ReviewItem | null {
	if (!isEditableKind(entry.kind)) return null;
	const kind = entry.kind;
	const conflicts = listConflicts(doc, { status: 'open' }).map((c) => fieldLabel(kind, c.field));
	const attention = listAttention(doc).map((a) => a.message || `${fieldLabel(kind, a.field)} needs attention`);
	if (conflicts.length === 0 && attention.length === 0) return null;
	return { name: entry.name, kind, title: entry.title, conflicts: [...new Set(conflicts)].sort(), attention: attention.sort() };
}

const KIND_ORDER: Record<EditableKind, number> = { account: 0, visit: 1, order: 2 };

/** Conflicts first, since a value someone typed waits on a decision; then accounts, visits, orders, by title. */
export function sortReviewItems(items: Iterable<ReviewItem>): ReviewItem[] {
	return [...items].sort(
		(a, b) =>
			Number(b.conflicts.length > 0) - Number(a.conflicts.length > 0) ||
			KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
			a.title.localeCompare(b.title) ||
			a.name.localeCompare(b.name)
	);
}

/** The review list of the given documents, each read once. */
export function reviewList(documents: Iterable<{ entry: Pick<DeviceDocEntry, 'name' | 'kind' | 'title'>; doc: Y.Doc }>): ReviewItem[] {
	const items: ReviewItem[] = [];
	for (const { entry, doc } of documents) {
		const item = reviewItemOf(entry, doc);
		if (item) items.push(item);
	}
	return sortReviewItems(items);
}
