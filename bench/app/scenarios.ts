/**
 * The three measured moments of a rep's day, each driven through the real UI
 * in headless Chromium against the real server: the first sign-in, a cold
 * start with no network, and the reconnect after a day of offline edits.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { setAccountFields } from '../../src/lib/model/index';
import { connectStockClient, type StockClient } from '../../tests/helpers/stock-client';
import { mainThread, mainThreadSince, openDevtools, startProfiler, stopProfiler, summarizeProfile, type MainThread, type ProfileSummary } from './devtools';
import { frameStats, type FrameStats } from './frame-stats';
import { NetworkMeter, type NetEvent, type Traffic } from './network-meter';
import { probeScript, type ProbeRecord, type Transition } from './page-probe';
import type { ServerHost } from './server-host';

/**
 * Epoch milliseconds by the driver's clock. The page's clock can disagree with
 * it by much more than the durations measured (the machine's wall clock may be
 * stepped between the two reading it), so durations are taken within the page's
 * clock, and driver-side events are moved onto it with clockOffset().
 */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Epoch milliseconds by the page's clock. */
async function pageNow(page: Page): Promise<number> {
	return page.evaluate(() => performance.timeOrigin + performance.now());
}

/** Page clock minus driver clock, from the quickest of a few round trips. */
async function clockOffset(page: Page): Promise<number> {
	let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
	for (let i = 0; i < 5; i++) {
		const before = epochNow();
		const inPage = await pageNow(page);
		const after = epochNow();
		if (after - before < best.rtt) best = { rtt: after - before, offset: inPage - (before + after) / 2 };
	}
	return best.offset;
}

const SYNCED = /^Synced · last at/;
/**
 * Chromium's own update check of the service worker script on navigation is
 * made by the browser, not the page, and Playwright's offline emulation does
 * not cover it; it is reported but not held against the app.
 */
const SERVICE_WORKER_SCRIPT = 'service-worker.js';

export interface ScenarioEnv {
	browser: Browser;
	server: ServerHost;
	timeoutMs: number;
	/** Record a V8 CPU profile of the page during the measured windows (slows the page down). */
	profile: boolean;
	log(line: string): void;
}

export interface TimelineEntry {
	/** Milliseconds after the measured window began. */
	ms: number;
	what: string;
}

/** Main-thread tasks over 50 ms in a window: how often and how long the page could not respond. */
export interface LongTasks {
	count: number;
	totalMs: number;
	longestMs: number;
}

export interface ServerCpu {
	cpuMs: number;
	requests: number;
	upgrades: number;
}

export interface FirstSignInResult {
	docsExpected: number;
	/** The N of "Downloading x of N", i.e. what the device's manifest named. */
	docsReported: number | null;
	/** Click on "Sign in" (its input event) until the indicator says "Synced · last at …", page clock. */
	ms: number;
	/** The same seen from the driver, including its round trips. */
	driverMs: number;
	longTasks: LongTasks;
	trafficAtSynced: Traffic;
	/** Including what still flowed after the indicator turned (until 1 s of silence). */
	trafficUntilQuiet: Traffic;
	/** HTTP bytes received per path during the window. */
	httpByPath: Record<string, number>;
	/** The websocket bytes until "Synced", by protocol message. */
	frames: FrameStats;
	mainThread: MainThread;
	server: ServerCpu;
	timeline: TimelineEntry[];
	profile?: ProfileSummary;
}

export interface ColdStartResult {
	accountsExpected: number;
	docsOnDevice: number;
	/** Sign-in of this larger device, for context (not a target). */
	signInMs: number;
	/** Navigation start of the new page (page.goto('/accounts')) until the list shows every account. */
	listMs: number;
	/** The search's input event until the list shrank. */
	searchMs: number;
	/** listMs + searchMs: what the rep waits for, the target's measure. */
	totalMs: number;
	/** From the driver's page.goto call until the list shrank, including the driver's own gap before it typed. */
	wallMs: number;
	query: string;
	matches: string;
	/** Tap on an account until its name is in the Name input, right after the cold start. */
	openMs: number;
	/** The same on another account once the page went idle (background loading done). */
	warmOpenMs: number;
	longTasksUntilList: LongTasks;
	longTasksUntilIdle: LongTasks;
	/** From page.goto until the main thread went quiet (the device finished loading its documents). */
	busyAfterStartMs: number;
	/** Every repeat; the figures above are their medians, the details below are of the last one. */
	runs: ColdRun[];
	/** From when the driver could attach its CDP session (after the commit) until the search was typed. */
	mainThreadUntilList: MainThread;
	/** Requests of the page that reached the server while the device was offline (must be 0). */
	serverRequestsWhileOffline: number;
	/** Which paths they were for ("ws" for websocket upgrades). */
	serverPathsWhileOffline: Record<string, number>;
	timeline: TimelineEntry[];
	profile?: ProfileSummary;
	openProfile?: ProfileSummary;
}

