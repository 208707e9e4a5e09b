import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { startServer, type OutriderServer } from '../../server/app';
import { configWith } from '../../server/config';
import { SqliteStockLedger } from '../../server/inventory/sqlite-stock-ledger';
import type { LedgerWarehouseSnapshot } from '../../server/inventory/stock-ledger';
import { SqliteStore } from '../../server/store/sqlite-store';
import { PASSWORD, USERS, type FixtureUser } from '../helpers/fixture';
import { ledgerContents } from '../helpers/ledger-contents';
import { runRelayCli } from '../helpers/relay-cli';
import { loginAs, startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { expectLedgerRestored, moveStockThrough } from '../helpers/stock-activity';
import { connectStockClient } from '../helpers/stock-client';
import { storeContents, type StoreContents } from '../helpers/store-contents';
import { waitFor } from '../helpers/wait';

const dirs: string[] = [];
function freshDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'outrider-cli-'));
	dirs.push(dir);
	return dir;
}

async function contentsOf(dataDir: string): Promise<StoreContents> {
	const store = new SqliteStore({ file: join(dataDir, 'outrider.sqlite') });
	await store.open();
	try {
		return await storeContents(store);
	} finally {
		await store.close();
	}
}

/** The stock ledger in the data directory's SQLite file, as the relay keeps it. */
async function ledgerOf(dataDir: string): Promise<LedgerWarehouseSnapshot[]> {
	const ledger = new SqliteStockLedger({ file: join(dataDir, 'outrider.sqlite') });
	try {
		return await ledgerContents(ledger);
	} finally {
		await ledger.close();
	}
}

