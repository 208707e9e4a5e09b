import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, readOrder } from '../../src/lib/model';
import { submitOrder } from '../../src/lib/orders/submit-order';
import { launchChromium } from '../helpers/browser';
import { PASSWORD, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

describe('a rep orders offline more than is left, and learns on reconnect what was confirmed', () => {
	let relay: TestRelay;
	let browser: Browser;

	beforeAll(async () => {
		relay = await startTestRelay({}, { withApp: true });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await relay?.stop();
	});

	it('another rep\'s order lands first: "6 of 10 confirmed, 4 backordered"', async () => {
		const manager = await relay.login('manager');
		const count = await fetch(`${relay.server.url}/api/stock/count`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${manager}` },
			body: JSON.stringify({ warehouse: 'east', sku: 'BEV-0001', qty: 8 })
		});
		expect(count.status).toBe(200);

		const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		await page.goto(`${relay.server.url}/login`);
		await page.getByLabel('Username').fill('rep-north');
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect.poll(async () => (await page.locator('header a[href$="/unsynced"]').textContent())?.trim(), { timeout: 15_000 }).toMatch(/^Synced/);

		await page.getByRole('link', { name: /Boulangerie du Nord/ }).first().click();
		await page.getByRole('button', { name: 'Take order' }).click();
		await page.getByLabel('Search products').fill('sparkling');
		await expect.poll(() => page.getByText('8 in stock').count(), { timeout: 15_000 }).toBeGreaterThan(0);

		await context.setOffline(true);
		await page.getByRole('button', { name: /Add Sparkling water/ }).click();
		await page.getByLabel(/^Quantity/).fill('10');
		await page.getByLabel(/^Quantity/).press('Tab');
		await page.getByText('Only 8 in stock; the rest may be backordered.').waitFor();
		await page.getByRole('button', { name: 'Submit order' }).click();
		await page.getByText('Awaiting confirmation').waitFor();

		// While the rep is offline, another rep's order for 2 reaches the server first.
		const south = connectDevice(relay.wsBase, await relay.login('repSouth'));
		try {
			const [stock, order] = south.open('stock:east', 'order:south-first');
			await waitFor('stock on the other device', () => stock!.getMap('onHand').get('BEV-0001') === 8);
			createOrder(order!, { accountId: 'south-1', repId: USERS.repSouth.id, createdAt: new Date().toISOString(), warehouse: 'east', priceList: 'standard', lines: [{ sku: 'BEV-0001', qty: 2, unitPrice: 95 }] });
			submitOrder(order!, stock!, { userId: USERS.repSouth.id, deviceId: 'phone' });
			await waitFor('the other order confirmed', () => readOrder(order!).status === 'confirmed');
		} finally {
			south.destroy();
		}

		await context.setOffline(false);
		await page.getByText(/^6 of 10 confirmed, 4 backordered/).waitFor({ timeout: 30_000 });
		await page.getByText('Partially confirmed').first().waitFor();
		await context.close();
	}, 120_000);
});
