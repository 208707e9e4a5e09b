import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { accountNotes } from '../../src/lib/model';
import { PASSWORD, USERS } from '../helpers/fixture';
import { freshSchemaName, PostgresAdmin, probePostgres, TEST_DATABASE_URL } from '../helpers/postgres';
import { freshKeyPrefix, probeRedis, TEST_REDIS_URL } from '../helpers/redis';
import { killHard, spawnRelay, type RelayChild } from '../helpers/relay-child';
import { loginAs } from '../helpers/relay-harness';
import { docFromRows, storedRows } from '../helpers/stored-rows';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

const file = 'tests/integration/instance-failover.test.ts';
const postgres = await probePostgres(file);
const redis = postgres.reachable ? await probeRedis(file) : { reachable: false, reason: '' };
const skipReason = !postgres.reachable ? postgres.reason : redis.reason;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Needs PostgreSQL (the shared store) and Redis (the fan-out); skipped with the probe's reason otherwise.
// Without them, kill9-durability and kill9-mid-flight cover kill -9 of a single relay on SQLite
// (127.0.0.1:5432/test, 127.0.0.1:6379).
describe.skipIf(skipReason !== '')(skipReason || 'kill -9 of one of two relay instances', () => {
	const admin = new PostgresAdmin();
	const children: RelayChild[] = [];
	const devices: TestDevice[] = [];
	const dirs: string[] = [];
	let schema = '';
	let role = '';

	afterEach(async () => {
		for (const device of devices.splice(0)) device.destroy();
		for (const child of children.splice(0)) if (child.process.exitCode === null && child.process.signalCode === null) await killHard(child);
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
		if (role) await admin.pool.query(`DROP OWNED BY "${role}"`);
		if (schema) await admin.dropSchema(schema);
		if (role) await admin.pool.query(`DROP ROLE IF EXISTS "${role}"`);
		schema = '';
		role = '';
	});
	afterAll(() => admin.end());

	/** One more instance on the shared schema and Redis prefix (each with its own data directory). */
	async function startInstance(env: Record<string, string>): Promise<RelayChild> {
		const dir = mkdtempSync(join(tmpdir(), 'outrider-failover-'));
		dirs.push(dir);
		const child = await spawnRelay(dir, env);
		children.push(child);
		return child;
	}

	function sharedEnv(): Record<string, string> {
		schema = freshSchemaName();
		return {
			TEST_POSTGRES_SCHEMA: schema,
			REDIS_URL: TEST_REDIS_URL,
			REDIS_KEY_PREFIX: freshKeyPrefix(),
			AUTH_SECRET: randomBytes(32).toString('base64url')
		};
	}

	/** A device whose next connection goes wherever `target()` says. */
	function device(target: () => RelayChild, token: string): TestDevice {
		const d = connectDevice(() => target().wsBase, token);
		devices.push(d);
		return d;
	}

	async function storedNotes(docName: string): Promise<string> {
		return accountNotes(docFromRows(await storedRows(admin, schema, docName))).toString();
	}

	it('moves the killed instance’s device to the other, losing no edit of either device', async () => {
		const env = sharedEnv();
		const a = await startInstance(env);
		const b = await startInstance(env);
		const token = await loginAs(b.url, USERS.manager.username, PASSWORD);
		let movingTo = a;
		const moving = device(() => movingTo, token);
		const staying = device(() => b, token);
		const [onA] = moving.open('account:north-1');
		const [onB] = staying.open('account:north-1');
		await waitFor('both loaded', () => onA!.getMap('fields').get('name') && onB!.getMap('fields').get('name'), 10_000);

		const edits: string[] = [];
		for (let i = 0; i < 60; i++) {
			accountNotes(onA!).insert(accountNotes(onA!).length, `a${i};`);
			accountNotes(onB!).insert(accountNotes(onB!).length, `b${i};`);
			edits.push(`a${i};`, `b${i};`);
			if (i === 20) await killHard(a);
			if (i === 40) {
				await waitFor('the moving device noticed', () => moving.client.status === 'disconnected');
				movingTo = b;
				moving.client.connect();
			}
			await pause(5);
		}

		await waitFor('every edit of both devices acknowledged as durable', () => moving.client.documentsWithPendingChanges().length === 0 && staying.client.documentsWithPendingChanges().length === 0, 15_000);
		await waitFor('both devices converged', () => accountNotes(onA!).toString() === accountNotes(onB!).toString());
		// What A acknowledged before it died is among these, and so is what it never got to store.
		const stored = await storedNotes('account:north-1');
		expect(edits.filter((edit) => !stored.includes(edit))).toEqual([]);
		expect(stored).toBe(accountNotes(onB!).toString());
	}, 60_000);

	it('stores, on the instance its device moves to, an edit the dead instance relayed but never stored', async () => {
		const env = sharedEnv();
		const b = await startInstance(env);
		// A connects as a role that may read everything and later may not append updates:
		// it relays the edit to B through Redis, but cannot store it before it is killed.
		role = `${schema}_a`;
		await admin.pool.query(`CREATE ROLE "${role}" LOGIN`);
		await admin.pool.query(`GRANT USAGE, CREATE ON SCHEMA "${schema}" TO "${role}"`);
		await admin.pool.query(`GRANT ALL ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"`);
		await admin.pool.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA "${schema}" TO "${role}"`);
		const asRole = new URL(TEST_DATABASE_URL);
		asRole.username = role;
		const a = await startInstance({ ...env, TEST_POSTGRES_URL: asRole.toString() });
		await admin.pool.query(`REVOKE INSERT ON "${schema}".doc_updates FROM "${role}"`);

		let writerOn = a;
		const writer = device(() => writerOn, await loginAs(a.url, USERS.repNorth.username, PASSWORD));
		const watcher = device(() => b, await loginAs(b.url, USERS.manager.username, PASSWORD));
		const [mine] = writer.open('account:north-1');
		const [seen] = watcher.open('account:north-1');
		await waitFor('both loaded', () => mine!.getMap('fields').get('name') && seen!.getMap('fields').get('name'), 10_000);

		accountNotes(mine!).insert(0, 'relayed by A, stored by B');
		await waitFor('B’s client has it through Redis', () => accountNotes(seen!).toString() === 'relayed by A, stored by B');
		expect(writer.client.pendingUpdates('account:north-1').length).toBeGreaterThan(0);
		expect(await storedNotes('account:north-1')).toBe('');

		await killHard(a);
		await waitFor('the writer noticed', () => writer.client.status === 'disconnected');
		// Offline, the writer adds to it: it sends both as one update, half of which B already has.
		accountNotes(mine!).insert(accountNotes(mine!).length, ', then more offline');
		writerOn = b;
		writer.client.connect();
		await waitFor('B acknowledged both edits as durable', () => writer.client.documentsWithPendingChanges().length === 0, 10_000);
		expect(await storedNotes('account:north-1')).toBe('relayed by A, stored by B, then more offline');
		expect(accountNotes(seen!).toString()).toBe('relayed by A, stored by B, then more offline');
	}, 60_000);
});