function startOn(dataDir: string): Promise<OutriderServer> {
	return startServer({ config: configWith({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' }) });
}

describe('npm run relay -- backup / restore (SQLite)', () => {
	let relay: TestRelay;
	let tokenBeforeBackup: string;
	let source: StoreContents;
	let sourceLedger: LedgerWarehouseSnapshot[];
	const backupFile = join(freshDir(), 'outrider-backup.ndjson.gz');
	const restoredDir = freshDir();

	beforeAll(async () => {
		relay = await startTestRelay();
		tokenBeforeBackup = await relay.login('manager');
		// Edits from two stock clients, so documents hold several stored updates from several writers.
		const writer = connectStockClient(relay.wsBase, 'account:north-1', tokenBeforeBackup);
		const other = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('repNorth'));
		await waitFor('both synced', () => writer.provider.synced && other.provider.synced);
		accountFields(writer.doc).set('city', 'Villeurbanne');
		accountNotes(other.doc).insert(0, 'Delivery at the back door. ');
		accountFields(other.doc).set('phone', '+33 4 11 22 33 44');
		await waitFor('edits merged on both', () => readAccount(writer.doc).phone === '+33 4 11 22 33 44' && readAccount(other.doc).city === 'Villeurbanne');
		writer.destroy();
		other.destroy();
		await moveStockThrough({ url: relay.server.url, login: (user) => relay.login(user) });
		await relay.server.relay.persistence.flush();
	});

	afterAll(async () => {
		await relay.stop();
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	it('backs up while the relay runs', async () => {
		const run = await runRelayCli(['backup', backupFile], { DATA_DIR: relay.dataDir });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^backed up 10 documents, 4 users, 1 settings and the stock ledger of 1 warehouses to /);
		await relay.server.close();
		source = await contentsOf(relay.dataDir);
		expect(Object.keys(source.documents)).toContain('account:north-1');
		sourceLedger = await ledgerOf(relay.dataDir);
		expect(sourceLedger.map((snapshot) => [snapshot.warehouse, snapshot.orders.length])).toEqual([['east', 2]]);
	});

	it('restores into a fresh data directory: the same documents, summaries and users', async () => {
		const run = await runRelayCli(['restore', backupFile], { DATA_DIR: restoredDir });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^restored 10 documents, 4 users, 1 settings and the stock ledger of 1 warehouses from /);
		const restored = await contentsOf(restoredDir);
		expect(restored.documents).toEqual(source.documents);
		expect(restored.summaries).toEqual(source.summaries);
		expect(restored.users).toEqual(source.users);
		expect(await ledgerOf(restoredDir)).toEqual(sourceLedger);
	});

	it('serves the restored data: same logins, and devices signed in before the backup stay signed in', async () => {
		const server = await startOn(restoredDir);
		try {
			await loginAs(server.url, USERS.repNorth.username, PASSWORD);
			const manifest = await fetch(`${server.url}/api/manifest`, { headers: { authorization: `Bearer ${tokenBeforeBackup}` } });
			expect(manifest.status).toBe(200);
			const client = connectStockClient(server.url.replace('http', 'ws'), 'account:north-1', tokenBeforeBackup);
			await waitFor('synced', () => client.provider.synced);
			expect(readAccount(client.doc)).toMatchObject({ city: 'Villeurbanne', phone: '+33 4 11 22 33 44' });
			expect(accountNotes(client.doc).toString()).toBe('Delivery at the back door. ');
			client.destroy();
		} finally {
			await server.close();
		}
	});

	it('refuses to restore while a relay has the database open', async () => {
		const server = await startOn(restoredDir);
		try {
			const run = await runRelayCli(['restore', backupFile, '--force'], { DATA_DIR: restoredDir });
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(/open in another process: stop the relay/);
		} finally {
			await server.close();
		}
	});

	it('refuses a store that has data unless --force, which merges without changing equal documents', async () => {
		const refused = await runRelayCli(['restore', backupFile], { DATA_DIR: restoredDir });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/already holds 10 documents, 4 users and the stock ledger of 1 warehouses.*--force/);

		const forced = await runRelayCli(['restore', backupFile, '--force'], { DATA_DIR: restoredDir });
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		expect(forced.stdout).toMatch(/the stock ledger of 0 warehouses from .*\(merged\)/);
		// The ledger's decisions would count twice if two ledgers were added together: the one there stays.
		expect(forced.stdout).toMatch(/^kept the stock ledger of east as it was/m);
		const merged = await contentsOf(restoredDir);
		expect(merged.documents).toEqual(source.documents);
		expect(merged.users).toEqual(source.users);
		expect(await ledgerOf(restoredDir)).toEqual(sourceLedger);
	});

	it('a relay on the restored data holds what confirmed orders hold: a re-sent order takes nothing more, a new one only free stock', async () => {
		const server = await startOn(restoredDir);
		try {
			await expectLedgerRestored(server, sourceLedger, (user: FixtureUser) => loginAs(server.url, USERS[user].username, PASSWORD));
		} finally {
			await server.close();
		}
	});

	it('a ledger only --force can merge into: a warehouse the store lacks is added', async () => {
		const dataDir = freshDir();
		const ledger = new SqliteStockLedger({ file: join(dataDir, 'outrider.sqlite') });
		await ledger.setOnHand('west', 'BEV-0001', 3);
		await ledger.close();
		const refused = await runRelayCli(['restore', backupFile], { DATA_DIR: dataDir });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/already holds 0 documents, 0 users and the stock ledger of 1 warehouses/);

		const forced = await runRelayCli(['restore', backupFile, '--force'], { DATA_DIR: dataDir });
		expect(forced).toMatchObject({ code: 0, stderr: '' });
		expect(forced.stdout).not.toMatch(/kept the stock ledger/);
		const contents = await ledgerOf(dataDir);
		expect(contents.map((snapshot) => snapshot.warehouse)).toEqual(['east', 'west']);
		expect(contents[0]).toEqual(sourceLedger[0]);
		expect(contents[1]?.onHand).toEqual({ 'BEV-0001': 3 });
	});

	it('restores a file written before backups carried the ledger, and refuses one whose ledger lines are missing', async () => {
		const lines = gunzipSync(readFileSync(backupFile))
			.toString()
			.trimEnd()
			.split('\n')
			.map((text) => JSON.parse(text) as { kind: string; ledger?: number });
		const withoutLedger = lines.filter((line) => line.kind !== 'ledger');
		const damaged = join(freshDir(), 'no-ledger-lines.ndjson.gz');
		writeFileSync(damaged, gzipSync(`${withoutLedger.map((line) => JSON.stringify(line)).join('\n')}\n`));
		const refused = await runRelayCli(['restore', damaged], { DATA_DIR: freshDir() });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/is damaged: its end line counts .*"ledger":1.*the file holds .*"ledger":0/);

		const older = join(freshDir(), 'before-the-ledger.ndjson.gz');
		const olderLines = withoutLedger.map(({ ledger: _, ...line }) => line);
		writeFileSync(older, gzipSync(`${olderLines.map((line) => JSON.stringify(line)).join('\n')}\n`));
		const dataDir = freshDir();
		const run = await runRelayCli(['restore', older], { DATA_DIR: dataDir });
		expect(run).toMatchObject({ code: 0, stderr: '' });
		expect(run.stdout).toMatch(/^restored 10 documents, 4 users, 1 settings and the stock ledger of 0 warehouses/);
		expect(await ledgerOf(dataDir)).toEqual([]);
	});

	it('refuses a truncated or foreign file before writing anything', async () => {
		const lines = gunzipSync(readFileSync(backupFile)).toString().trimEnd().split('\n');
		const truncated = join(freshDir(), 'truncated.ndjson.gz');
		writeFileSync(truncated, gzipSync(`${lines.slice(0, -2).join('\n')}\n`));
		const emptyDir = freshDir();
		const run = await runRelayCli(['restore', truncated], { DATA_DIR: emptyDir });
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/incomplete: it has no end line/);
		expect((await contentsOf(emptyDir)).documents).toEqual({});

		const foreign = join(freshDir(), 'notes.txt');
		writeFileSync(foreign, 'not a backup\n');
		const notGzip = await runRelayCli(['restore', foreign], { DATA_DIR: emptyDir });
		expect(notGzip.code).toBe(1);
		expect(notGzip.stderr).toMatch(/is not an Outrider backup/);

		const missing = await runRelayCli(['restore', join(emptyDir, 'nope.gz')], { DATA_DIR: emptyDir });
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/cannot read .*nope\.gz/);
	});

	it('answers a bad command line with exit code 2 and says why', async () => {
		const unknown = await runRelayCli(['bakup', 'x'], { DATA_DIR: restoredDir });
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/unknown command "bakup"/);
		const noFile = await runRelayCli(['backup'], { DATA_DIR: restoredDir });
		expect(noFile.code).toBe(2);
		expect(noFile.stderr).toMatch(/expected one argument, got 0 \(usage: backup <file>\)/);
	});
});
