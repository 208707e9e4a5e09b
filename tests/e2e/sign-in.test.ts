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

	it('sends a signed-out rep to sign in, then to Today, and shows who is signed in', async () => {
		const page = await browser.newPage();
		await page.goto(`${relay.server.url}/accounts`);
		await page.waitForURL(/\/login$/);
		await page.getByLabel('Username').fill('rep-north');
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('heading', { name: 'Today' }).waitFor();
		await expect.poll(() => page.getByRole('link', { name: /^Synced · last at \d\d:\d\d$/ }).count(), { timeout: 15_000 }).toBe(1);
		await page.getByRole('link', { name: 'Settings' }).click();
		await expect.poll(() => page.getByText('Signed in as').textContent()).toBe('Signed in as Rep North (rep-north)');
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
