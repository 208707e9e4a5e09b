/**
 * Sync over a slow link: the bytes and time of a rep's first sign-in and of
 * the reconnect after a day offline, on loopback and through a throttling
 * proxy with Chrome DevTools' "Slow 3G" figures. The device is the app's own
 * sync engine without the browser (fake-indexeddb, Node's `ws`) in its own
 * process; the server is the real relay on the app benchmark's seeded data.
 *
 * `npm run bench -- --only=sync` (rep1: 50 accounts, 300 visits, 200 orders
 * plus catalogue and stock); `--quick` for a smaller rep; `--repeat=<n>` runs
 * per link (2 by default, median reported).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '../../server/seed/demo-data';
import { countDeviceDocuments, seedRepDayDir } from '../app/rep-day-data';
import { fmt, kib, median, round, table } from '../markdown';
import { RelayHost } from '../relay/relay-host';
import { writeResultsFile } from '../results-file';
import type { Benchmark, BenchOptions, BenchReport } from '../types';
import { DeviceHost } from './device-host';
import { editOnServer, phonesOnServer, type Office } from './office-edits';
import { LOOPBACK, SLOW_3G, ThrottleProxy, type LinkProfile } from './throttle-proxy';

const REP = 'rep1';
const MANAGER = 'manager1';

interface Sizes {
	repDay: { accounts: number; visits: number; orders: number };
	/** Accounts edited on the device while offline, and as many others at the office. */
	edits: number;
}

const FULL: Sizes = { repDay: { accounts: 150, visits: 300, orders: 200 }, edits: 20 };
const QUICK: Sizes = { repDay: { accounts: 60, visits: 100, orders: 60 }, edits: 5 };

export const syncBenchmark: Benchmark = {
	name: 'sync',
	description: "a rep's first sign-in and reconnect after a day: bytes and time on loopback and over an emulated Slow 3G link",
	run: runSyncBenchmark
};

interface Traffic {
	ms: number;
	/** Bytes server → device and device → server, as the link carried them (headers, framing, compression). */
	down: number;
	up: number;
}

interface RunResult {
	link: string;
	run: number;
	firstSignIn?: Traffic & { documents: number; connections: number };
	reconnect?: Traffic & { deviceEdits: number; officeEdits: number; officeEditsOnDevice: number; deviceEditsOnServer: number; connections: number };
	error?: string;
}

