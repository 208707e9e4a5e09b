import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	InvalidDocNameError,
	createAccount,
	createCatalog,
	createInbox,
	createOrder,
	createStock,
	createVisit,
	setOrderFields,
	summarizeDocument,
	type LookupAccount
} from '../../../src/lib/model';

const accounts: LookupAccount = (id) =>
	id === 'acc-1' ? { territory: 'lyon-north', title: 'Cave des Canuts' } : undefined;

describe('summarizeDocument', () => {
	it('summarizes an account from its own fields', () => {
		const doc = new Y.Doc();
		createAccount(doc, { name: 'Cave des Canuts', territory: 'lyon-north', priceList: 'standard', warehouse: 'lyon-west' });
		expect(summarizeDocument('account:acc-1', doc, accounts)).toEqual({
			kind: 'account',
			territory: 'lyon-north',
			owner: null,
			accountId: null,
			day: null,
			title: 'Cave des Canuts'
		});
	});

	it('gives a visit its account territory, rep and day', () => {
		const doc = new Y.Doc();
		createVisit(doc, { accountId: 'acc-1', repId: 'u-rep1', plannedDate: '2025-03-12', sequence: 1 });
		expect(summarizeDocument('visit:v-1', doc, accounts)).toEqual({
			kind: 'visit',
			territory: 'lyon-north',
			owner: 'u-rep1',
			accountId: 'acc-1',
			day: '2025-03-12',
			title: 'Cave des Canuts · 2025-03-12'
		});
	});

	it('leaves the territory unknown when the account is not known yet', () => {
		const doc = new Y.Doc();
		createVisit(doc, { accountId: 'acc-9', repId: 'u-rep1', plannedDate: '2025-03-12', sequence: 1 });
		expect(summarizeDocument('visit:v-9', doc, accounts)).toMatchObject({ territory: null, title: 'acc-9 · 2025-03-12' });
	});

	it('titles an order by PO number, or by id when there is none', () => {
		const doc = new Y.Doc();
		createOrder(doc, {
			accountId: 'acc-1',
			repId: 'u-rep2',
			createdAt: '2025-03-11T16:40:00.000Z',
			warehouse: 'lyon-east',
			priceList: 'standard'
		});
		expect(summarizeDocument('order:o-7', doc, accounts)).toEqual({
			kind: 'order',
			territory: 'lyon-north',
			owner: 'u-rep2',
			accountId: 'acc-1',
			day: '2025-03-11',
			title: 'Cave des Canuts · order o-7'
		});
		setOrderFields(doc, { poNumber: 'PO-5521' });
		expect(summarizeDocument('order:o-7', doc, accounts).title).toBe('Cave des Canuts · order PO-5521');
	});

	it('summarizes catalog, stock and inbox documents', () => {
		const catalog = new Y.Doc();
		createCatalog(catalog);
		expect(summarizeDocument('catalog:standard', catalog, accounts)).toEqual({
			kind: 'catalog',
			territory: null,
			owner: null,
			accountId: null,
			day: null,
			title: 'Catalog standard'
		});
		const stock = new Y.Doc();
		createStock(stock);
		expect(summarizeDocument('stock:lyon-east', stock, accounts)).toMatchObject({ kind: 'stock', title: 'Stock lyon-east' });
		const inbox = new Y.Doc();
		createInbox(inbox);
		expect(summarizeDocument('inbox:u-rep1', inbox, accounts)).toEqual({
			kind: 'inbox',
			territory: null,
			owner: 'u-rep1',
			accountId: null,
			day: null,
			title: 'Inbox'
		});
	});

	it('refuses a malformed name', () => {
		expect(() => summarizeDocument('shop:1', new Y.Doc(), accounts)).toThrow(InvalidDocNameError);
	});
});
