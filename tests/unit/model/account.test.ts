import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	PROTECTED_ACCOUNT_FIELDS,
	SCHEMA_VERSION,
	accountNotes,
	addContact,
	createAccount,
	readAccount,
	readMeta,
	removeContact,
	setAccountFields,
	updateContact
} from '../../../src/lib/model';
import { countUpdates, replicaOf } from './helpers';

function newAccount(): Y.Doc {
	const doc = new Y.Doc();
	createAccount(doc, {
		name: 'Épicerie Dubois',
		address: '12 Rue Hénon',
		city: 'Lyon',
		postalCode: '69004',
		phone: '04 78 28 11 22',
		email: 'contact@epicerie-dubois.fr',
		lat: 45.7772,
		lng: 4.8279,
		territory: 'lyon-north',
		priceList: 'standard',
		warehouse: 'lyon-west',
		creditLimit: 500_000,
		notes: 'Deliveries before 9:00.',
		contacts: [{ id: 'c1', name: 'Marie Dubois', role: 'Owner', phone: '06 12 34 56 78', email: 'marie@epicerie-dubois.fr' }]
	});
	return doc;
}

describe('account documents', () => {
	it('round-trips fields, notes and contacts through an update', () => {
		const copy = replicaOf(newAccount());
		expect(readMeta(copy)).toEqual({ schema: SCHEMA_VERSION, kind: 'account' });
		expect(readAccount(copy)).toEqual({
			name: 'Épicerie Dubois',
			address: '12 Rue Hénon',
			city: 'Lyon',
			postalCode: '69004',
			phone: '04 78 28 11 22',
			email: 'contact@epicerie-dubois.fr',
			lat: 45.7772,
			lng: 4.8279,
			territory: 'lyon-north',
			status: 'active',
			priceList: 'standard',
			warehouse: 'lyon-west',
			creditLimit: 500_000,
			notes: 'Deliveries before 9:00.',
			contacts: [
				{ id: 'c1', name: 'Marie Dubois', role: 'Owner', phone: '06 12 34 56 78', email: 'marie@epicerie-dubois.fr' }
			]
		});
	});

	it('creates in a single update', () => {
		const doc = new Y.Doc();
		const updates = countUpdates(doc, () =>
			createAccount(doc, {
				name: 'Cave des Canuts',
				territory: 'lyon-north',
				priceList: 'standard',
				warehouse: 'lyon-east',
				notes: 'x',
				contacts: [{ name: 'A' }, { name: 'B' }]
			})
		);
		expect(updates).toBe(1);
	});

	it('reads an empty document as defaults rather than throwing', () => {
		const doc = new Y.Doc();
		expect(readMeta(doc)).toBeUndefined();
		expect(readAccount(doc)).toMatchObject({ name: '', status: 'active', lat: null, contacts: [], notes: '' });
	});

	it('writes only changed fields, in one transaction', () => {
		const doc = newAccount();
		let changed: string[] = [];
		const updates = countUpdates(doc, () => {
			changed = setAccountFields(doc, { name: 'Épicerie Dubois', phone: '04 78 00 00 00', status: 'on_hold' });
		});
		expect(changed.sort()).toEqual(['phone', 'status']);
		expect(updates).toBe(1);
		expect(countUpdates(doc, () => setAccountFields(doc, { phone: '04 78 00 00 00' }))).toBe(0);
		expect(readAccount(doc)).toMatchObject({ phone: '04 78 00 00 00', status: 'on_hold' });
	});

	it('refuses a fractional credit limit', () => {
		const doc = newAccount();
		expect(() => setAccountFields(doc, { creditLimit: 10.5 })).toThrow(RangeError);
	});

	it('edits notes as shared text', () => {
		const doc = newAccount();
		accountNotes(doc).insert(0, 'Closed Mondays. ');
		expect(readAccount(doc).notes).toBe('Closed Mondays. Deliveries before 9:00.');
	});

	it('adds, updates and removes contacts by id', () => {
		const doc = newAccount();
		const id = addContact(doc, { name: 'Luc Girard', role: 'Buyer' });
		expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(updateContact(doc, id, { phone: '06 00 00 00 01' })).toBe(true);
		expect(readAccount(doc).contacts.find((contact) => contact.id === id)).toEqual({
			id,
			name: 'Luc Girard',
			role: 'Buyer',
			phone: '06 00 00 00 01',
			email: ''
		});
		expect(removeContact(doc, 'c1')).toBe(true);
		expect(removeContact(doc, 'c1')).toBe(false);
		expect(updateContact(doc, 'c1', { name: 'x' })).toBe(false);
		expect(readAccount(doc).contacts.map((contact) => contact.id)).toEqual([id]);
	});

	it('lists the protected fields the contract names', () => {
		expect([...PROTECTED_ACCOUNT_FIELDS]).toEqual(['territory', 'status', 'priceList', 'warehouse', 'creditLimit']);
	});
});
