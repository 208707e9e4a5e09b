import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { PASSWORD } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';

describe('the web app served by the relay, in Chromium', () => {
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

	it('signs a rep in and shows how many records the territory holds', async () => {
		const page = await browser.newPage();
		await page.goto(relay.server.url);
		await page.getByLabel('Username').fill('rep-north');
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('Signed in as Rep North (rep)');
		await expect.poll(() => page.getByText(/records to sync/).textContent()).toMatch(/^\d+ records to sync/);
		await page.close();
	});

	it('shows a clear error for a wrong password', async () => {
		const page = await browser.newPage();
		await page.goto(relay.server.url);
		await page.getByLabel('Username').fill('rep-north');
		await page.getByLabel('Password').fill('wrong');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toBe('wrong username or password');
		await page.close();
	});
});
