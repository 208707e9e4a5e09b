import type { InboxMessage } from '../model/inbox';

/** Ids remembered per user; old ones go first (their messages are long read or gone). */
const MAX_REMEMBERED = 300;

export interface ToastStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

/**
 * Which urgent messages this device has already shown as a toast, kept in the
 * device's storage so a message toasts once per device: not again after a
 * reload, and still once on each other device of the same user.
 */
export class ShownToasts {
	private readonly key: string;
	private readonly ids: string[];

	constructor(
		private readonly storage: ToastStorage | null,
		userId: string
	) {
		this.key = `outrider.toasts.${userId}`;
		this.ids = readIds(storage, this.key);
	}

	has(id: string): boolean {
		return this.ids.includes(id);
	}

	remember(id: string): void {
		if (this.has(id)) return;
		this.ids.push(id);
		if (this.ids.length > MAX_REMEMBERED) this.ids.splice(0, this.ids.length - MAX_REMEMBERED);
		try {
			this.storage?.setItem(this.key, JSON.stringify(this.ids));
		} catch {
			// Storage full or blocked: the toast may show once more after a reload, nothing worse.
		}
	}
}

function readIds(storage: ToastStorage | null, key: string): string[] {
	try {
		const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
		return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
	} catch {
		return [];
	}
}

/** Urgent unread messages not yet shown on this device, oldest first (the order they happened). */
export function toastsDue(messages: readonly InboxMessage[], shown: Pick<ShownToasts, 'has'>): InboxMessage[] {
	return messages.filter((m) => m.urgent === true && m.readAt === null && !shown.has(m.id)).sort((a, b) => a.at.localeCompare(b.at));
}