export interface ReconnectResult {
	docsOnDevice: number;
	editedOnDevice: number;
	editedOnServer: number;
	/** setOffline(false) until the indicator says "Synced · last at …". */
	ms: number;
	trafficAtSynced: Traffic;
	trafficUntilQuiet: Traffic;
	httpByPath: Record<string, number>;
	/** The websocket bytes until "Synced" (and until quiet) by protocol message; "touched" = the 2×edits changed documents. */
	frames: FrameStats;
	framesUntilQuiet: FrameStats;
	/** The manifest body as served (JSON) and what gzip would make of it. */
	manifest: { entries: number; jsonBytes: number; gzipBytes: number };
	/** Server edits visible in the device's search afterwards, and device edits found on the server. */
	serverEditsOnDevice: number;
	deviceEditsOnServer: number;
	timeline: TimelineEntry[];
	/** Websocket bytes as they crossed the network (after per-message compression), from the relay's counters. */
	wire: { wsSentByDevice: number; wsReceivedByDevice: number };
}

export interface DeviceAccount {
	id: string;
	title: string;
}

// ---------------------------------------------------------------- 1. first sign-in

export async function measureFirstSignIn(
	env: ScenarioEnv,
	user: { username: string; password: string },
	docsExpected: number
): Promise<FirstSignInResult> {
	const context = await newDevice(env.browser, env.server.url);
	try {
		const page = await context.newPage();
		watchErrors(page, env.log);
		const meter = NetworkMeter.attach(page);
		await readyToSignIn(page, meter, user, env.timeoutMs);
		const session = await openDevtools(page);

		const mark = meter.mark();
		const mt0 = await mainThread(session);
		const srv0 = await env.server.stats();
		if (env.profile) await startProfiler(session);
		const offset = await clockOffset(page);
		if (Math.abs(offset) > 50) env.log(`  note: the page's clock is ${Math.round(offset)} ms off the driver's`);
		const t0 = await pageNow(page);
		await page.getByRole('button', { name: 'Sign in' }).click();
		const syncedAt = await waitForTransition(page, 'label', SYNCED.source, t0, env.timeoutMs, 'the indicator to say "Synced · last at"');
		const driverMs = epochNow() + offset - t0;
		const profile = env.profile ? summarizeProfile(await stopProfiler(session)) : undefined;
		const mt1 = await mainThread(session);
		const srv1 = await env.server.stats();
		await meter.settle(1000, 15_000);

		const probe = await readProbe(page);
		const clickAt = probe.clicks.find((c) => c.t >= t0)?.t ?? t0;
		const labels = probe.label.filter((l) => l.t >= clickAt);
		return {
			docsExpected,
			docsReported: downloadTotal(labels),
			ms: syncedAt - clickAt,
			driverMs,
			longTasks: longTasksBetween(probe, clickAt, syncedAt),
			trafficAtSynced: trafficAt(meter, mark, probe, clickAt, syncedAt, offset),
			trafficUntilQuiet: meter.trafficSince(mark),
			httpByPath: meter.httpByPath(mark),
			frames: frameStats(messagesAt(meter, mark, probe, clickAt, syncedAt), new Set()),
			mainThread: mainThreadSince(mt1, mt0),
			server: serverDelta(srv0, srv1),
			timeline: timeline(clickAt, syncedAt, labels, meter.eventsSince(mark), probe.longTasks, offset),
			profile
		};
	} finally {
		await context.close().catch(() => undefined);
	}
}

// ---------------------------------------------------------------- 2. cold offline start, 3. reconnect

export interface DeviceDayPlan {
	user: { username: string; password: string };
	accounts: DeviceAccount[];
	docsExpected: number;
	edits: number;
	/** Cold starts in a row (each a new page); medians are reported. */
	coldRuns: number;
	/** Manager credentials for the server-side edits. */
	manager: { username: string; password: string };
}

