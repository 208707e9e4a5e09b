import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrder, readMeta } from '../../src/lib/model';
import { createRandom } from '../../server/seed/random';
import { SqliteStore } from '../../server/store/sqlite-store';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { PASSWORD, USERS } from '../helpers/fixture';
import { randomEdit } from '../helpers/random-edits';
import { loginAs } from '../helpers/relay-harness';
import { killHard, spawnRelay, type RelayChild } from '../helpers/relay-child';
import { replicaContent, sameReplica, storedDocument } from '../helpers/replica-content';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : randomInt(2 ** 31);
const ACCOUNT = 'account:north-1';
const VISIT = 'visit:north-1-today';

/** One writer's copy of one document and every edit made on it. */
interface Replica {
	writer: string;
	docName: string;
	doc: Y.Doc;
	device?: TestDevice;
	localUpdates: Uint8Array[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 while several clients are writing', () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-kill9-flight-'));
	let child: RelayChild | undefined;
	let proxy: FaultProxy | undefined;
	const stock: StockClient[] = [];
	const devices: TestDevice[] = [];

	afterAll(async () => {
		for (const client of stock) client.destroy();
		for (const device of devices) device.destroy();
		await proxy?.close();
		child?.process.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('loses no acknowledged edit, and every edit still on a client arrives after the restart', async () => {
		try {
			await writeKillRestart();
		} catch (err) {
			throw new Error(`kill -9 run failed (reproduce with FAULT_SEED=${SEED}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
		}
	}, 120_000);

	async function writeKillRestart(): Promise<void> {
		const random = createRandom(SEED);
		child = await spawnRelay(dataDir);
		// Clients keep one address across the restart: the proxy forwards to whichever relay is up.
		proxy = await startFaultProxy({ upstreamPort: child.port, seed: SEED });
		const repToken = await loginAs(child.url, USERS.repNorth.username, PASSWORD);
		const managerToken = await loginAs(child.url, USERS.manager.username, PASSWORD);

		devices.push(connectDevice(proxy.wsBase, repToken), connectDevice(proxy.wsBase, managerToken), connectDevice(proxy.wsBase, repToken));
		stock.push(connectStockClient(proxy.wsBase, ACCOUNT, managerToken), connectStockClient(proxy.wsBase, VISIT, repToken));
		const replicas: Replica[] = [
			...devices.flatMap((device, i) => {
				const names = [ACCOUNT, VISIT, `order:flight-${i}`];
				return device.open(...names).map((doc, j) => ({ writer: `device${i}`, docName: names[j]!, doc, device, localUpdates: [] as Uint8Array[] }));
			}),
			...stock.map((client, i) => ({ writer: `stock${i}`, docName: client.provider.roomname, doc: client.doc, localUpdates: [] as Uint8Array[] }))
		];
		for (const replica of replicas) {
			replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === null) replica.localUpdates.push(update);
			});
		}
		const existing = replicas.filter((r) => !r.docName.startsWith('order:'));
		await waitFor('every replica loaded', () => existing.every((r) => readMeta(r.doc) !== undefined), 10_000);
		for (const replica of replicas.filter((r) => r.docName.startsWith('order:'))) {
			createOrder(replica.doc, {
				accountId: 'north-1',
				repId: USERS.repNorth.id,
				createdAt: new Date().toISOString(),
				warehouse: 'east',
				priceList: 'standard',
				lines: [{ id: `first-${replica.writer}`, sku: 'BEV-0001', qty: 1, unitPrice: 95 }]
			});
		}

		let round = 0;
		const writeRound = () => {
			round++;
			for (const replica of replicas) randomEdit(replica.doc, replica.docName, random, `${replica.writer}.${round}`);
		};
		const acknowledged = () =>
			replicas.flatMap((r) => {
				if (!r.device) return [];
				const waiting = new Set(r.device.client.pendingUpdates(r.docName));
				return r.localUpdates.filter((u) => !waiting.has(u)).map((update) => ({ docName: r.docName, update }));
			});
		const waitingCount = () => devices.reduce((n, d) => n + d.client.documentsWithPendingChanges().length, 0);

		let writer = setInterval(writeRound, 10);
		// Killed mid-flight: some edits already acknowledged, others sent or queued but not yet durable.
		await waitFor('edits acknowledged and edits in flight', () => acknowledged().length >= 30 && waitingCount() > 0, 20_000);
		const ackedAtKill = acknowledged();
		const inFlightAtKill = waitingCount();
		proxy.setUpstream(null);
		await killHard(child);
		expect(inFlightAtKill).toBeGreaterThan(0);

		// What the disk holds after the crash: every acknowledged edit.
		const store = new SqliteStore({ file: join(dataDir, 'outrider.sqlite') });
		await store.open();
		try {
			for (const name of new Set(ackedAtKill.map((a) => a.docName))) {
				const stored = Y.snapshot(await storedDocument(store, name));
				const lost = ackedAtKill.filter((a) => a.docName === name && !Y.snapshotContainsUpdate(stored, a.update));
				expect(lost.length, `acknowledged edits of ${name} missing after kill -9`).toBe(0);
			}
		} finally {
			await store.close();
		}

		// The clients go on offline for a while, then the relay comes back.
		await sleep(100);
		clearInterval(writer);
		child = await spawnRelay(dataDir);
		proxy.setUpstream(child.port);
		writer = setInterval(writeRound, 10);
		await sleep(200);
		clearInterval(writer);

		await waitFor(
			'every client reconnected and nothing waiting',
			() => {
				for (const device of devices) if (device.client.status === 'disconnected') device.client.connect();
				return waitingCount() === 0 && stock.every((s) => s.provider.synced);
			},
			20_000
		);
		const reader = connectDevice(child.wsBase, managerToken);
		const names = [...new Set(replicas.map((r) => r.docName))];
		const readDocs = reader.open(...names);
		const read = new Map(names.map((name, i) => [name, readDocs[i]!]));
		const describeReplica = (r: Replica) => {
			const connection = r.device
				? `${r.device.client.status}, closes ${JSON.stringify(r.device.closes)}`
				: `connected ${stock.find((s) => s.doc === r.doc)?.provider.wsconnected}`;
			const sameContent = isDeepStrictEqual(replicaContent(r.doc, r.docName), replicaContent(read.get(r.docName)!, r.docName));
			// What differs, for a failure that needs explaining: held-back changes on either side, and each side's clocks.
			const reader = read.get(r.docName)!;
			const held = (d: Y.Doc) => `${d.store.pendingStructs ? 'structs' : ''}${d.store.pendingDs ? ' deletions' : ''}` || 'nothing';
			const clocks = (d: Y.Doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(d))].sort(([a], [b]) => a - b));
			return `${r.writer} ${r.docName} (${connection}; ${sameContent ? 'same content, other history' : 'other content'}; held back: ${held(r.doc)} here, ${held(reader)} at the reader; clocks ${clocks(r.doc)} here, ${clocks(reader)} at the reader)`;
		};
		await waitFor(
			'every replica and a fresh reader identical',
			() => {
				const different = replicas.filter((r) => !sameReplica(r.doc, read.get(r.docName)!, r.docName));
				if (different.length > 0) throw new Error(`different: ${different.map(describeReplica).join('; ')}`);
				return true;
			},
			20_000
		);
		for (const replica of replicas) {
			const server = Y.snapshot(read.get(replica.docName)!);
			const missing = replica.localUpdates.filter((u) => !Y.snapshotContainsUpdate(server, u));
			expect(missing.length, `edits of ${replica.writer} on ${replica.docName} that never arrived`).toBe(0);
		}
		reader.destroy();
	}
});
