import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	accountFields,
	createAccount,
	createOrder,
	createVisit,
	getConflict,
	listConflicts,
	readAccount,
	recordConflict,
	setAttention,
	type DocKind
} from '../../../src/lib/model';
import { archivedNotice, conflictViews, readDocumentReview } from '../../../src/lib/conflicts/conflict-view';
import { namesFromEdits } from '../../../src/lib/conflicts/edits';
import { canKeep, ConflictGoneError, keepConflictValue } from '../../../src/lib/conflicts/keep-value';
import { reviewItemOf, reviewList } from '../../../src/lib/conflicts/review-list';
import type { DeviceDocEntry } from '../../../src/lib/sync/engine-types';
import { fieldLabel } from '../../../src/lib/ui/field-labels';
import { presenceLines, presenceText } from '../../../src/lib/ui/presence-text';

const REP = { id: 'u-rep', displayName: 'Rep North', role: 'rep' } as const;
const MANAGER = { id: 'u-manager', displayName: 'Manager', role: 'manager' } as const;

function account(): Y.Doc {
	const doc = new Y.Doc();
	createAccount(doc, { name: 'Boulangerie du Nord', territory: 'north', priceList: 'standard', warehouse: 'east', phone: '+33 4 99' });
	return doc;
}

/** What the relay writes: who last wrote each field. */
function recordEdit(doc: Y.Doc, field: string, by: string, name: string, at = '2026-11-24T09:00:00.000Z'): void {
	doc.getMap('edits').set(field, { by, name, at });
}

function phoneConflict(doc: Y.Doc): string {
	return recordConflict(doc, {
		field: 'phone',
		values: [
			{ value: '+33 4 99', by: MANAGER.id, at: '2026-11-24T09:00:00.000Z' },
			{ value: '+33 4 11', by: REP.id, at: '2026-11-24T09:05:00.000Z' }
		]
	});
}

function entryOf(name: string, title = name): Pick<DeviceDocEntry, 'name' | 'kind' | 'title'> {
	return { name, kind: name.slice(0, name.indexOf(':')) as DocKind, title };
}

describe('conflict views', () => {
	it('shows each value with who wrote it by name, when, and which one the document holds now', () => {
		const doc = account();
		recordEdit(doc, 'email', MANAGER.id, 'Manager');
		phoneConflict(doc);
		const [view] = conflictViews(doc, 'account', REP);
		expect(view).toMatchObject({ field: 'phone', label: 'Phone' });
		expect(view!.choices.map((c) => [c.text, c.who, c.current, c.allowed])).toEqual([
			['+33 4 99', 'Manager', true, true],
			['+33 4 11', 'Rep North', false, true]
		]);
		expect(view!.choices[0]!.when).toMatch(/^24 Nov 2026 \d\d:\d\d$/);
	});

	it('falls back to the user id when nobody on the device knows the name', () => {
		const doc = account();
		phoneConflict(doc);
		expect(conflictViews(doc, 'account', null)[0]!.choices.map((c) => c.who)).toEqual([MANAGER.id, REP.id]);
		expect(namesFromEdits(doc, new Map([[REP.id, 'Rep North']])).get(REP.id)).toBe('Rep North');
	});

	it('writes values as the form shows them and leaves protected fields to managers', () => {
		const doc = account();
		recordConflict(doc, {
			field: 'creditLimit',
			values: [
				{ value: 150_000, by: MANAGER.id, at: '2026-11-24T09:00:00.000Z' },
				{ value: 0, by: 'u-admin', at: '2026-11-24T09:01:00.000Z' }
			]
		});
		const asRep = conflictViews(doc, 'account', REP)[0]!;
		expect(asRep.label).toBe('Credit limit');
		expect(asRep.choices.map((c) => c.text)).toEqual(['€1,500.00', '€0.00']);
		expect(asRep.choices.every((c) => !c.allowed)).toBe(true);
		expect(conflictViews(doc, 'account', MANAGER)[0]!.choices.every((c) => c.allowed)).toBe(true);
	});

	it('lists only open conflicts', () => {
		const doc = account();
		const id = phoneConflict(doc);
		keepConflictValue(doc, 'account:a', 'account', id, '+33 4 11', { by: REP.id, at: '2026-11-24T10:00:00.000Z' });
		expect(conflictViews(doc, 'account', REP)).toEqual([]);
	});
});