/** Signs a device in, then measures its cold offline start and, on the same device, the reconnect. */
export async function measureDeviceDay(
	env: ScenarioEnv,
	plan: DeviceDayPlan,
	report: { cold(result: ColdStartResult): void; reconnect(result: ReconnectResult): void }
): Promise<void> {
	const context = await newDevice(env.browser, env.server.url);
	try {
		const signIn = await signInAndSync(env, context, plan.user);
		const cold = await measureColdStart(env, context, plan, signIn, plan.coldRuns);
		report.cold(cold.result);
		report.reconnect(await measureReconnect(env, context, cold.page, cold.meter, plan));
	} finally {
		await context.close().catch(() => undefined);
	}
}

async function signInAndSync(env: ScenarioEnv, context: BrowserContext, user: { username: string; password: string }): Promise<{ ms: number; docs: number | null }> {
	const page = await context.newPage();
	watchErrors(page, env.log);
	const meter = NetworkMeter.attach(page);
	await readyToSignIn(page, meter, user, env.timeoutMs);
	const session = await openDevtools(page);
	const t0 = await pageNow(page);
	await page.getByRole('button', { name: 'Sign in' }).click();
	const syncedAt = await waitForTransition(page, 'label', SYNCED.source, t0, env.timeoutMs, 'the first sync of the device');
	// Let the device write its index and the last documents before the network goes.
	await meter.settle(1500, 20_000);
	await waitForIdle(session, 20_000).catch(() => undefined);
	const probe = await readProbe(page);
	const clickAt = probe.clicks.find((c) => c.t >= t0)?.t ?? t0;
	await session.detach().catch(() => undefined);
	await page.close();
	return { ms: syncedAt - clickAt, docs: downloadTotal(probe.label.filter((l) => l.t >= clickAt)) };
}

/** One cold start's figures (ms), for the repeats. */
export interface ColdRun {
	listMs: number;
	searchMs: number;
	totalMs: number;
	wallMs: number;
	openMs: number;
	warmOpenMs: number;
	busyAfterStartMs: number;
}

async function measureColdStart(
	env: ScenarioEnv,
	context: BrowserContext,
	plan: DeviceDayPlan,
	signIn: { ms: number; docs: number | null },
	runs: number
): Promise<{ result: ColdStartResult; page: Page; meter: NetworkMeter }> {
	await context.setOffline(true);
	const srv0 = await env.server.stats();
	const all: ColdRun[] = [];
	for (let i = 1; ; i++) {
		const last = i >= runs;
		const run = await coldRun(env, context, plan, env.profile && last);
		all.push(run.figures);
		env.log(`  cold start ${i}/${runs}: list ${Math.round(run.figures.listMs)} ms, open ${Math.round(run.figures.openMs)} ms`);
		if (!last) {
			await run.page.close();
			continue;
		}
		const srv1 = await env.server.stats();
		const median = (pick: (r: ColdRun) => number) => medianOf(all.map(pick));
		const result: ColdStartResult = {
			...run.details,
			accountsExpected: plan.accounts.length,
			docsOnDevice: signIn.docs ?? plan.docsExpected,
			signInMs: signIn.ms,
			listMs: median((r) => r.listMs),
			searchMs: median((r) => r.searchMs),
			totalMs: median((r) => r.totalMs),
			wallMs: median((r) => r.wallMs),
			openMs: median((r) => r.openMs),
			warmOpenMs: median((r) => r.warmOpenMs),
			busyAfterStartMs: median((r) => r.busyAfterStartMs),
			runs: all,
			serverRequestsWhileOffline: Object.entries(requestsBetween(srv0, srv1))
				.filter(([path]) => path !== SERVICE_WORKER_SCRIPT)
				.reduce((n, [, count]) => n + count, 0),
			serverPathsWhileOffline: requestsBetween(srv0, srv1)
		};
		return { result, page: run.page, meter: run.meter };
	}
}

type ColdDetails = Pick<
	ColdStartResult,
	'query' | 'matches' | 'longTasksUntilList' | 'longTasksUntilIdle' | 'mainThreadUntilList' | 'timeline' | 'profile' | 'openProfile'
>;

