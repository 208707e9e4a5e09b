import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { startServer, type OutriderServer } from '../../server/app';
import { configWith } from '../../server/config';
import { SqliteStore } from '../../server/store/sqlite-store';
import { PASSWORD, USERS } from '../helpers/fixture';
import { runRelayCli } from '../helpers/relay-cli';
import { loginAs, startTestRelay, type TestRelay } from '../helpers/relay-harness';
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

function startOn(dataDir: string): Promise<OutriderServer> {
	return startServer({ config: configWith({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' }) });
}

describe('npm run relay -- backup / restore (SQLite)', () => {
	let relay: TestRelay;
	let tokenBeforeBackup: string;
	let source: StoreContents;
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
		await relay.server.relay.persistence.flush();
		writer.destroy();
		other.destroy();
	});

	afterAll(async () => {
		await relay.stop();
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	it('backs up while the relay runs', async () => {
		const run = await runRelayCli(['backup', backupFile], { DATA_DIR: relay.dataDir });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^backed up 8 documents, 4 users and 1 settings to /);
		await relay.server.close();
		source = await contentsOf(relay.dataDir);
		expect(Object.keys(source.documents)).toContain('account:north-1');
	});

	it('restores into a fresh data directory: the same documents, summaries and users', async () => {
		const run = await runRelayCli(['restore', backupFile], { DATA_DIR: restoredDir });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^restored 8 documents, 4 users and 1 settings/);
		const restored = await contentsOf(restoredDir);
		expect(restored.documents).toEqual(source.documents);
		expect(restored.summaries).toEqual(source.summaries);
		expect(restored.users).toEqual(source.users);
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
		expect(refused.stderr).toMatch(/already holds 8 documents and 4 users.*--force/);

		const forced = await runRelayCli(['restore', backupFile, '--force'], { DATA_DIR: restoredDir });
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		expect(forced.stdout).toMatch(/\(merged\)/);
		const merged = await contentsOf(restoredDir);
		expect(merged.documents).toEqual(source.documents);
		expect(merged.users).toEqual(source.users);
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