describe('keeping one value of a conflict', () => {
	it('sets the field and closes the conflict in one update that another replica receives whole', () => {
		const rep = account();
		const office = new Y.Doc();
		Y.applyUpdate(office, Y.encodeStateAsUpdate(rep));
		const id = phoneConflict(rep);
		Y.applyUpdate(office, Y.encodeStateAsUpdate(rep, Y.encodeStateVector(office)));

		const updates: Uint8Array[] = [];
		rep.on('update', (update: Uint8Array) => updates.push(update));
		keepConflictValue(rep, 'account:a', 'account', id, '+33 4 11', { by: REP.id, at: '2026-11-24T10:00:00.000Z' });
		expect(updates).toHaveLength(1);

		Y.applyUpdate(office, updates[0]!);
		expect(readAccount(office).phone).toBe('+33 4 11');
		expect(getConflict(office, id)).toMatchObject({ status: 'resolved', resolvedBy: REP.id, resolvedAt: '2026-11-24T10:00:00.000Z' });
	});

	it('keeping the value the document already holds only closes the conflict', () => {
		const doc = account();
		const id = phoneConflict(doc);
		keepConflictValue(doc, 'account:a', 'account', id, '+33 4 99', { by: MANAGER.id, at: '2026-11-24T10:00:00.000Z' });
		expect(readAccount(doc).phone).toBe('+33 4 99');
		expect(listConflicts(doc, { status: 'open' })).toEqual([]);
	});

	it('works for visits and orders too', () => {
		const visit = new Y.Doc();
		createVisit(visit, { accountId: 'a', repId: REP.id, plannedDate: '2026-11-24', sequence: 1, outcome: 'Order taken' });
		const id = recordConflict(visit, {
			field: 'outcome',
			values: [
				{ value: 'Order taken', by: REP.id, at: '' },
				{ value: 'Call back', by: MANAGER.id, at: '' }
			]
		});
		keepConflictValue(visit, 'visit:v', 'visit', id, 'Call back', { by: REP.id, at: '2026-11-24T10:00:00.000Z' });
		expect(visit.getMap('fields').get('outcome')).toBe('Call back');

		const order = new Y.Doc();
		createOrder(order, { accountId: 'a', repId: REP.id, createdAt: '2026-11-24T08:00:00.000Z', warehouse: 'east', priceList: 'standard' });
		const po = recordConflict(order, {
			field: 'poNumber',
			values: [
				{ value: 'PO-1', by: REP.id, at: '' },
				{ value: 'PO-2', by: MANAGER.id, at: '' }
			]
		});
		keepConflictValue(order, 'order:o', 'order', po, 'PO-2', { by: REP.id, at: '2026-11-24T10:00:00.000Z' });
		expect(order.getMap('fields').get('poNumber')).toBe('PO-2');
		expect(listConflicts(order, { status: 'open' })).toEqual([]);
		expect(canKeep('order', 'status', 'cancelled', 'rep')).toBe(true);
		expect(canKeep('order', 'status', 'confirmed', 'rep')).toBe(false);
		expect(canKeep('order', 'poNumber', 'PO-1', null)).toBe(false);
	});

	it('says so when the conflict is gone', () => {
		expect(() => keepConflictValue(account(), 'account:a', 'account', 'nope', 'x', { by: REP.id, at: '' })).toThrow(ConflictGoneError);
	});
});

describe('archived and attention notices', () => {
	it('says who archived an account, from the relay’s record of the status write', () => {
		const doc = account();
		expect(archivedNotice(doc)).toBeNull();
		accountFields(doc).set('status', 'archived');
		expect(archivedNotice(doc)).toEqual({ by: null, at: null });
		recordEdit(doc, 'status', MANAGER.id, 'Manager', '2026-11-24T11:00:00.000Z');
		expect(archivedNotice(doc)).toEqual({ by: 'Manager', at: '2026-11-24T11:00:00.000Z' });
	});

	it('reads attention flags with the rest of the review', () => {
		const doc = account();
		setAttention(doc, 'postal', { field: 'postalCode', message: 'postal code is required', at: '2026-11-24T09:00:00.000Z' });
		const review = readDocumentReview(doc, 'account', REP);
		expect(review.attention.map((a) => a.message)).toEqual(['postal code is required']);
		expect(review.archived).toBeNull();
	});
});

describe('the review list across documents', () => {
	it('keeps documents with open conflicts or flags, conflicts first', () => {
		const calm = account();
		const flagged = account();
		setAttention(flagged, 'postal', { field: 'postalCode', message: 'postal code is required', at: '' });
		const disputed = account();
		phoneConflict(disputed);
		const settled = account();
		keepConflictValue(settled, 'account:s', 'account', phoneConflict(settled), '+33 4 11', { by: REP.id, at: '' });

		const items = reviewList([
			{ entry: entryOf('account:calm', 'A calm one'), doc: calm },
			{ entry: entryOf('account:flagged', 'Flagged'), doc: flagged },
			{ entry: entryOf('account:disputed', 'Zinc bar'), doc: disputed },
			{ entry: entryOf('account:settled', 'Settled'), doc: settled }
		]);
		expect(items).toEqual([
			{ name: 'account:disputed', kind: 'account', title: 'Zinc bar', conflicts: ['Phone'], attention: [] },
			{ name: 'account:flagged', kind: 'account', title: 'Flagged', conflicts: [], attention: ['postal code is required'] }
		]);
	});

	it('ignores kinds people do not edit', () => {
		expect(reviewItemOf(entryOf('catalog:standard'), new Y.Doc())).toBeNull();
	});
});

describe('words for fields and presence', () => {
	it('labels fields as the forms do', () => {
		expect(fieldLabel('account', 'postalCode')).toBe('Postal code');
		expect(fieldLabel('account', 'creditLimit')).toBe('Credit limit');
		expect(fieldLabel('order', 'poNumber')).toBe('PO number');
		expect(fieldLabel('visit', 'checkInReason')).toBe('Check in reason');
		expect(fieldLabel('visit', 'Visit report')).toBe('Visit report');
	});

	it('says who is here and what they edit', () => {
		const manager = { user: { id: 'u-manager', name: 'Manager', role: 'manager' }, field: 'phone' };
		const rep = { user: { id: 'u-rep', name: 'Rep North', role: 'rep' }, field: null };
		expect(presenceText(manager, 'account')).toBe('Manager (manager) is editing Phone');
		expect(presenceText(rep, 'account')).toBe('Rep North (rep) is viewing');
		expect(presenceLines([rep, manager, rep], 'account')).toEqual(['Rep North (rep) is viewing', 'Manager (manager) is editing Phone']);
	});
});
