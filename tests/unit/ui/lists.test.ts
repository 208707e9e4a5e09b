import { describe, expect, it } from 'vitest';
import type { DocKind } from '../../../src/lib/model';
import type { PendingDocument } from '../../../src/lib/sync/engine-types';
import { recentForAccount } from '../../../src/lib/ui/account-activity';
import { canEditProtectedFields, parseMoneyInput } from '../../../src/lib/ui/account-form';
import { screenFor } from '../../../src/lib/ui/doc-links';
import { editCountLabel, groupPendingByKind } from '../../../src/lib/ui/pending';
import { searchAccounts } from '../../../src/lib/ui/search';
import { statusLabel, statusTone } from '../../../src/lib/ui/status-labels';
import { accountsById, idOf, todaysVisits, visitAccountTitle } from '../../../src/lib/ui/today';
import { deviceEntry } from '../../helpers/ui-fixtures';

const entry = deviceEntry;

describe("today's visits", () => {
	const visits = [
		entry('visit:c', { day: '2026-11-24', sequence: 3, title: 'Café · 2026-11-24' }),
		entry('visit:a', { day: '2026-11-24', sequence: 1, title: 'Boulangerie · 2026-11-24' }),
		entry('visit:later', { day: '2026-11-25', sequence: 1 }),
		entry('visit:unrouted', { day: '2026-11-24', sequence: null, title: 'Atelier · 2026-11-24' }),
		entry('visit:b', { day: '2026-11-24', sequence: 2, title: 'Bar · 2026-11-24' })
	];

	it("keeps only today's, in route order, unrouted last", () => {
		expect(todaysVisits(visits, '2026-11-24').map((v) => v.name)).toEqual(['visit:a', 'visit:b', 'visit:c', 'visit:unrouted']);
	});

	it('names the account from the account index, else from the visit title', () => {
		const accounts = accountsById([entry('account:acc-1', { title: 'Boulangerie du Nord' })]);
		expect(visitAccountTitle(entry('visit:x', { accountId: 'acc-1', title: 'acc-1 · 2026-11-24' }), accounts)).toBe('Boulangerie du Nord');
		expect(visitAccountTitle(entry('visit:y', { accountId: 'gone', title: 'Bar · 2026-11-24' }), accounts)).toBe('Bar');
	});

	it('takes the id part of a document name', () => {
		expect(idOf('visit:north-1-today')).toBe('north-1-today');
	});
});

describe('account search', () => {
	const accounts = [
		entry('account:1', { title: 'Épicerie du Sud', searchText: 'épicerie du sud marseille 3 rue paradis' }),
		entry('account:2', { title: 'Boulangerie du Nord', searchText: 'boulangerie du nord lille 12 rue nationale' }),
		entry('account:3', { title: 'Bar Central', searchText: 'bar central lille place du général' }),
		entry('visit:4', { title: 'Lille visit', searchText: 'lille' })
	];

	it('lists every account by name for an empty query', () => {
		expect(searchAccounts(accounts, '  ').map((a) => a.title)).toEqual(['Bar Central', 'Boulangerie du Nord', 'Épicerie du Sud']);
	});

	it('matches every word in any order, ignoring case', () => {
		expect(searchAccounts(accounts, 'LILLE').map((a) => a.name)).toEqual(['account:3', 'account:2']);
		expect(searchAccounts(accounts, 'nationale boul').map((a) => a.name)).toEqual(['account:2']);
		expect(searchAccounts(accounts, 'lille marseille')).toEqual([]);
	});
});

describe('pending changes', () => {
	function pending(name: string, since: string, overrides: Partial<PendingDocument> = {}): PendingDocument {
		return { name, kind: name.slice(0, name.indexOf(':')) as DocKind, title: name, since, edits: 1, changed: [], ...overrides };
	}

	it('groups by kind, visits and orders first, oldest change first', () => {
		const groups = groupPendingByKind([
			pending('account:1', '2026-11-24T09:00:00Z'),
			pending('visit:2', '2026-11-24T10:00:00Z'),
			pending('visit:1', '2026-11-24T08:00:00Z'),
			pending('order:1', '2026-11-24T11:00:00Z')
		]);
		expect(groups.map((g) => [g.heading, g.documents.map((d) => d.name)])).toEqual([
			['Visits', ['visit:1', 'visit:2']],
			['Orders', ['order:1']],
			['Accounts', ['account:1']]
		]);
	});

	it('has no groups when nothing waits', () => {
		expect(groupPendingByKind([])).toEqual([]);
	});

	it('counts edits in words', () => {
		expect(editCountLabel(1)).toBe('1 edit');
		expect(editCountLabel(4)).toBe('4 edits');
	});
});

describe('status words and links', () => {
	it('names statuses for people', () => {
		expect(statusLabel('checked_in')).toBe('Checked in');
		expect(statusLabel('partially_confirmed')).toBe('Partially confirmed');
		expect(statusLabel('brand_new')).toBe('brand new');
		expect(statusLabel(null)).toBe('Unknown');
		expect(statusTone('rejected')).toBe('bad');
		expect(statusTone('mystery')).toBe('neutral');
	});

	it('links editable documents to their screen', () => {
		expect(screenFor('visit:v-1')).toEqual({ route: '/(app)/visits/[id]', id: 'v-1' });
		expect(screenFor('account:a_2')).toEqual({ route: '/(app)/accounts/[id]', id: 'a_2' });
		expect(screenFor('order:o3')).toEqual({ route: '/(app)/orders/[id]', id: 'o3' });
		expect(screenFor('stock:east')).toBeNull();
		expect(screenFor('nonsense')).toBeNull();
	});
});

describe('recent activity of an account', () => {
	it('keeps the account’s own entries, newest first, up to the limit', () => {
		const entries = [
			entry('visit:1', { accountId: 'acc', day: '2026-11-01' }),
			entry('visit:2', { accountId: 'other', day: '2026-11-20' }),
			entry('visit:3', { accountId: 'acc', day: '2026-11-24' }),
			entry('visit:4', { accountId: 'acc', day: '2026-11-10' })
		];
		expect(recentForAccount(entries, 'acc', 2).map((e) => e.name)).toEqual(['visit:3', 'visit:4']);
	});
});

describe('account form', () => {
	it('lets only managers and admins change protected fields', () => {
		expect(canEditProtectedFields({ role: 'rep' })).toBe(false);
		expect(canEditProtectedFields({ role: 'manager' })).toBe(true);
		expect(canEditProtectedFields({ role: 'admin' })).toBe(true);
		expect(canEditProtectedFields(null)).toBe(false);
	});

	it('reads typed euro amounts as cents', () => {
		expect(parseMoneyInput('1234.5')).toBe(123450);
		expect(parseMoneyInput('1 234,50 €')).toBe(123450);
		expect(parseMoneyInput('0.07')).toBe(7);
		expect(parseMoneyInput('12.345')).toBeNull();
		expect(parseMoneyInput('-3')).toBeNull();
		expect(parseMoneyInput('')).toBeNull();
	});
});
