import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { PASSWORD } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';

describe('the admin page, in Chromium', () => {
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

	async function signIn(username: string): Promise<Page> {
		const page = await browser.newPage();
		await page.goto(relay.server.url);
		await page.getByLabel('Username').fill(username);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('heading', { name: 'Today' }).waitFor();
		return page;
	}

	it('shows an admin the relay’s figures, its update rates and its configuration', async () => {
		const page = await signIn('admin');
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
		await page.getByRole('heading', { name: 'Relay status' }).waitFor();

		const figure = (label: string) => page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
		// The admin's own device holds one /sync connection.
		await expect.poll(() => figure('Connections').textContent()).toMatch(/^[1-9]\d*$/);
		expect(await figure('SQLite').textContent()).toMatch(/^\d+(\.\d)? (KB|MB)$/);
		expect(await figure('Other instances').textContent()).toBe('none');
		expect(await page.getByRole('heading', { name: /^Refused \(\d+\)$/ }).count()).toBe(1);
		expect(await page.getByRole('row', { name: 'Protected field, put back 0' }).count()).toBe(1);
		expect(await page.getByRole('row', { name: 'Partially confirmed 0' }).count()).toBe(1);
		expect(await page.getByRole('row', { name: 'authSecret not set' }).count()).toBe(1);
		expect(await page.getByRole('row', { name: 'limits.maxMessageBytes 8388608' }).count()).toBe(1);
		// A rate needs two readings, five seconds apart.
		await expect.poll(() => figure('Updates in').textContent(), { timeout: 15_000 }).toMatch(/^\d+(\.\d)?\/s$/);
		await page.close();
	});

	it('offers nothing of it to a rep', async () => {
		const page = await signIn('rep-north');
		expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
		await page.goto(`${relay.server.url}/admin`);
		await page.getByRole('heading', { name: 'Relay status' }).waitFor();
		expect(await page.getByText('Only admins see the relay status.').count()).toBe(1);
		await page.close();
	});
});
