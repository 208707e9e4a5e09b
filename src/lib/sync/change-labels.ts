import type * as Y from 'yjs';

/**
 * Names the parts of a document a transaction touched, for the "waiting" list:
 * a field of the `fields` map by its key ("phone"), anything else by its
 * top-level name ("notes", "contacts", "lines").
 */
export function changedParts(transaction: Y.Transaction): string[] {
	const doc = transaction.doc;
	const roots = new Map<Y.AbstractType<unknown>, string>();
	for (const [key, type] of doc.share) roots.set(type as Y.AbstractType<unknown>, key);
	const parts = new Set<string>();
	for (const [type, keys] of transaction.changed) {
		const root = topLevel(type as Y.AbstractType<unknown>);
		const rootName = roots.get(root) ?? 'document';
		if (rootName === 'fields' && root === type) {
			for (const key of keys) if (key !== null) parts.add(key);
		} else if (rootName !== 'meta') parts.add(rootName);
	}
	return [...parts];
}

function topLevel(type: Y.AbstractType<unknown>): Y.AbstractType<unknown> {
	let current = type;
	while (current._item && current._item.parent) current = current._item.parent as Y.AbstractType<unknown>;
	return current;
}
