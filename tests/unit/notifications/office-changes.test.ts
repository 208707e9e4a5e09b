import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { accountFields, catalogProducts, createAccount, createCatalog, setAccountFields, setProduct } from '../../../src/lib/model';
import { accountChanges, accountMessage } from '../../../server/notifications/account-changes';
import { catalogChanges, catalogMessage, type CatalogChange, type KeyChanges } from '../../../server/notifications/catalog-changes';

/** Runs `change` on the catalog and returns what the announcer would hear from that one transaction. */
function catalogEvent(doc: Y.Doc, change: () => void): CatalogChange[] {
	const products = catalogProducts(doc);
	let found: CatalogChange[] = [];
	const observer = (event: Y.YMapEvent<unknown>) => {
		found = catalogChanges(event.changes.keys as KeyChanges, (sku) => products.get(sku));
	};
	products.observe(observer);
	doc.transact(change);
	products.unobserve(observer);
	return found;
}

function catalog(): Y.Doc {
	const doc = new Y.Doc();
	createCatalog(doc, {
		products: {
			'BEV-1': { name: 'Water 1 L', unit: 'bottle', price: 95, active: true },
			'BEV-2': { name: 'Cola 33 cl', unit: 'can', price: 80, active: true },
			'BEV-3': { name: 'Lemonade', unit: 'bottle', price: 150, active: false }
		}
	});
	return doc;
}

describe('catalog changes reps hear about', () => {
	it('lists new prices, new and re-activated products of one batch, nothing else', () => {
		const doc = catalog();
		const changes = catalogEvent(doc, () => {
			setProduct(doc, 'BEV-1', { name: 'Water 1 L', unit: 'bottle', price: 105, active: true });
			setProduct(doc, 'BEV-2', { name: 'Cola 33 cl (new look)', unit: 'can', price: 80, active: true });
			setProduct(doc, 'BEV-3', { name: 'Lemonade', unit: 'bottle', price: 150, active: true });
			setProduct(doc, 'BEV-4', { name: 'Iced tea', unit: 'bottle', price: 120, active: true });
		});
		expect(changes).toEqual([
			{ kind: 'price', sku: 'BEV-1', name: 'Water 1 L', oldPrice: 95, price: 105 },
			{ kind: 'activated', sku: 'BEV-3', name: 'Lemonade', price: 150 },
			{ kind: 'new', sku: 'BEV-4', name: 'Iced tea', price: 120 }
		]);
		const message = catalogMessage('standard', changes);
		expect(message.kind).toBe('catalog_update');
		expect(message.title).toBe('Catalogue update: Water 1 L and 2 more');
		expect(message.body.split('\n')).toEqual([
			'Price list standard, in effect now:',
			'Water 1 L: €0.95 → €1.05',
			'Available again: Lemonade at €1.50',
			'New: Iced tea at €1.20'
		]);
	});

	it('says nothing of deactivated, removed or inactive new products', () => {
		const doc = catalog();
		expect(
			catalogEvent(doc, () => {
				setProduct(doc, 'BEV-1', { name: 'Water 1 L', unit: 'bottle', price: 95, active: false });
				catalogProducts(doc).delete('BEV-2');
				setProduct(doc, 'BEV-5', { name: 'Soon', unit: 'bottle', price: 10, active: false });
				setProduct(doc, 'BEV-3', { name: 'Lemonade', unit: 'bottle', price: 999, active: false });
			})
		).toEqual([]);
	});

	it('names price-only and offer-only batches for what they are', () => {
		expect(catalogMessage('standard', [{ kind: 'price', sku: 'A', name: 'A', oldPrice: 1, price: 2 }])).toMatchObject({ kind: 'price_change', title: 'New price: A' });
		expect(catalogMessage('standard', [{ kind: 'new', sku: 'A', name: 'A', price: 2 }])).toMatchObject({ kind: 'promotion', title: 'Now in the catalogue: A' });
	});

	it('keeps a long batch to one readable message', () => {
		const changes: CatalogChange[] = Array.from({ length: 30 }, (_, i) => ({ kind: 'price', sku: `S${i}`, name: `P${i}`, oldPrice: 100, price: 110 }));
		const message = catalogMessage('standard', changes);
		expect(message.title).toBe('New price: P0 and 29 more');
		expect(message.body.split('\n')).toHaveLength(14);
		expect(message.body).toMatch(/…and 18 more\.$/);
	});
});

function accountEvent(doc: Y.Doc, change: () => void) {
	const fields = accountFields(doc);
	let found: ReturnType<typeof accountChanges> = null;
	const observer = (event: Y.YMapEvent<unknown>) => {
		found = accountChanges(event.changes.keys as KeyChanges, (field) => fields.get(field));
	};
	fields.observe(observer);
	doc.transact(change);
	fields.unobserve(observer);
	return found;
}

describe('account changes reps hear about', () => {
	it('reports going on hold as urgent, with a link to the account', () => {
		const doc = new Y.Doc();
		createAccount(doc, { name: 'Bakery', territory: 'north', priceList: 'standard', warehouse: 'east' });
		const change = accountEvent(doc, () => setAccountFields(doc, { status: 'on_hold', phone: '+33 1' }));
		expect(change).toEqual({ status: { from: 'active', to: 'on_hold' } });
		const { message, options } = accountMessage('north-1', 'Bakery', change!, 'Manager');
		expect(message).toEqual({ kind: 'account_status', title: 'Bakery is on hold', body: 'Manager put Bakery on hold: take no new orders until it is active again.' });
		expect(options).toEqual({ urgent: true, link: 'account:north-1', from: 'Manager' });
	});

	it('reports new terms (price list, credit limit) without urgency', () => {
		const doc = new Y.Doc();
		createAccount(doc, { name: 'Bakery', territory: 'north', priceList: 'standard', warehouse: 'east', creditLimit: 100_000 });
		const change = accountEvent(doc, () => setAccountFields(doc, { priceList: 'premium', creditLimit: 500_000 }));
		const { message, options } = accountMessage('north-1', 'Bakery', change!, 'Admin');
		expect(message.kind).toBe('account_terms');
		expect(message.body.split('\n')).toEqual(['Admin changed the terms of Bakery.', 'Price list: standard → premium', 'Credit limit: €1,000.00 → €5,000.00']);
		expect(options.urgent).toBe(false);
	});

	it('stays quiet when an account is created or only its contact details change', () => {
		const doc = new Y.Doc();
		expect(accountEvent(doc, () => createAccount(doc, { name: 'New shop', territory: 'north', priceList: 'standard', warehouse: 'east' }))).toBeNull();
		expect(accountEvent(doc, () => setAccountFields(doc, { phone: '+33 2', city: 'Lyon' }))).toBeNull();
	});
});
