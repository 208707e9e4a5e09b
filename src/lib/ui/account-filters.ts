import { ACCOUNT_STATUSES, type AccountStatus } from '../model/account';
import type { DeviceDocEntry } from '../sync/engine-types';
import { idOf } from './today';

/**
 * The filters the accounts list and the accounts map share. They live in the URL
 * (?territory=…&status=…&due=1) so switching between list and map keeps them.
 */
export interface AccountFilter {
	territory: string | null;
	status: AccountStatus | null;
	/** Only accounts due for a visit. */
	due: boolean;
}

export const NO_ACCOUNT_FILTER: AccountFilter = { territory: null, status: null, due: false };

/** An account not visited for this many days, with nothing planned, is due. */
export const DUE_AFTER_DAYS = 28;

export function readAccountFilter(params: URLSearchParams): AccountFilter {
	const territory = params.get('territory')?.trim() || null;
	const status = params.get('status');
	return {
		territory,
		status: status !== null && (ACCOUNT_STATUSES as readonly string[]).includes(status) ? (status as AccountStatus) : null,
		due: params.get('due') === '1'
	};
}

/** The search part of a URL for a filter, without the '?' ('' when nothing is set). */
export function filterParams(filter: AccountFilter, extra: Record<string, string> = {}): string {
	const params = new URLSearchParams(extra);
	if (filter.territory) params.set('territory', filter.territory);
	if (filter.status) params.set('status', filter.status);
	if (filter.due) params.set('due', '1');
	return params.toString();
}

export function isFiltered(filter: AccountFilter): boolean {
	return filter.territory !== null || filter.status !== null || filter.due;
}

export interface VisitHistory {
	/** The last day the account was visited (checked in), up to today. */
	lastVisit: string | null;
	/** The next day a visit is planned, from today on. */
	nextVisit: string | null;
}

const DONE = new Set(['completed', 'checked_in']);

/** Last and next visit per account id, from the device's index of visits. */
export function visitHistory(visits: readonly DeviceDocEntry[], today: string): Map<string, VisitHistory> {
	const history = new Map<string, VisitHistory>();
	for (const visit of visits) {
		if (visit.kind !== 'visit' || visit.accountId === null || visit.day === null) continue;
		const entry = history.get(visit.accountId) ?? { lastVisit: null, nextVisit: null };
		if (DONE.has(visit.status ?? '') && visit.day <= today && (entry.lastVisit === null || visit.day > entry.lastVisit)) entry.lastVisit = visit.day;
		if (visit.status === 'planned' && visit.day >= today && (entry.nextVisit === null || visit.day < entry.nextVisit)) entry.nextVisit = visit.day;
		history.set(visit.accountId, entry);
	}
	return history;
}

function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Due: an account still in business, with no visit planned and none for `dueAfterDays` days. */
export function isDue(status: string | null, history: VisitHistory | undefined, today: string, dueAfterDays = DUE_AFTER_DAYS): boolean {
	if (status === 'archived') return false;
	if (history?.nextVisit) return false;
	return !history?.lastVisit || daysBetween(history.lastVisit, today) >= dueAfterDays;
}

export function matchesFilter(account: DeviceDocEntry, filter: AccountFilter, history: ReadonlyMap<string, VisitHistory>, today: string): boolean {
	if (account.kind !== 'account') return false;
	if (filter.territory !== null && account.territory !== filter.territory) return false;
	if (filter.status !== null && account.status !== filter.status) return false;
	if (filter.due && !isDue(account.status, history.get(idOf(account.name)), today)) return false;
	return true;
}

export function filterAccounts(
	accounts: readonly DeviceDocEntry[],
	filter: AccountFilter,
	history: ReadonlyMap<string, VisitHistory>,
	today: string
): DeviceDocEntry[] {
	return accounts.filter((account) => matchesFilter(account, filter, history, today));
}

/** The territories the device's accounts belong to, for the filter's choices. */
export function territoriesOf(accounts: readonly DeviceDocEntry[]): string[] {
	const territories = new Set<string>();
	for (const account of accounts) if (account.kind === 'account' && account.territory) territories.add(account.territory);
	return [...territories].sort();
}
