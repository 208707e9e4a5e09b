import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { PASSWORD, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';

/** A fresh browser profile signed in against the real relay. */
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
	// The indicator is the header's link to the Unsynchronized page.
	return expect.poll(async () => (await page.locator('header a[href$="/unsynced"]').textContent())?.trim(), { timeout }).toMatch(text);
}

async function openAccount(page: Page, relay: TestRelay): Promise<void> {
	await page.goto(`${relay.server.url}/accounts/north-1`);
	await page.getByRole('heading', { name: 'Boulangerie du Nord' }).waitFor();
}

async function setField(page: Page, label: string, value: string): Promise<void> {
	await page.getByLabel(label, { exact: true }).fill(value);
	await page.getByLabel(label, { exact: true }).press('Tab');
}

function alsoHere(page: Page) {
	return expect.poll(async () => ((await page.getByRole('list', { name: 'Also here' }).count()) > 0 ? await page.getByRole('list', { name: 'Also here' }).innerText() : ''), {
		timeout: 10_000
	});
}

function conflictPanel(page: Page) {
	return page.getByRole('region', { name: /conflicts? to review$/ });
}

const REP_PHONE = '+33 4 11 11 11 11';
const OFFICE_PHONE = '+33 4 99 99 99 99';

describe('a manager and a rep on the same account in two Chromium contexts', () => {
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

	it('shows who else is here, merges offline edits, and lets either side settle the conflict for both', async () => {
		const rep = await signedIn(browser, relay, USERS.repNorth.username);
		const office = await signedIn(browser, relay, USERS.manager.username);
		await openAccount(rep.page, relay);
		await openAccount(office.page, relay);

		// Presence: each page shows the other, then which field the manager is in.
		await alsoHere(rep.page).toContain('Manager (manager) is viewing');
		await alsoHere(office.page).toContain('Rep North (rep) is viewing');
		await office.page.getByLabel('Phone', { exact: true }).focus();
		await alsoHere(rep.page).toContain('Manager (manager) is editing Phone');
		await office.page.getByRole('heading', { name: 'Boulangerie du Nord' }).click();
		await alsoHere(rep.page).toContain('Manager (manager) is viewing');

		// The rep loses the network and edits: another field, the same field, and the notes.
		await rep.context.setOffline(true);
		await expect.poll(() => rep.page.getByText('You are offline — changes are saved on this device').count()).toBe(1);
		await setField(rep.page, 'City', 'Lyon 1er');
		await setField(rep.page, 'Phone', REP_PHONE);
		await rep.page.getByLabel('Notes').fill('Rep: deliver before 9.');
		await syncIndicator(rep.page, /changes? waiting$/);

		// Meanwhile the office, online, edits a different field, the same field, and the notes.
		await setField(office.page, 'Email', 'office@nord.example');
		await setField(office.page, 'Phone', OFFICE_PHONE);
		await office.page.getByLabel('Notes').fill('Office: new credit terms.');
		await syncIndicator(office.page, /^Synced · last at/);
		expect(await conflictPanel(office.page).count()).toBe(0);

		await rep.context.setOffline(false);
		await syncIndicator(rep.page, /^Synced · last at/, 20_000);

		// Both pages show the merged account: every field kept, both notes, one phone.
		for (const page of [rep.page, office.page]) {
			await expect.poll(() => page.getByLabel('City', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('Lyon 1er');
			await expect.poll(() => page.getByLabel('Email', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('office@nord.example');
			await expect.poll(() => page.getByLabel('Notes').inputValue(), { timeout: 10_000 }).toMatch(/(?=.*Rep: deliver before 9\.)(?=.*Office: new credit terms\.)/);
		}
		const repPhone = await rep.page.getByLabel('Phone', { exact: true }).inputValue();
		await expect.poll(() => office.page.getByLabel('Phone', { exact: true }).inputValue()).toBe(repPhone);
		expect([REP_PHONE, OFFICE_PHONE]).toContain(repPhone);

		// …and the phone conflict, offered for review with both values and who wrote them.
		for (const page of [rep.page, office.page]) {
			const panel = conflictPanel(page);
			await panel.waitFor({ timeout: 10_000 });
			const conflict = panel.getByRole('group', { name: 'Conflict on Phone' });
			await expect.poll(() => conflict.innerText()).toMatch(/Manager/);
			await expect.poll(() => conflict.innerText()).toMatch(/Rep North/);
			expect(await conflict.getByRole('button', { name: `Keep ${REP_PHONE}` }).count()).toBe(1);
			expect(await conflict.getByRole('button', { name: `Keep ${OFFICE_PHONE}` }).count()).toBe(1);
		}

		// The Conflicts list on the rep's device names the account and the field.
		const list = await rep.context.newPage();
		await list.goto(`${relay.server.url}/conflicts`);
		await expect.poll(() => list.getByRole('list', { name: 'Open conflicts' }).innerText(), { timeout: 10_000 }).toMatch(/Boulangerie du Nord[\s\S]*Phone/);
		await list.close();

		// The manager keeps the rep's number: the rep's page gets the value and the conflict closes there too.
		await conflictPanel(office.page).getByRole('button', { name: `Keep ${REP_PHONE}` }).click();
		for (const page of [office.page, rep.page]) {
			await expect.poll(() => conflictPanel(page).count(), { timeout: 10_000 }).toBe(0);
			await expect.poll(() => page.getByLabel('Phone', { exact: true }).inputValue(), { timeout: 10_000 }).toBe(REP_PHONE);
		}

		await rep.context.close();
		await office.context.close();
	}, 120_000);

	it('flags an account that breaks a new rule until the rep fixes it, and shows who archived it', async () => {
		const rep = await signedIn(browser, relay, USERS.repNorth.username);
		const office = await signedIn(browser, relay, USERS.manager.username);
		await openAccount(office.page, relay);

		const res = await fetch(`${relay.server.url}/api/admin/validation-rules`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${await relay.login('admin')}`, 'content-type': 'application/json' },
			body: JSON.stringify([{ id: 'account-postal-code', kind: 'account', field: 'postalCode', check: 'required', message: 'postal code is required' }])
		});
		expect(res.status).toBe(200);

		// Marked in the rep's list, spelled out on the account.
		await rep.page.goto(`${relay.server.url}/accounts`);
		await expect.poll(() => rep.page.getByRole('link', { name: /Boulangerie du Nord/ }).innerText(), { timeout: 10_000 }).toMatch(/Needs attention/);
		await rep.page.getByRole('link', { name: /Boulangerie du Nord/ }).click();
		const flag = (page: Page) => page.getByText('Needs attention: postal code is required');
		await flag(rep.page).waitFor({ timeout: 10_000 });
		await flag(office.page).waitFor({ timeout: 10_000 });

		await setField(rep.page, 'Postal code', '69001');
		for (const page of [rep.page, office.page]) await expect.poll(() => flag(page).count(), { timeout: 10_000 }).toBe(0);

		await office.page.getByLabel('Account status').selectOption('archived');
		await expect.poll(() => rep.page.getByText(/^Archived by Manager/).count(), { timeout: 10_000 }).toBe(1);

		await rep.context.close();
		await office.context.close();
	}, 120_000);
});
