import type { KeyChanges } from './catalog-changes';
import type { NotifyOptions, OutgoingMessage } from './notify-options';

/** A change to an account's standing or terms that the reps selling to it must know. */
export interface AccountChange {
	status?: { from: string | null; to: string };
	priceList?: { from: string | null; to: string };
	creditLimit?: { from: number | null; to: number };
}

const WATCHED = ['status', 'priceList', 'creditLimit'] as const;

/**
 * Changes of status, price list and credit limit in one transaction; null when
 * none, and for the transaction that creates the account (nothing changed for
 * anyone yet).
 */
export function accountChanges(keys: KeyChanges, current: (field: string) => unknown): AccountChange | null {
	if (keys.get('name')?.action === 'add') return null;
	const change: AccountChange = {};
	for (const field of WATCHED) {
		const entry = keys.get(field);
		if (!entry || entry.action === 'delete') continue;
		const to = current(field);
		const from = entry.action === 'update' ? entry.oldValue : null;
		if (from === to) continue;
		if (field === 'creditLimit') {
			if (typeof to === 'number') change.creditLimit = { from: typeof from === 'number' ? from : null, to };
		} else if (typeof to === 'string') {
			change[field] = { from: typeof from === 'string' ? from : null, to };
		}
	}
	return Object.keys(change).length > 0 ? change : null;
}

const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
const STATUS_WORDS: Record<string, string> = { active: 'active', on_hold: 'on hold', archived: 'archived' };

/** The message for the account's reps; going on hold is urgent (orders must stop now). */
export function accountMessage(accountId: string, title: string, change: AccountChange, by: string): { message: OutgoingMessage; options: NotifyOptions } {
	const lines: string[] = [];
	let heading = `New terms for ${title}`;
	let kind = 'account_terms';
	if (change.status) {
		kind = 'account_status';
		const to = change.status.to;
		heading = to === 'on_hold' ? `${title} is on hold` : to === 'archived' ? `${title} was archived` : `${title} is ${STATUS_WORDS[to] ?? to} again`;
		lines.push(
			to === 'on_hold'
				? `${by} put ${title} on hold: take no new orders until it is active again.`
				: `${by} changed the status of ${title} to ${STATUS_WORDS[to] ?? to}.`
		);
	}
	if (change.priceList) lines.push(`Price list: ${change.priceList.from ?? 'none'} → ${change.priceList.to}`);
	if (change.creditLimit) {
		const from = change.creditLimit.from === null ? 'none' : euros.format(change.creditLimit.from / 100);
		lines.push(`Credit limit: ${from} → ${euros.format(change.creditLimit.to / 100)}`);
	}
	if (!change.status) lines.unshift(`${by} changed the terms of ${title}.`);
	return {
		message: { kind, title: heading, body: lines.join('\n') },
		options: { urgent: change.status?.to === 'on_hold', link: `account:${accountId}`, from: by }
	};
}