async function runSyncBenchmark(options: BenchOptions): Promise<BenchReport> {
	const { values } = parseArgs({ args: options.args, options: { repeat: { type: 'string' } }, strict: false });
	const sizes = options.quick ? QUICK : FULL;
	const mode = options.quick ? 'quick' : 'full';
	const repeat = typeof values.repeat === 'string' ? Math.max(1, Math.round(Number(values.repeat))) : options.quick ? 1 : 2;
	const loadAtStart = loadavg().map((n) => round(n, 2));
	const today = new Date().toISOString().slice(0, 10);

	const work = mkdtempSync(join(tmpdir(), 'outrider-bench-sync-'));
	const results: RunResult[] = [];
	let documents = 0;
	try {
		const seeded = join(work, 'seeded');
		mkdirSync(seeded);
		await seedRepDayDir(seeded, { ...sizes.repDay, rep: REP, today });
		documents = (await countDeviceDocuments(seeded, REP)).total;
		options.log(`${REP}'s device will hold ${documents} documents`);
		// Link by link, run by run, alternating, so drifting load on the shared machine touches both links alike.
		for (let run = 1; run <= repeat; run++) {
			for (const link of [LOOPBACK, SLOW_3G]) {
				const dataDir = join(work, `run-${run}-${link.name.replace(/\W+/g, '-')}`);
				cpSync(seeded, dataDir, { recursive: true });
				options.log(`${link.name}, run ${run}/${repeat}`);
				const result = await oneRun(link, run, dataDir, sizes, options.log);
				results.push(result);
				rmSync(dataDir, { recursive: true, force: true });
				if (result.error) options.log(`  failed: ${result.error}`);
				else options.log(`  first sign-in ${fmt(result.firstSignIn?.ms, 0)} ms, reconnect ${fmt(result.reconnect?.ms, 0)} ms`);
			}
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}

	const summary = [LOOPBACK, SLOW_3G].map((link) => summarizeLink(link, results.filter((r) => r.link === link.name && !r.error)));
	const file = writeResultsFile('sync', mode, loadAtStart, {
		rep: REP,
		documents,
		sizes,
		links: [LOOPBACK, SLOW_3G],
		summary,
		runs: results
	});
	return { markdown: render(summary, results, documents, sizes, repeat, file) };
}

async function oneRun(link: LinkProfile, run: number, dataDir: string, sizes: Sizes, log: (line: string) => void): Promise<RunResult> {
	const result: RunResult = { link: link.name, run };
	const relay = await RelayHost.start({ env: { BENCH_DATA_DIR: dataDir }, log });
	const proxy = await ThrottleProxy.start(relay.port, link);
	const device = await DeviceHost.start(log);
	const slow = link.bitsPerSecond !== null;
	const timeoutMs = slow ? 300_000 : 60_000;
	const office: Office = { baseUrl: `http://127.0.0.1:${relay.port}`, username: MANAGER, password: DEMO_PASSWORD };
	try {
		// First sign-in: an empty device, everything the rep may read arrives over the link.
		const before = proxy.bytes();
		const signedIn = await device.signIn({ baseUrl: `http://127.0.0.1:${proxy.port}`, username: REP, password: DEMO_PASSWORD, timeoutMs });
		const after = proxy.bytes();
		result.firstSignIn = { ms: signedIn.ms, documents: signedIn.documents, down: after.down - before.down, up: after.up - before.up, connections: proxy.connections };
		if (signedIn.accounts.length < 2 * sizes.edits) throw new Error(`need ${2 * sizes.edits} accounts, the device lists ${signedIn.accounts.length}`);

		// A day: the rep edits accounts with no network; meanwhile the office edits others.
		const devicePhone = `06${String(run).padStart(2, '0')}1122`;
		const edited = await device.editOffline({ accounts: sizes.edits, phone: devicePhone, timeoutMs });
		const officeNames = signedIn.accounts.filter((name) => !edited.names.includes(name)).slice(0, sizes.edits);
		const officePhone = (i: number) => `04${String(run).padStart(2, '0')}9900${String(i).padStart(2, '0')}`;
		await editOnServer(office, officeNames, officePhone, 30_000);
		log(`  ${edited.names.length} accounts edited on the device offline, ${officeNames.length} at the office`);

		// Reconnect: what the device and the relay exchange until it is synced again.
		const connectionsBefore = proxy.connections;
		const mark = proxy.bytes();
		const reconnected = await device.reconnect({ timeoutMs });
		const end = proxy.bytes();
		const onDevice = await device.readPhones(officeNames);
		const onServer = await phonesOnServer(office, edited.names, 30_000);
		result.reconnect = {
			ms: reconnected.ms,
			down: end.down - mark.down,
			up: end.up - mark.up,
			deviceEdits: edited.names.length,
			officeEdits: officeNames.length,
			officeEditsOnDevice: officeNames.filter((name, i) => onDevice[name] === officePhone(i)).length,
			deviceEditsOnServer: edited.names.filter((name, i) => onServer[name] === `${devicePhone}${String(i).padStart(2, '0')}`).length,
			connections: proxy.connections - connectionsBefore
		};
	} catch (err) {
		result.error = err instanceof Error ? err.message : String(err);
	} finally {
		device.close();
		await proxy.close();
		await relay.shutdown();
	}
	return result;
}

interface LinkSummary {
	link: string;
	runs: number;
	firstSignIn?: { ms: number; msRange: [number, number]; down: number; up: number; documents: number };
	reconnect?: { ms: number; msRange: [number, number]; down: number; up: number; officeEditsOnDevice: string; deviceEditsOnServer: string };
}

function summarizeLink(link: LinkProfile, runs: RunResult[]): LinkSummary {
	const summary: LinkSummary = { link: link.name, runs: runs.length };
	const first = runs.map((r) => r.firstSignIn).filter((f) => f !== undefined);
	if (first.length > 0) {
		const ms = first.map((f) => f.ms);
		summary.firstSignIn = {
			ms: round(median(ms), 0),
			msRange: [round(Math.min(...ms), 0), round(Math.max(...ms), 0)],
			down: median(first.map((f) => f.down)),
			up: median(first.map((f) => f.up)),
			documents: first[0]?.documents ?? 0
		};
	}
	const again = runs.map((r) => r.reconnect).filter((r) => r !== undefined);
	if (again.length > 0) {
		const ms = again.map((r) => r.ms);
		summary.reconnect = {
			ms: round(median(ms), 0),
			msRange: [round(Math.min(...ms), 0), round(Math.max(...ms), 0)],
			down: median(again.map((r) => r.down)),
			up: median(again.map((r) => r.up)),
			officeEditsOnDevice: again.map((r) => `${r.officeEditsOnDevice}/${r.officeEdits}`).join(', '),
			deviceEditsOnServer: again.map((r) => `${r.deviceEditsOnServer}/${r.deviceEdits}`).join(', ')
		};
	}
	return summary;
}

function seconds(ms: number | undefined, range?: [number, number]): string {
	if (ms === undefined) return '–';
	const s = (n: number) => (n / 1000).toFixed(n < 10_000 ? 2 : 1);
	return range && range[0] !== range[1] ? `${s(ms)} s (${s(range[0])}–${s(range[1])})` : `${s(ms)} s`;
}

function render(summary: LinkSummary[], runs: RunResult[], documents: number, sizes: Sizes, repeat: number, file: string): string {
	const head = ['link', `first sign-in (${documents} documents)`, '↓ KiB', '↑ KiB', `reconnect after a day (${sizes.edits} + ${sizes.edits} edits)`, '↓ KiB', '↑ KiB', 'office edits on the device / device edits on the server'];
	const rows = summary.map((s) => [
		s.link,
		seconds(s.firstSignIn?.ms, s.firstSignIn?.msRange),
		kib(s.firstSignIn?.down),
		kib(s.firstSignIn?.up),
		seconds(s.reconnect?.ms, s.reconnect?.msRange),
		kib(s.reconnect?.down),
		kib(s.reconnect?.up),
		s.reconnect ? `${s.reconnect.officeEditsOnDevice} / ${s.reconnect.deviceEditsOnServer}` : '–'
	]);
	const lines = [
		table(head, rows),
		'',
		`Median of ${repeat} run${repeat === 1 ? '' : 's'} per link (range in brackets). ${SLOW_3G.name}: a TCP proxy between device and relay sends ${SLOW_3G.bitsPerSecond ? SLOW_3G.bitsPerSecond / 1000 : '–'} kbit/s each way and adds ${SLOW_3G.rttMs} ms to every round trip (half each way), Chrome DevTools' preset; on loopback the same proxy only counts. Bytes are what crossed the proxy: HTTP (login, manifest) and the websocket, headers, framing and per-message compression included. Time runs from the sign-in call (or the network coming back) until the engine reports every document synced and nothing waiting. The device is the app's sync engine over fake-indexeddb in Node, so its storage costs differ from Chromium's (see the app benchmark for the browser).`
	];
	for (const r of runs) if (r.error) lines.push('', `${r.link}, run ${r.run} failed: ${r.error}`);
	lines.push('', `Results written to \`bench/results/${file}\`.`);
	return lines.join('\n');
}