/** Opens the app in a new page of the (offline) context and measures list, search and opening accounts. */
async function coldRun(
	env: ScenarioEnv,
	context: BrowserContext,
	plan: DeviceDayPlan,
	profiled: boolean
): Promise<{ figures: ColdRun; details: ColdDetails; page: Page; meter: NetworkMeter }> {
	const accountsExpected = plan.accounts.length;
	// A new page in the same context: the app shell comes from the service worker, the data from IndexedDB.
	const page = await context.newPage();
	watchErrors(page, env.log);
	const meter = NetworkMeter.attach(page);

	const gotoAt = epochNow();
	await page.goto('/accounts', { waitUntil: 'commit', timeout: env.timeoutMs });
	// Only now: a CDP session attached across the move to the app's renderer would put the page back online.
	const session = await openDevtools(page);
	const offset = await clockOffset(page);
	if (Math.abs(offset) > 50) env.log(`  note: the page's clock is ${Math.round(offset)} ms off the driver's`);
	const committedAt = epochNow() + offset;
	// The new document's navigation start: what "from goto" means on the page's clock.
	const t0 = (await readProbe(page)).origin;
	const mt0 = await mainThread(session);
	if (profiled) await startProfiler(session);
	const shown = Math.min(100, accountsExpected);
	const allListed = accountsExpected > shown ? `^${shown}\\|Showing ${shown} of ${accountsExpected}\\b` : `^${shown}\\|`;
	const listAt = await waitForTransition(page, 'accounts', allListed, t0, env.timeoutMs, `the list of ${accountsExpected} accounts`);
	const query = searchQueryFor(plan.accounts);
	await page.getByLabel('Search accounts').fill(query);
	const mtList = await mainThread(session);
	const inputAt = (await readProbe(page)).inputs.find((i) => i.t >= t0 && i.value === query)?.t ?? listAt;
	const shrinkAt = await waitForTransition(page, 'accounts', `^(?!${shown}\\|Showing ${shown} of ${accountsExpected}\\b)[1-9]\\d*\\|`, inputAt, env.timeoutMs, 'the search to narrow the list');
	const profile = profiled ? summarizeProfile(await stopProfiler(session)) : undefined;
	const matches = ((await readProbe(page)).accounts.find((a) => a.t === shrinkAt)?.value ?? '').split('|')[0] ?? '';

	// Open an account at once, as a rep who found it would.
	if (profiled) await startProfiler(session);
	const openMs = await openAccountFromList(page, 0, env.timeoutMs);
	const openProfile = profiled ? summarizeProfile(await stopProfiler(session)) : undefined;

	const idleAt = (await waitForIdle(session, 60_000)) + offset;
	await page.goBack({ waitUntil: 'commit' });
	await waitForTransition(page, 'accounts', '^[1-9]\\d*\\|', 0, env.timeoutMs, 'the list after going back');
	await page.getByLabel('Search accounts').fill(query);
	await page.waitForTimeout(300);
	const warmOpenMs = await openAccountFromList(page, 1, env.timeoutMs);

	const probe = await readProbe(page);
	// The session stays attached: detaching it while offline also drops the offline emulation.
	return {
		figures: {
			listMs: listAt - t0,
			searchMs: shrinkAt - inputAt,
			totalMs: listAt - t0 + (shrinkAt - inputAt),
			wallMs: shrinkAt - (gotoAt + offset),
			openMs,
			warmOpenMs,
			busyAfterStartMs: idleAt - t0
		},
		details: {
			query,
			matches,
			longTasksUntilList: longTasksBetween(probe, t0, listAt),
			longTasksUntilIdle: longTasksBetween(probe, t0, idleAt),
			mainThreadUntilList: mainThreadSince(mtList, mt0),
			timeline: [
				...probe.heading.filter((h) => h.t >= t0 && h.t <= shrinkAt).map((h) => ({ ms: h.t - t0, what: `heading "${h.value ?? ''}"` })),
				...probe.label.filter((l) => l.t >= t0 && l.t <= shrinkAt).map((l) => ({ ms: l.t - t0, what: `indicator "${l.value ?? ''}"` })),
				...probe.accounts.filter((a) => a.t >= t0 && a.t <= shrinkAt).map((a) => ({ ms: a.t - t0, what: `accounts list ${a.value ?? '(none)'}` })),
				{ ms: gotoAt + offset - t0, what: 'page.goto called (driver)' },
				{ ms: committedAt - t0, what: 'driver attached to the page (CDP session)' },
				...probe.longTasks.filter((l) => l.t >= t0 && l.t <= idleAt).map((l) => ({ ms: l.t - t0, what: `long task ${Math.round(l.ms)} ms` })),
				{ ms: inputAt - t0, what: `search "${query}" typed` },
				{ ms: idleAt - t0, what: 'main thread idle (documents loaded)' }
			].sort((a, b) => a.ms - b.ms),
			profile,
			openProfile
		},
		page,
		meter
	};
}

