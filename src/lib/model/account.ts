import * as Y from 'yjs';
import { initMeta } from './meta';
import { findRecord, indexOfRecord, recordMap, recordMaps, replaceText, setChanged } from './records';
import { asNullableNumber, asNumber, asOneOf, asString, assertInteger, newId } from './values';

export const ACCOUNT_STATUSES = ['active', 'on_hold', 'archived'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Fields only a manager or admin may change; the relay undoes a rep's write to them. */
export const PROTECTED_ACCOUNT_FIELDS = ['territory', 'status', 'priceList', 'warehouse', 'creditLimit'] as const;
export type ProtectedAccountField = (typeof PROTECTED_ACCOUNT_FIELDS)[number];

export interface AccountFields {
	name: string;
	address: string;
	city: string;
	postalCode: string;
	phone: string;
	email: string;
	lat: number | null;
	lng: number | null;
	territory: string;
	status: AccountStatus;
	priceList: string;
	warehouse: string;
	/** Cents. */
	creditLimit: number;
}

export interface Contact {
	id: string;
	name: string;
	role: string;
	phone: string;
	email: string;
}

export type ContactInit = Partial<Omit<Contact, 'id' | 'name'>> & { id?: string; name: string };

export interface Account extends AccountFields {
	notes: string;
	contacts: Contact[];
}

export type AccountInit = Partial<AccountFields> &
	Pick<AccountFields, 'name' | 'territory' | 'priceList' | 'warehouse'> & {
		notes?: string;
		contacts?: ContactInit[];
	};

export function accountFields(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('fields');
}

export function accountNotes(doc: Y.Doc): Y.Text {
	return doc.getText('notes');
}

export function accountContacts(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>('contacts');
}

export function createAccount(doc: Y.Doc, init: AccountInit): void {
	const { notes, contacts, ...fields } = init;
	const complete: AccountFields = {
		address: '',
		city: '',
		postalCode: '',
		phone: '',
		email: '',
		lat: null,
		lng: null,
		status: 'active',
		creditLimit: 0,
		...fields
	};
	assertInteger(complete.creditLimit, 'creditLimit');
	doc.transact(() => {
		initMeta(doc, 'account');
		setChanged(accountFields(doc), { ...complete });
		if (notes !== undefined) replaceText(accountNotes(doc), notes);
		for (const contact of contacts ?? []) addContact(doc, contact);
	});
}

export function readAccountFields(doc: Y.Doc): AccountFields {
	const map = accountFields(doc);
	return {
		name: asString(map.get('name')),
		address: asString(map.get('address')),
		city: asString(map.get('city')),
		postalCode: asString(map.get('postalCode')),
		phone: asString(map.get('phone')),
		email: asString(map.get('email')),
		lat: asNullableNumber(map.get('lat')),
		lng: asNullableNumber(map.get('lng')),
		territory: asString(map.get('territory')),
		status: asOneOf(map.get('status'), ACCOUNT_STATUSES, 'active'),
		priceList: asString(map.get('priceList')),
		warehouse: asString(map.get('warehouse')),
		creditLimit: asNumber(map.get('creditLimit'))
	};
}

function readContact(map: Y.Map<unknown>): Contact {
	return {
		id: asString(map.get('id')),
		name: asString(map.get('name')),
		role: asString(map.get('role')),
		phone: asString(map.get('phone')),
		email: asString(map.get('email'))
	};
}

export function readContacts(doc: Y.Doc): Contact[] {
	return recordMaps(accountContacts(doc)).map(readContact);
}

/** A plain snapshot; empty strings and defaults for a document that has not synced yet. */
export function readAccount(doc: Y.Doc): Account {
	return { ...readAccountFields(doc), notes: accountNotes(doc).toString(), contacts: readContacts(doc) };
}

/** Writes only the values that differ, so an unchanged form save makes no update. */
export function setAccountFields(doc: Y.Doc, values: Partial<AccountFields>): (keyof AccountFields)[] {
	if (values.creditLimit !== undefined) assertInteger(values.creditLimit, 'creditLimit');
	let changed: string[] = [];
	doc.transact(() => {
		changed = setChanged(accountFields(doc), { ...values });
	});
	return changed as (keyof AccountFields)[];
}

/** Returns the new contact's id. */
export function addContact(doc: Y.Doc, contact: ContactInit): string {
	const id = contact.id ?? newId();
	const record: Contact = { role: '', phone: '', email: '', ...contact, id };
	doc.transact(() => {
		accountContacts(doc).push([recordMap({ ...record })]);
	});
	return id;
}

/** False when no contact has this id (e.g. someone else removed it meanwhile). */
export function updateContact(doc: Y.Doc, id: string, values: Partial<Omit<Contact, 'id'>>): boolean {
	const contact = findRecord(accountContacts(doc), id);
	if (!contact) return false;
	doc.transact(() => {
		setChanged(contact, { ...values, id: undefined });
	});
	return true;
}

export function removeContact(doc: Y.Doc, id: string): boolean {
	const contacts = accountContacts(doc);
	const index = indexOfRecord(contacts, id);
	if (index < 0) return false;
	doc.transact(() => {
		contacts.delete(index, 1);
	});
	return true;
}
