import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { PASSWORD, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';

async function signedIn(browser: Browser, relay: TestRelay, username: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const page = await context.newPage();
	await page.goto(`${relay.server.url}/login`);
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await syncIndicator(page, /^Synced · last at/);
	return { context, page };
}

function syncIndicator(page: Page, text: RegExp, timeout = 15_000) {
	return expect.poll(async () => (await page.locator('header a[href$="/unsynced"]').textContent())?.trim(), { timeout }).toMatch(text);
}

/** What the bell in the top bar says, e.g. "Inbox, 1 unread". */
async function inboxLabel(page: Page): Promise<string | null> {
	return page.locator('header a[href$="/inbox"]').getAttribute('aria-label');
}

/** Rep North's row in Sync Activity: its state and the last sync time it shows. */
async function repRow(page: Page): Promise<{ state: string; lastSync: string | null }> {
	const row = page.locator(`tr[data-user="${USERS.repNorth.username}"]`);
	if ((await row.count()) !== 1) return { state: '', lastSync: null };
	const time = row.locator('time');
	return { state: (await row.locator('td.state').innerText()).trim(), lastSync: (await time.count()) === 1 ? await time.getAttribute('datetime') : null };
}

const TITLE = 'Call Boulangerie du Nord';

describe('a manager\'s message and the dashboard, in two Chromium contexts', () => {
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

	it('reaches the offline rep when back online (count, list, one toast), and the dashboard sees the rep sync again', async () => {
		const rep = await signedIn(browser, relay, USERS.repNorth.username);
		const office = await signedIn(browser, relay, USERS.manager.username);
		expect(await inboxLabel(rep.page)).toBe('Inbox');

		// Managers have the dashboard in the navigation; reps do not.
		expect(await rep.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
		await office.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
		await office.page.getByRole('heading', { name: 'Team dashboard' }).waitFor();
		await expect.poll(async () => (await repRow(office.page)).state, { timeout: 15_000 }).toBe('Connected');

		// The rep loses the network; the dashboard, polling, shows it and when the rep was last there.
		await rep.context.setOffline(true);
		await expect.poll(() => rep.page.getByText('You are offline — changes are saved on this device').count()).toBe(1);
		await expect.poll(async () => (await repRow(office.page)).state, { timeout: 15_000 }).toBe('Offline');
		const whileOffline = (await repRow(office.page)).lastSync;
		expect(whileOffline).not.toBeNull();

		// The manager writes to the rep from the dashboard.
		const composer = office.page.getByRole('form', { name: 'Message reps' });
		await composer.getByLabel('To', { exact: true }).selectOption({ label: 'Rep North' });
		await composer.getByLabel('Subject').fill(TITLE);
		await composer.getByLabel('Message', { exact: true }).fill('They want to talk about the new oven.');
		await composer.getByLabel(/Urgent/).check();
		await composer.getByRole('button', { name: 'Send' }).click();
		await composer.getByText('Sent to Rep North; they see it at their next sync.').waitFor();
		expect(await inboxLabel(rep.page)).toBe('Inbox');

		// Back online: the unread count, one toast, and the message in the inbox.
		await rep.context.setOffline(false);
		await syncIndicator(rep.page, /^Synced · last at/, 20_000);
		await expect.poll(() => inboxLabel(rep.page), { timeout: 15_000 }).toBe('Inbox, 1 unread');
		const toast = rep.page.getByRole('alert').filter({ hasText: TITLE });
		await toast.waitFor({ timeout: 10_000 });
		await toast.getByRole('button', { name: 'Dismiss' }).click();

		// Once per device: after a reload the message is still unread, and no toast comes back.
		await rep.page.reload();
		await syncIndicator(rep.page, /^Synced · last at/);
		await expect.poll(() => inboxLabel(rep.page), { timeout: 15_000 }).toBe('Inbox, 1 unread');
		expect(await rep.page.getByRole('alert').filter({ hasText: TITLE }).count()).toBe(0);

		await rep.page.locator('header a[href$="/inbox"]').click();
		const list = rep.page.getByRole('list', { name: 'Messages' });
		await expect.poll(() => list.getByRole('listitem').count(), { timeout: 10_000 }).toBe(1);
		const message = list.getByRole('button', { name: `Unread: ${TITLE}` });
		await expect.poll(() => message.innerText()).toMatch(/New[\s\S]*They want to talk about the new oven\.[\s\S]*From Manager/);
		await message.click();
		await expect.poll(() => inboxLabel(rep.page), { timeout: 10_000 }).toBe('Inbox');
		expect(await list.getByRole('button', { name: TITLE, exact: true }).count()).toBe(1);

		// The dashboard shows the rep connected again, with a later last sync.
		await expect.poll(async () => (await repRow(office.page)).state, { timeout: 15_000 }).toBe('Connected');
		await expect.poll(async () => Date.parse((await repRow(office.page)).lastSync ?? '') > Date.parse(whileOffline!), { timeout: 15_000 }).toBe(true);

		await rep.context.close();
		await office.context.close();
	}, 120_000);

	it('lets an admin publish a new price from the dashboard, and the rep on that price list is told', async () => {
		const rep = await signedIn(browser, relay, USERS.repNorth.username);
		const admin = await signedIn(browser, relay, USERS.admin.username);
		await admin.page.goto(`${relay.server.url}/dashboard`);
		const editor = admin.page.getByRole('region', { name: 'Prices and promotions' });
		await editor.getByLabel('Price list', { exact: true }).selectOption({ label: 'Catalog standard' });
		await editor.getByLabel('Product', { exact: true }).selectOption({ label: 'BEV-0001 · Sparkling water 1 L · €0.95' });
		await expect.poll(() => editor.getByLabel('Price (€)').inputValue()).toBe('0.95');
		await editor.getByLabel('Price (€)').fill('1.05');
		await editor.getByRole('button', { name: 'Add to the batch' }).click();
		await editor.getByRole('button', { name: 'Publish 1 change' }).click();
		await editor.getByText('Published 1 change; reps on this price list are told with their next sync.').waitFor();

		await expect.poll(() => inboxLabel(rep.page), { timeout: 15_000 }).toMatch(/^Inbox, \d+ unread$/);
		await rep.page.locator('header a[href$="/inbox"]').click();
		const message = rep.page.getByRole('list', { name: 'Messages' }).getByRole('button', { name: 'Unread: New price: Sparkling water 1 L' });
		await expect.poll(() => message.innerText(), { timeout: 10_000 }).toMatch(/Price change[\s\S]*Sparkling water 1 L: €0\.95 → €1\.05/i);

		await rep.context.close();
		await admin.context.close();
	}, 120_000);
});
