import type * as Y from 'yjs';
import { inboxMessages } from '../../src/lib/model/inbox';
import { parseDocName } from '../../src/lib/model/names';
import { recordMap, recordMaps, sameValue, type RecordValues } from '../../src/lib/model/records';
import type { UserRecord } from '../store/document-store';

/** What a new message must carry to be shown at all. */
const REQUIRED_TEXT = ['id', 'kind', 'title', 'at'] as const;

export const INBOX_REFUSALS = {
	add: 'only the office and the server add messages to an inbox',
	malformed: 'a new message needs an id, a kind, a title and a time',
	change: 'a message can only be marked as read, by its reader',
	remove: 'messages cannot be removed from an inbox'
} as const;

interface MessageBefore {
	map: Y.Map<unknown>;
	index: number;
	values: Record<string, unknown>;
}

/**
 * The rules of an inbox: its owner may only mark messages read (set `readAt`),
 * managers and admins may only add well-formed messages, and nobody but the
 * server removes or rewrites one. Like the rest of the write guard it runs after
 * the update was applied and puts back what was not allowed, so every replica
 * converges on the server's inbox.
 */
export function inspectInboxWrite(doc: Y.Doc, docName: string, user: UserRecord, correctionOrigin: unknown): { finish(): string[] } {
	const isOwner = parseDocName(docName).id === user.id;
	const mayAdd = user.role === 'manager' || user.role === 'admin';
	const messages = inboxMessages(doc);
	const before: MessageBefore[] = recordMaps(messages).map((map, index) => ({ map, index, values: map.toJSON() as Record<string, unknown> }));

	return {
		finish() {
			const refusals = new Set<string>();
			doc.transact(() => {
				const known = new Set(before.map((b) => b.map));
				const present = recordMaps(messages);
				const presentSet = new Set(present);

				for (const entry of before) {
					if (presentSet.has(entry.map)) restoreChangedKeys(entry, isOwner, refusals);
				}

				// Newest first, so earlier indexes stay valid while deleting.
				const added = present.filter((map) => !known.has(map));
				for (const map of added.reverse()) {
					const problem = !mayAdd ? INBOX_REFUSALS.add : isWellFormed(map) ? null : INBOX_REFUSALS.malformed;
					if (!problem) continue;
					const index = indexOfMap(messages, map);
					if (index >= 0) messages.delete(index, 1);
					refusals.add(problem);
				}

				for (const entry of before) {
					if (presentSet.has(entry.map)) continue;
					// A deleted Y.Map cannot come back; a copy with the same id and values takes its place.
					messages.insert(Math.min(entry.index, messages.length), [recordMap(entry.values as RecordValues)]);
					refusals.add(INBOX_REFUSALS.remove);
				}
			}, correctionOrigin);
			return [...refusals];
		}
	};
}

function restoreChangedKeys(entry: MessageBefore, isOwner: boolean, refusals: Set<string>): void {
	const { map, values } = entry;
	const keys = new Set([...Object.keys(values), ...map.keys()]);
	for (const key of keys) {
		const now = map.get(key);
		const previous = values[key];
		if (sameValue(now, previous)) continue;
		// Two of the owner's devices may mark it read at once: any time replaces any other.
		if (key === 'readAt' && isOwner && typeof now === 'string') continue;
		if (previous === undefined) map.delete(key);
		else map.set(key, previous);
		refusals.add(INBOX_REFUSALS.change);
	}
}

function isWellFormed(map: Y.Map<unknown>): boolean {
	return REQUIRED_TEXT.every((key) => typeof map.get(key) === 'string' && (map.get(key) as string).length > 0) && typeof map.get('body') === 'string';
}

function indexOfMap(array: Y.Array<Y.Map<unknown>>, target: Y.Map<unknown>): number {
	let index = 0;
	for (const item of array) {
		if (item === target) return index;
		index++;
	}
	return -1;
}