export function medianOf(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function measureReconnect(env: ScenarioEnv, context: BrowserContext, page: Page, meter: NetworkMeter, plan: DeviceDayPlan): Promise<ReconnectResult> {
	const n = plan.edits;
	if (plan.accounts.length < 2 * n) throw new Error(`need ${2 * n} accounts, the device has ${plan.accounts.length}`);
	const onDevice = plan.accounts.slice(0, n);
	const onServer = plan.accounts.slice(n, 2 * n);
	// Unspaced so a search for the prefix finds exactly these (search matches every space-separated word anywhere).
	const devicePhone = (i: number) => `06112233${String(i).padStart(2, '0')}`;
	const serverPhone = (i: number) => `04990000${String(i).padStart(2, '0')}`;

	// A day of edits on the device, through the screens a rep uses, with no network.
	for (const [i, account] of onDevice.entries()) {
		await gotoAccountsTab(page, env.timeoutMs);
		await page.getByLabel('Search accounts').fill(account.title);
		await page
			.getByRole('list', { name: 'Accounts' })
			.getByRole('link')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(account.title)}(\\s|$)`) })
			.first()
			.click({ timeout: env.timeoutMs });
		await page.waitForFunction(
			(title) => {
				const label = Array.from(document.querySelectorAll('label')).find((l) => l.textContent?.trim() === 'Name');
				return (document.getElementById(label?.htmlFor ?? '') as HTMLInputElement | null)?.value === title;
			},
			account.title,
			{ timeout: env.timeoutMs }
		);
		const phone = page.getByLabel('Phone', { exact: true });
		await phone.fill(devicePhone(i));
		await phone.press('Tab');
		const waiting = i === 0 ? '^1 change waiting' : `^${i + 1} changes waiting`;
		await waitForTransition(page, 'label', waiting, 0, env.timeoutMs, `"${i + 1} changes waiting"`);
	}
	await gotoAccountsTab(page, env.timeoutMs);
	env.log(`  ${n} accounts edited offline on the device`);

	// Meanwhile the office changes other documents of the same territory.
	await editOnServer(env, plan.manager, onServer, serverPhone);
	env.log(`  ${n} other accounts edited on the server by ${plan.manager.username}`);

	await page.waitForTimeout(500);
	const wireBefore = await wireBytes(env.server.url);
	const mark = meter.mark();
	const offset = await clockOffset(page);
	const t0 = await pageNow(page);
	await context.setOffline(false);
	const syncedAt = await waitForTransition(page, 'label', SYNCED.source, t0, env.timeoutMs, 'the reconnect to settle');
	await meter.settle(1500, 30_000);
	const probe = await readProbe(page);
	const trafficAtSynced = trafficAt(meter, mark, probe, t0, syncedAt, offset);
	const trafficUntilQuiet = meter.trafficSince(mark);
	const wireAfter = await wireBytes(env.server.url);
	const httpByPath = meter.httpByPath(mark);
	const events = meter.eventsSince(mark);
	const touched = new Set([...onDevice, ...onServer].map((a) => `account:${a.id}`));
	const samples = [onDevice[0], onServer[0], plan.accounts[2 * n]].filter((a): a is DeviceAccount => a !== undefined).map((a) => `account:${a.id}`);
	const frames = frameStats(messagesAt(meter, mark, probe, t0, syncedAt), touched, samples);
	const framesUntilQuiet = frameStats(meter.messagesSince(mark), touched);
	const manifest = await manifestSize(env.server.url, plan.user);

	// Both directions arrived: the office's phones are searchable on the device, the rep's are on the server.
	await page.getByLabel('Search accounts').fill('04990000');
	let serverEditsOnDevice = n;
	try {
		await waitForTransition(page, 'accounts', `^${n}\\|`, t0, 10_000, 'the office edits in the device search');
	} catch {
		serverEditsOnDevice = Number(((await readProbe(page)).accounts.at(-1)?.value ?? '0|').split('|')[0]);
	}
	const deviceEditsOnServer = await countOnServer(env, plan.manager, onDevice, devicePhone);

	return {
		docsOnDevice: plan.docsExpected,
		editedOnDevice: n,
		editedOnServer: n,
		ms: syncedAt - t0,
		trafficAtSynced,
		trafficUntilQuiet,
		httpByPath,
		frames,
		framesUntilQuiet,
		manifest,
		serverEditsOnDevice,
		deviceEditsOnServer,
		timeline: timeline(t0, syncedAt, probe.label.filter((l) => l.t >= t0), events, probe.longTasks, offset),
		wire: { wsSentByDevice: wireAfter.received - wireBefore.received, wsReceivedByDevice: wireAfter.sent - wireBefore.sent }
	};
}

/** The relay's running totals of websocket bytes on the wire. */
async function wireBytes(baseUrl: string): Promise<{ received: number; sent: number }> {
	const text = await (await fetch(`${baseUrl}/metrics`)).text();
	const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
	return { received: read('outrider_ws_wire_bytes_received'), sent: read('outrider_ws_wire_bytes_sent') };
}

// ---------------------------------------------------------------- steps

async function newDevice(browser: Browser, baseURL: string): Promise<BrowserContext> {
	// A phone-sized window in UTC, so "today" on the device is the seeded day.
	const context = await browser.newContext({ baseURL, timezoneId: 'UTC', viewport: { width: 412, height: 915 }, serviceWorkers: 'allow' });
	// tsx compiles with esbuild's keepNames, which wraps named functions in a `__name` helper the page lacks.
	await context.addInitScript({ content: `globalThis.__name ??= (f) => f;\n(${probeScript.toString()})();` });
	return context;
}

async function readyToSignIn(page: Page, meter: NetworkMeter, user: { username: string; password: string }, timeoutMs: number): Promise<void> {
	await page.goto('/login', { timeout: timeoutMs });
	await page.getByLabel('Username').fill(user.username);
	await page.getByLabel('Password').fill(user.password);
	// A rep types for seconds: by then the service worker has installed and cached the shell.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await meter.settle(500, 15_000);
}

/** Clicks the `index`-th account of the list; ms from the click until its name is in the Name input. */
async function openAccountFromList(page: Page, index: number, timeoutMs: number): Promise<number> {
	const link = page.getByRole('list', { name: 'Accounts' }).getByRole('link').nth(index);
	const title = ((await link.locator('.name').textContent({ timeout: timeoutMs })) ?? '').trim();
	const t0 = await pageNow(page);
	await link.click({ timeout: timeoutMs });
	const shownAt = await waitForTransition(page, 'nameInput', `^${escapeRegExp(title)}$`, t0, timeoutMs, `"${title}" in the Name input`);
	const clickAt = (await readProbe(page)).clicks.find((c) => c.t >= t0)?.t ?? t0;
	return shownAt - clickAt;
}

async function gotoAccountsTab(page: Page, timeoutMs: number): Promise<void> {
	if (new URL(page.url()).pathname === '/accounts') return;
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click({ timeout: timeoutMs });
	await page.getByLabel('Search accounts').waitFor({ timeout: timeoutMs });
}

async function editOnServer(
	env: ScenarioEnv,
	manager: { username: string; password: string },
	accounts: DeviceAccount[],
	phone: (i: number) => string
): Promise<void> {
	const token = await login(env.server.url, manager);
	// A few at a time: each y-websocket provider holds a process 'exit' listener while it lives.
	for (let first = 0; first < accounts.length; first += 5) {
		const clients: StockClient[] = [];
		try {
			for (const [k, account] of accounts.slice(first, first + 5).entries()) {
				const client = connectStockClient(env.server.wsBase, `account:${account.id}`, token);
				clients.push(client);
				await whenSynced(client, env.timeoutMs);
				setAccountFields(client.doc, { phone: phone(first + k) });
			}
			// The stock client has no durable acknowledgement: give the relay's group commit (50 ms) ample time.
			await new Promise((r) => setTimeout(r, 500));
		} finally {
			for (const c of clients) c.destroy();
		}
	}
}

async function countOnServer(env: ScenarioEnv, manager: { username: string; password: string }, accounts: DeviceAccount[], phone: (i: number) => string): Promise<number> {
	const token = await login(env.server.url, manager);
	let found = 0;
	for (const [i, account] of accounts.entries()) {
		const client = connectStockClient(env.server.wsBase, `account:${account.id}`, token);
		try {
			await whenSynced(client, env.timeoutMs);
			if (client.doc.getMap('fields').get('phone') === phone(i)) found++;
		} finally {
			client.destroy();
		}
	}
	return found;
}

function whenSynced(client: StockClient, timeoutMs: number): Promise<void> {
	if (client.provider.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${client.provider.roomname} did not sync within ${timeoutMs} ms`)), timeoutMs);
		client.provider.once('sync', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

async function manifestSize(baseUrl: string, user: { username: string; password: string }): Promise<{ entries: number; jsonBytes: number; gzipBytes: number }> {
	const token = await login(baseUrl, user);
	const today = new Date().toISOString().slice(0, 10);
	const res = await fetch(`${baseUrl}/api/manifest?today=${today}`, { headers: { authorization: `Bearer ${token}` } });
	const body = Buffer.from(await res.arrayBuffer());
	return { entries: ((JSON.parse(body.toString()) as { docs: unknown[] }).docs ?? []).length, jsonBytes: body.byteLength, gzipBytes: gzipSync(body).byteLength };
}

async function login(baseUrl: string, user: { username: string; password: string }): Promise<string> {
	const res = await fetch(`${baseUrl}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(user)
	});
	if (res.status !== 200) throw new Error(`login of ${user.username} failed: ${res.status}`);
	return ((await res.json()) as { token: string }).token;
}

/** A few letters of one account's name that match some accounts but not all. */
function searchQueryFor(accounts: DeviceAccount[]): string {
	const words = new Map<string, number>();
	for (const a of accounts) {
		for (const w of new Set(a.title.toLowerCase().split(/[^a-zà-ÿ]+/).filter((x) => x.length >= 5))) {
			const stem = w.slice(0, 4);
			words.set(stem, (words.get(stem) ?? 0) + 1);
		}
	}
	// A surname-like fragment: in a handful of names, as a rep looking for one shop would type.
	const candidates = [...words.entries()].filter(([, n]) => n >= 2 && n <= Math.max(3, accounts.length / 10)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	return candidates[0]?.[0] ?? accounts[0]?.title.slice(0, 4).toLowerCase() ?? 'a';
}

// ---------------------------------------------------------------- probe helpers

async function readProbe(page: Page): Promise<ProbeRecord> {
	return page.evaluate(() => (window as unknown as { __bench: ProbeRecord }).__bench);
}

/** Waits until the probe's `track` took a value matching `pattern` at or after `since`; returns when (epoch ms). */
async function waitForTransition(page: Page, track: 'label' | 'accounts' | 'heading' | 'nameInput', pattern: string, since: number, timeoutMs: number, what: string): Promise<number> {
	try {
		const handle = await page.waitForFunction(
			({ track, pattern, since }) => {
				const probe = (window as unknown as { __bench?: ProbeRecord }).__bench;
				const re = new RegExp(pattern);
				const hit = probe?.[track].find((x: Transition) => x.t >= since && x.value !== null && re.test(x.value));
				return hit ? hit.t : false;
			},
			{ track, pattern, since },
			{ timeout: timeoutMs, polling: 20 }
		);
		return (await handle.jsonValue()) as number;
	} catch (err) {
		const probe = await readProbe(page).catch(() => undefined);
		const last = probe?.[track].at(-1)?.value;
		throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last ${track}: ${JSON.stringify(last)}): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
	}
}

/** Resolves (epoch ms) once the main thread ran less than 5% busy over a 500 ms window. */
async function waitForIdle(session: CDPSession, timeoutMs: number): Promise<number> {
	const start = epochNow();
	let last = await mainThread(session);
	let lastAt = epochNow();
	let busySince = lastAt;
	while (epochNow() - start < timeoutMs) {
		await new Promise((r) => setTimeout(r, 500));
		const now = await mainThread(session);
		const at = epochNow();
		if (now.taskMs - last.taskMs < 0.05 * (at - lastAt)) return busySince;
		busySince = at;
		last = now;
		lastAt = at;
	}
	throw new Error(`the page did not go idle within ${timeoutMs} ms`);
}

/**
 * Traffic from the driver's `mark` up to the page's `until` (`offset`: page
 * clock minus driver clock): HTTP by time, and
 * websocket messages by count, since the page stamped exactly how many it had
 * handled by then (the driver hears of frames a little later than the page).
 */
function trafficAt(meter: NetworkMeter, mark: number, probe: ProbeRecord, from: number, until: number, offset: number): Traffic {
	const traffic = meter.trafficSince(mark, until - offset);
	const ws = probe.ws.filter((m) => m.t >= from && m.t <= until);
	traffic.wsSentMessages = ws.filter((m) => m.dir === 's').length;
	traffic.wsReceivedMessages = ws.filter((m) => m.dir === 'r').length;
	traffic.wsSentBytes = ws.filter((m) => m.dir === 's').reduce((n, m) => n + m.bytes, 0);
	traffic.wsReceivedBytes = ws.filter((m) => m.dir === 'r').reduce((n, m) => n + m.bytes, 0);
	return traffic;
}

/** The driver's copies of the messages the page handled between `from` and `until` (the driver's log starts at `mark`, just before `from`). */
function messagesAt(meter: NetworkMeter, mark: number, probe: ProbeRecord, from: number, until: number): Array<{ direction: 'sent' | 'received'; payload: Uint8Array }> {
	const seen = probe.ws.filter((m) => m.t >= from && m.t <= until);
	const all = meter.messagesSince(mark);
	const sent = all.filter((m) => m.direction === 'sent').slice(0, seen.filter((m) => m.dir === 's').length);
	const received = all.filter((m) => m.direction === 'received').slice(0, seen.filter((m) => m.dir === 'r').length);
	return [...sent, ...received];
}

function longTasksBetween(probe: ProbeRecord, from: number, to: number): LongTasks {
	const tasks = probe.longTasks.filter((l) => l.t >= from && l.t <= to);
	return { count: tasks.length, totalMs: tasks.reduce((s, l) => s + l.ms, 0), longestMs: Math.max(0, ...tasks.map((l) => l.ms)) };
}

function downloadTotal(labels: Transition[]): number | null {
	let total: number | null = null;
	for (const l of labels) {
		const m = /^Downloading \d+ of (\d+) records/.exec(l.value ?? '');
		if (m) total = Math.max(total ?? 0, Number(m[1]));
	}
	return total;
}

/** The indicator's transitions and the network's milestones, relative to `startAt` (page clock; `offset` moves driver events onto it). */
function timeline(startAt: number, endAt: number, labels: Transition[], events: NetEvent[], longTasks: ProbeRecord['longTasks'], offset: number): TimelineEntry[] {
	const out: TimelineEntry[] = [];
	for (const l of longTasks) if (l.t >= startAt && l.t <= endAt) out.push({ ms: l.t - startAt, what: `long task ${Math.round(l.ms)} ms` });
	const isDownload = (l: Transition | undefined) => /^Downloading/.test(l?.value ?? '');
	// A download is hundreds of transitions: keep the first and last of each run.
	labels.forEach((l, i) => {
		if (l.t > endAt) return;
		if (isDownload(l) && isDownload(labels[i - 1]) && isDownload(labels[i + 1]) && (labels[i + 1]?.t ?? Infinity) <= endAt) return;
		out.push({ ms: l.t - startAt, what: `indicator "${l.value ?? '(none)'}"` });
	});
	const epochOf = (e: NetEvent) => e.at + performance.timeOrigin + offset;
	const inWindow = events.filter((e) => epochOf(e) >= startAt - 5 && epochOf(e) <= endAt + 5);
	const firstOf = (test: (e: NetEvent) => boolean, what: string) => {
		const e = inWindow.find(test);
		if (e) out.push({ ms: epochOf(e) - startAt, what: `${what}${e.bytes ? ` (${e.bytes} B)` : ''}` });
	};
	firstOf((e) => e.kind === 'response' && e.what.startsWith('/api/login'), 'sign-in response');
	firstOf((e) => e.kind === 'response' && e.what.startsWith('/api/manifest'), 'manifest response');
	firstOf((e) => e.what.startsWith('ws open'), 'websocket opened');
	firstOf((e) => e.kind === 'ws-sent', 'first websocket message sent');
	firstOf((e) => e.kind === 'ws-received', 'first websocket message received');
	const lastReceived = [...inWindow].reverse().find((e) => e.kind === 'ws-received');
	if (lastReceived) out.push({ ms: epochOf(lastReceived) - startAt, what: `last websocket message received before "Synced" (${lastReceived.bytes} B)` });
	return out.sort((a, b) => a.ms - b.ms);
}

function serverDelta(a: Awaited<ReturnType<ServerHost['stats']>>, b: Awaited<ReturnType<ServerHost['stats']>>): ServerCpu {
	return {
		cpuMs: (b.cpuUserMicros + b.cpuSystemMicros - a.cpuUserMicros - a.cpuSystemMicros) / 1000,
		requests: countRequests(b) - countRequests(a),
		upgrades: b.upgrades - a.upgrades
	};
}

function requestsBetween(a: Awaited<ReturnType<ServerHost['stats']>>, b: Awaited<ReturnType<ServerHost['stats']>>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [path, n] of Object.entries(b.requests)) if (n > (a.requests[path] ?? 0)) out[path] = n - (a.requests[path] ?? 0);
	if (b.upgrades > a.upgrades) out.ws = b.upgrades - a.upgrades;
	return out;
}

function countRequests(s: { requests: Record<string, number> }): number {
	return Object.values(s.requests).reduce((x, y) => x + y, 0);
}

function watchErrors(page: Page, log: (line: string) => void): void {
	page.on('pageerror', (e) => log(`  page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') log(`  console error: ${m.text()}`);
	});
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
