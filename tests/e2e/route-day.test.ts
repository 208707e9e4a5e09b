import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInbox, readVisit } from '../../src/lib/model';
import { optimiseRoute } from '../../src/lib/routes/optimise';
import { localDay } from '../../src/lib/ui/clock-time';
import { addDays } from '../../src/lib/ui/team-plan';
import { launchChromium } from '../helpers/browser';
import { PASSWORD, USERS } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { PLANNED_ORDER, ROUTE_STORES, visitIdFor, writeRouteDay, type RouteStoreId } from '../helpers/route-fixture';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

/** Metres as degrees of latitude, for placing the fake GPS near or away from a store. */
const metresNorth = (metres: number) => metres / 111_195;
const START = { latitude: 45.7745, longitude: 4.8345 };

interface RenderedStop {
	label: string;
	title: string;
}

/** A phone (or the office's browser) signed in against the real relay, with a fake GPS. */
async function signedIn(
	browser: Browser,
	relay: TestRelay,
	username: string,
	geolocation = START
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, geolocation, permissions: ['geolocation'] });
	const page = await context.newPage();
	await page.goto(`${relay.server.url}/login`);
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await synced(page);
	// The service worker must hold the app shell before the network goes away.
	await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 }).catch(async () => {
		await page.reload();
		await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
	});
	return { context, page };
}

function synced(page: Page, timeout = 15_000) {
	return expect
		.poll(async () => (await page.locator('header a[href$="/unsynced"]').textContent())?.trim(), { timeout })
		.toMatch(/^Synced · last at/);
}

/** What the map actually drew: the stop circles in its render tree, numbered as on screen. */
async function renderedStops(page: Page): Promise<RenderedStop[]> {
	await page.locator('[data-map-ready="true"]').waitFor({ timeout: 20_000 });
	return page.evaluate(() => {
		type Feature = { properties: { label: string; title: string } };
		const map = (window as unknown as { outriderMap?: { queryRenderedFeatures(options: { layers: string[] }): Feature[] } }).outriderMap;
		if (!map) return [];
		const seen = new Map<string, { label: string; title: string }>();
		for (const feature of map.queryRenderedFeatures({ layers: ['outrider-stops'] })) {
			seen.set(feature.properties.label, { label: feature.properties.label, title: feature.properties.title });
		}
		return [...seen.values()].sort((a, b) => Number(a.label) - Number(b.label));
	});
}

async function renderedCount(page: Page, layer: string): Promise<number> {
	return page.evaluate((id) => {
		const map = (window as unknown as { outriderMap?: { queryRenderedFeatures(options: { layers: string[] }): unknown[] } }).outriderMap;
		return map ? map.queryRenderedFeatures({ layers: [id] }).length : -1;
	}, layer);
}

const titles = (ids: readonly RouteStoreId[]) => ids.map((id) => ROUTE_STORES[id].name);

