import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAccount, readOrder, visitReport } from '../../src/lib/model';
import { launchChromium } from '../helpers/browser';
import { PASSWORD } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

/** A rep's phone: a fresh browser profile signed in against the real relay. */
async function signedInPhone(browser: Browser, relay: TestRelay): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await page.goto(`${relay.server.url}/login`);
	await page.getByLabel('Username').fill('rep-north');
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await syncIndicator(page, /^Synced · last at/);
	// The service worker must hold the app shell before the network goes away.
	await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 }).catch(async () => {
		await page.reload();
		await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
	});
	return { context, page };
}

function syncIndicator(page: Page, text: RegExp, timeout = 15_000) {
	// The indicator is the header's link to the Unsynchronized page.
	return expect.poll(async () => (await page.locator('header a[href$="/unsynced"]').textContent())?.trim(), { timeout }).toMatch(text);
}

describe('a rep works offline in Chromium and nothing is lost', () => {
	let relay: TestRelay;
	let browser: Browser;
	const watchers: StockClient[] = [];
	/** The office's view of a document, live from the server. */
	const office = async (docName: string) => {
		const client = connectStockClient(relay.wsBase, docName, await relay.login('manager'));
		watchers.push(client);
		await waitFor('office synced', () => client.provider.synced);
		return client;
	};

	beforeEach(async () => {
		relay = await startTestRelay({ persistDelayMs: 1000 }, { withApp: true });
		browser ??= await launchChromium();
	});
	afterEach(async () => {
		for (const w of watchers.splice(0)) w.destroy();
		await relay.stop();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('edits an account, writes a report and submits an order offline, survives a reload, and syncs on reconnect', async () => {
		const { context, page } = await signedInPhone(browser, relay);
		const account = await office('account:north-1');
		const visit = await office('visit:north-1-today');

		await context.setOffline(true);
		await expect.poll(() => page.getByRole('status').textContent()).toBe('You are offline — changes are saved on this device');

		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
		await page.getByLabel('Search accounts').fill('nord');
		await page.getByRole('link', { name: /Boulangerie du Nord/ }).click();
		await page.getByLabel('Phone', { exact: true }).fill('+33 4 78 11 22 33');
		await page.getByLabel('Phone', { exact: true }).press('Tab');

		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
		await page.getByRole('link', { name: /Boulangerie du Nord/ }).click();
		await page.getByLabel('Visit report').fill('Owner wants the spring promo; fridge is full.');

		await page.getByRole('button', { name: 'Take order' }).click();
		await page.getByLabel('Search products').fill('sparkling');
		await page.getByRole('button', { name: /Add Sparkling water/ }).click();
		await page.getByLabel(/^Quantity/).fill('3');
		await page.getByLabel(/^Quantity/).press('Tab');
		await page.getByRole('button', { name: 'Submit order' }).click();
		// The account, the visit, the order, and the units it reserved in the warehouse's stock.
		await syncIndicator(page, /^4 changes waiting$/);
		const orderUrl = page.url();

		// Reload with no network: the app shell comes from the service worker, data from IndexedDB.
		await page.reload();
		await page.getByRole('heading', { name: /Order · Boulangerie du Nord/ }).waitFor();
		await syncIndicator(page, /^4 changes waiting$/);
		await page.goto(`${relay.server.url}/unsynced`);
		await expect.poll(() => page.getByRole('listitem').filter({ hasText: 'Boulangerie du Nord' }).count()).toBeGreaterThanOrEqual(3);
		await page.goto(`${relay.server.url}/accounts/north-1`);
		await expect.poll(() => page.getByLabel('Phone', { exact: true }).inputValue()).toBe('+33 4 78 11 22 33');

		// Nothing reached the office while offline.
		expect(readAccount(account.doc).phone).toBe('+33 4 00 00 00 01');

		await page.goto(`${relay.server.url}/unsynced`);
		await context.setOffline(false);
		await waitFor('office sees the phone', () => readAccount(account.doc).phone === '+33 4 78 11 22 33', 15_000);
		// Relayed is not durable: the group commit is still open, so the page still lists the edits.
		expect(await page.getByText('Everything is synced').count()).toBe(0);
		await page.getByText('Everything is synced').waitFor({ timeout: 15_000 });
		await waitFor('office sees the report', () => visitReport(visit.doc).toString() === 'Owner wants the spring promo; fridge is full.');

		const orderId = orderUrl.split('/orders/')[1]!;
		const order = await office(`order:${orderId}`);
		// Reconciled against the warehouse once durable: 40 in stock, 3 ordered.
		await waitFor('order confirmed', () => readOrder(order.doc).status === 'confirmed', 15_000);
		expect(readOrder(order.doc)).toMatchObject({ accountId: 'north-1' });
		expect(readOrder(order.doc).lines).toEqual([expect.objectContaining({ sku: 'BEV-0001', qty: 3, unitPrice: 95 })]);
		await context.close();
	}, 120_000);

	it('in Always offline mode sends nothing until the rep taps Sync now', async () => {
		const { context, page } = await signedInPhone(browser, relay);
		const account = await office('account:north-1');
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
		await page.getByLabel('Always offline').check();

		await page.goto(`${relay.server.url}/accounts/north-1`);
		await page.getByLabel('Email', { exact: true }).fill('orders@nord.example');
		await page.getByLabel('Email', { exact: true }).press('Tab');
		await syncIndicator(page, /^1 change waiting$/);
		await page.waitForTimeout(1500);
		expect(readAccount(account.doc).email).toBe('');

		await page.goto(`${relay.server.url}/unsynced`);
		await page.getByRole('button', { name: 'Sync now' }).click();
		await waitFor('office sees the email', () => readAccount(account.doc).email === 'orders@nord.example', 15_000);
		await page.getByText('Everything is synced').waitFor({ timeout: 15_000 });
		await context.close();
	}, 120_000);
});
