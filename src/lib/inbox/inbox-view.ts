import type { InboxMessage } from '../model/inbox';
import { screenFor, type DocScreen } from '../ui/doc-links';

/** Newest first; messages of the same instant keep the order they were added in. */
export function newestFirst(messages: readonly InboxMessage[]): InboxMessage[] {
	return messages
		.map((message, index) => ({ message, index }))
		.sort((a, b) => b.message.at.localeCompare(a.message.at) || b.index - a.index)
		.map(({ message }) => message);
}

export function countUnread(messages: readonly InboxMessage[]): number {
	return messages.reduce((n, message) => n + (message.readAt === null ? 1 : 0), 0);
}

/** "9+" past nine, as a badge has room for. */
export function badgeText(unread: number): string {
	return unread > 9 ? '9+' : String(unread);
}

const APP_PATH = /^\/(accounts|visits|orders)\/([A-Za-z0-9_-]+)$/;

/**
 * The screen of the record a message is about. Links come as a document name
 * (`order:<id>`) or as an app path (`/orders/<id>`); anything else opens nothing.
 */
export function messageScreen(message: Pick<InboxMessage, 'link'>): DocScreen | null {
	const link = message.link ?? null;
	if (link === null) return null;
	const path = APP_PATH.exec(link);
	if (path) return screenFor(`${path[1]!.slice(0, -1)}:${path[2]}`);
	return screenFor(link);
}

const KIND_LABELS: Record<string, string> = {
	manager_message: 'Message',
	price_change: 'Price change',
	promotion: 'Promotion',
	catalog_update: 'Catalogue',
	account_status: 'Account',
	account_terms: 'Account',
	order_reconciled: 'Order',
	stock_low: 'Stock',
	visit_planned: 'Plan',
	visit_rescheduled: 'Plan',
	visit_reassigned: 'Plan',
	visit_removed: 'Plan',
	'archived-while-editing': 'Account',
	welcome: 'Welcome'
};

/** A short tag for what a message is about; kinds this version does not know read "Notice". */
export function kindLabel(kind: string): string {
	return KIND_LABELS[kind] ?? 'Notice';
}