describe("a rep's day on the map, in Chromium with a fake GPS", () => {
	let relay: TestRelay;
	let browser: Browser;
	let day: string;
	const watchers: StockClient[] = [];
	/** The office's live view of a document on the server. */
	const office = async (docName: string) => {
		const client = connectStockClient(relay.wsBase, docName, await relay.login('manager'));
		watchers.push(client);
		await waitFor(`office synced ${docName}`, () => client.provider.synced);
		return client;
	};

	beforeEach(async () => {
		relay = await startTestRelay({}, { withApp: true });
		day = localDay(new Date());
		await writeRouteDay(relay.server.store, day);
		browser ??= await launchChromium();
	});
	afterEach(async () => {
		for (const w of watchers.splice(0)) w.destroy();
		await relay.stop();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('draws the route with numbered stops, optimises it on the device, opens a visit from a marker, and works offline', async () => {
		const { context, page } = await signedIn(browser, relay, 'rep-north');
		const today = page.getByRole('list', { name: "Today's visits" });
		await expect.poll(() => today.getByRole('link').count()).toBe(5);

		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
		await expect.poll(() => renderedStops(page), { timeout: 20_000 }).toEqual(titles(PLANNED_ORDER).map((title, i) => ({ label: String(i + 1), title })));
		expect(await renderedCount(page, 'outrider-route-line')).toBeGreaterThan(0);
		await expect.poll(() => renderedCount(page, 'outrider-you')).toBe(1);

		// The same optimiser, from the same GPS fix, gives the order the device must write.
		const expected = optimiseRoute(
			PLANNED_ORDER.map((id) => ({ id, position: { lat: ROUTE_STORES[id].lat, lng: ROUTE_STORES[id].lng } })),
			{ start: { lat: START.latitude, lng: START.longitude } }
		).order as RouteStoreId[];
		expect(expected).not.toEqual(PLANNED_ORDER);
		await page.getByRole('button', { name: 'Optimise route' }).click();
		await expect.poll(() => page.getByText(/^Route optimised from where you are: .* → /).count()).toBe(1);
		await expect.poll(() => renderedStops(page)).toEqual(titles(expected).map((title, i) => ({ label: String(i + 1), title })));

		// The order is written to the visits and reaches the office like any edit.
		const visits = await Promise.all(PLANNED_ORDER.map((id) => office(`visit:${visitIdFor(id, day)}`)));
		await waitFor(
			'office sees the new sequences',
			() => PLANNED_ORDER.every((id, i) => readVisit(visits[i]!.doc).sequence === expected.indexOf(id) + 1),
			15_000
		);
		expect(readVisit(visits[0]!.doc).plannedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

		// By hand: the last stop one place up.
		await page.getByRole('button', { name: 'Reorder' }).click();
		const last = ROUTE_STORES[expected[4]!].name;
		await page.getByRole('button', { name: `Move ${last} up` }).click();
		const byHand = [...expected.slice(0, 3), expected[4]!, expected[3]!];
		await expect.poll(() => renderedStops(page)).toEqual(titles(byHand).map((title, i) => ({ label: String(i + 1), title })));

		// Tap a stop on the map: its visit opens.
		await page.getByRole('button', { name: `Stop 1: ${ROUTE_STORES[byHand[0]!].name}` }).click();
		await page.waitForURL(new RegExp(`/visits/${visitIdFor(byHand[0]!, day)}$`));
		await page.getByRole('heading', { name: ROUTE_STORES[byHand[0]!].name }).waitFor();

		// With no network at all, the map page still opens and draws the route.
		await context.setOffline(true);
		await page.goto(`${relay.server.url}/map`);
		await expect.poll(() => page.getByRole('status').textContent()).toBe('You are offline — changes are saved on this device');
		await expect.poll(() => renderedStops(page), { timeout: 20_000 }).toEqual(titles(byHand).map((title, i) => ({ label: String(i + 1), title })));
		await page.getByRole('navigation', { name: 'Map views' }).getByRole('link', { name: 'Accounts' }).click();
		await expect.poll(() => renderedCount(page, 'outrider-stops'), { timeout: 20_000 }).toBe(6);
		await context.close();
	}, 180_000);

	it('checks in inside the fence with one tap and outside with a reason; plan vs actual shows the difference to rep and manager', async () => {
		const cafe = ROUTE_STORES['north-2'];
		// 900 m south of the café, and far from every other store.
		const awayFromCafe = { latitude: cafe.lat - metresNorth(900), longitude: cafe.lng };
		const { context, page } = await signedIn(browser, relay, 'rep-north', awayFromCafe);

		await page.getByRole('link', { name: new RegExp(cafe.name) }).click();
		await page.getByRole('button', { name: 'Check in' }).click();
		await page.getByText('Not at the store?').waitFor();
		expect(await page.getByText(/You are 9\d\d m from the store; check-in is expected within 200 m/).count()).toBe(1);
		await expect.poll(() => page.getByRole('button', { name: 'Check in anyway' }).isDisabled()).toBe(true);
		await page.getByLabel('Met the customer at another place').check();
		await page.getByRole('button', { name: 'Check in anyway' }).click();
		await page.getByText('Checked in away from the store: “Met the customer at another place”').waitFor();
		await page.getByLabel('Outcome').fill('Order by phone next week');
		await page.getByRole('button', { name: 'Check out' }).click();

		const bakery = ROUTE_STORES['north-1'];
		await context.setGeolocation({ latitude: bakery.lat + metresNorth(40), longitude: bakery.lng });
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
		await page.getByRole('link', { name: new RegExp(bakery.name) }).click();
		await page.getByRole('button', { name: 'Check in' }).click();
		await page.getByText(/^\s*Checked in at \d\d:\d\d/).waitFor();
		await page.getByText(/4\d m from the store/).waitFor();
		expect(await page.getByText('Not at the store?').count()).toBe(0);

		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
		await page.getByRole('link', { name: new RegExp(ROUTE_STORES['north-4'].name) }).click();
		await page.getByRole('button', { name: 'Skip this visit' }).click();
		await page.getByText('You skipped this visit; you can still check in.').waitFor();

		// The visits record both positions, the distance and the reason, and sync.
		const away = await office(`visit:${visitIdFor('north-2', day)}`);
		const near = await office(`visit:${visitIdFor('north-1', day)}`);
		await waitFor('office sees both check-ins', () => readVisit(away.doc).status === 'completed' && readVisit(near.doc).status === 'checked_in', 15_000);
		expect(readVisit(away.doc)).toMatchObject({
			checkInReason: 'Met the customer at another place',
			checkInStoreLat: cafe.lat,
			checkInStoreLng: cafe.lng,
			checkInLat: expect.closeTo(awayFromCafe.latitude, 6),
			checkInDistanceM: expect.any(Number),
			outcome: 'Order by phone next week'
		});
		expect(readVisit(away.doc).checkInDistanceM).toBeGreaterThan(850);
		expect(readVisit(near.doc)).toMatchObject({ checkInReason: null, checkInStoreLat: bakery.lat });
		expect(readVisit(near.doc).checkInDistanceM).toBeLessThan(60);

		// The rep's day summary.
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
		await page.getByRole('link', { name: 'Day summary' }).click();
		const summary = page.getByRole('region', { name: 'Day summary' });
		await expect.poll(() => summary.textContent()).toMatch(/2 of 5 visited, 1 skipped, 2 to do/);
		expect(await summary.textContent()).toMatch(/Off-site check-ins: 1/);
		expect(await summary.textContent()).toMatch(/Out of planned order: 2/);
		const cafeRow = page.getByRole('list', { name: /^Plan vs actual/ }).getByRole('listitem').filter({ hasText: cafe.name });
		expect(await cafeRow.textContent()).toMatch(/checked in \d\d:\d\d, visit 1 of the day/);
		expect(await cafeRow.textContent()).toMatch(/out of order/);
		expect(await cafeRow.textContent()).toMatch(/9\d\d m from the store\s*off-site/);
		expect(await cafeRow.textContent()).toContain('“Met the customer at another place”');
		await synced(page);

		// The manager sees the same, per rep.
		const office$ = await signedIn(browser, relay, 'manager');
		await office$.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
		const repNorth = office$.page.getByRole('region', { name: 'Rep North' });
		await expect.poll(() => repNorth.getByRole('region', { name: 'Day summary' }).textContent(), { timeout: 15_000 }).toMatch(/2 of 5 visited, 1 skipped/);
		expect(await repNorth.getByRole('region', { name: 'Day summary' }).textContent()).toMatch(/Off-site check-ins: 1/);
		await office$.context.close();
		await context.close();
	}, 180_000);

	it('a manager plans and reschedules visits; the rep gets them on sync with a message', async () => {
		const rep = await signedIn(browser, relay, 'rep-north');
		const manager = await signedIn(browser, relay, 'manager');
		const cheese = ROUTE_STORES['north-6'].name;
		const tabac = ROUTE_STORES['north-4'].name;

		const { page } = manager;
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
		await page.getByRole('region', { name: 'Rep North' }).waitFor();
		await page.getByText('Plan a visit').click();
		await page.getByLabel('Find account').fill('fromagerie');
		await page.getByLabel('Account', { exact: true }).selectOption({ label: cheese });
		await page.getByLabel('Rep', { exact: true }).selectOption({ label: 'Rep North' });
		await page.getByLabel('Appointment (optional)').fill('10:30');
		await page.getByLabel('High priority').first().check();
		await page.getByRole('button', { name: 'Plan visit' }).click();
		await page.getByText(new RegExp(`^Planned ${cheese} for Rep North`)).waitFor();

		const moveTo = addDays(day, 1);
		const repNorth = page.getByRole('region', { name: 'Rep North' });
		await repNorth.getByRole('button', { name: `Change the visit to ${tabac}` }).click();
		const form = repNorth.getByRole('listitem').filter({ hasText: tabac });
		await form.getByLabel('Day').fill(moveTo);
		await form.getByRole('button', { name: 'Save' }).click();
		await page.getByText(`Saved ${tabac}.`).waitFor();

		// The rep's phone: the new visit arrives with its message, the moved one leaves today.
		const today = rep.page.getByRole('list', { name: "Today's visits" });
		await expect.poll(() => today.getByRole('link', { name: new RegExp(cheese) }).count(), { timeout: 20_000 }).toBe(1);
		await expect.poll(() => today.getByRole('link', { name: new RegExp(tabac) }).count(), { timeout: 20_000 }).toBe(0);
		const updates = rep.page.getByRole('region', { name: 'Plan updates' });
		await expect.poll(() => updates.textContent()).toContain(`New visit: ${cheese}`);
		expect(await updates.textContent()).toContain(`Visit moved: ${tabac}`);
		expect(await today.getByRole('link', { name: new RegExp(cheese) }).textContent()).toMatch(/appointment 10:30/);

		const inbox = await office(`inbox:${USERS.repNorth.id}`);
		expect(readInbox(inbox.doc).map((m) => m.kind)).toEqual(['visit_planned', 'visit_rescheduled']);
		const moved = await office(`visit:${visitIdFor('north-4', day)}`);
		expect(readVisit(moved.doc).plannedDate).toBe(moveTo);

		await updates.getByRole('button', { name: 'Mark as read' }).click();
		await expect.poll(() => updates.count()).toBe(0);
		await waitFor('read on the server', () => readInbox(inbox.doc).every((m) => m.readAt !== null), 15_000);
		await manager.context.close();
		await rep.context.close();
	}, 180_000);
});
