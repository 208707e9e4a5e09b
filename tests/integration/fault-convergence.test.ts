import { randomInt } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeta } from '../../src/lib/model';
import { createRandom } from '../../server/seed/random';
import { CLEAN_WIRE, startFaultProxy, type FaultPlan, type FaultProxy } from '../helpers/fault-proxy';
import { randomEdit } from '../helpers/random-edits';
import { replicaContent, sameReplica, storedDocument } from '../helpers/replica-content';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient, type StockClient } from '../helpers/stock-client';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

/** `FAULT_SEED=<n>` replays a run's faults and edits; a failure names its seed. */
const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : randomInt(2 ** 31);
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 40);

/** Per frame: about one connection in twenty-five survives fifty frames. */
const FAULTY: FaultPlan = { delayChance: 0.25, maxDelayMs: 40, duplicateChance: 0.15, dropChance: 0.015, cutChance: 0.015 };

const ACCOUNT = 'account:north-1';
const VISIT = 'visit:north-1-today';
const DOCS = [ACCOUNT, VISIT];

interface Replica {
	label: string;
	docName: string;
	doc: Y.Doc;
	/** Every change made on this replica, to check that none went missing. */
	localUpdates: Uint8Array[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nameOf = (replica: Replica) => `${replica.label} ${replica.docName}`;

/** For waitFor: true when nothing is left, else an error naming what is (shown if the wait times out). */
function failUnlessEmpty(what: string, left: string[]): true {
	if (left.length > 0) throw new Error(`${what}: ${left.join(', ')}`);
	return true;
}

describe('replicas converge after network faults', () => {
	let relay: TestRelay;
	let proxy: FaultProxy;
	const stock: StockClient[] = [];
	const devices: TestDevice[] = [];

	beforeAll(async () => {
		relay = await startTestRelay();
		proxy = await startFaultProxy({ upstreamPort: relay.server.port, seed: SEED });
	});
	afterAll(async () => {
		for (const client of stock) client.destroy();
		for (const device of devices) device.destroy();
		await proxy.close();
		await relay.stop();
	});

	it('stock and multiplexed clients editing through dropped, cut, delayed and repeated frames end identical to the relay and its store', async () => {
		try {
			await editThroughFaults();
		} catch (err) {
			throw new Error(`fault run failed (reproduce with FAULT_SEED=${SEED}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
		}
	}, 120_000);

	async function editThroughFaults(): Promise<void> {
		const random = createRandom(SEED ^ 0x2545f491);
		const managerToken = await relay.login('manager');
		const repToken = await relay.login('repNorth');

		stock.push(
			connectStockClient(proxy.wsBase, ACCOUNT, managerToken),
			connectStockClient(proxy.wsBase, ACCOUNT, repToken),
			connectStockClient(proxy.wsBase, VISIT, repToken)
		);
		devices.push(connectDevice(proxy.wsBase, repToken), connectDevice(proxy.wsBase, managerToken));
		const replicas: Replica[] = [
			...stock.map((client, i) => ({ label: `stock${i}`, docName: client.provider.roomname, doc: client.doc, localUpdates: [] })),
			...devices.flatMap((device, i) =>
				device.open(...DOCS).map((doc, j) => ({ label: `device${i}`, docName: DOCS[j]!, doc, localUpdates: [] as Uint8Array[] }))
			)
		];
		for (const replica of replicas) {
			// Our edits carry no origin; what the clients apply from the relay carries theirs.
			replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === null) replica.localUpdates.push(update);
			});
		}
		await waitFor(
			'every replica loaded on a clean wire',
			() => failUnlessEmpty('not loaded', replicas.filter((r) => readMeta(r.doc) === undefined).map(nameOf)),
			10_000
		);

		proxy.setPlan(FAULTY);
		for (let round = 0; round < ROUNDS; round++) {
			for (const replica of random.shuffle(replicas)) {
				for (let n = random.int(0, 2); n > 0; n--) randomEdit(replica.doc, replica.docName, random, `${replica.label}.${round}.${n}`);
			}
			stock[0]!.provider.awareness.setLocalStateField('editing', `round ${round}`);
			if (round % 10 === 4) proxy.cutNextFrame();
			if (round % 10 === 7) proxy.dropAll();
			// The stock provider reconnects by itself; the multiplexed client leaves that to its engine.
			for (const device of devices) if (device.client.status === 'disconnected') device.client.connect();
			await sleep(random.int(5, 40));
		}

		proxy.setPlan(CLEAN_WIRE);
		await waitFor(
			'every client connected again',
			() => {
				for (const device of devices) if (device.client.status === 'disconnected') device.client.connect();
				return devices.every((d) => d.client.status === 'connected') && stock.every((s) => s.provider.wsconnected && s.provider.synced);
			},
			15_000
		);
		const live = (name: string) => relay.server.relay.registry.peek(name)?.doc;
		await waitFor(
			'every replica identical to the relay',
			() => failUnlessEmpty('different', replicas.filter((r) => !live(r.docName) || !sameReplica(r.doc, live(r.docName)!, r.docName)).map(nameOf)),
			20_000
		);
		await waitFor(
			'every device edit acknowledged durable',
			() => failUnlessEmpty('still waiting', devices.flatMap((d, i) => d.client.documentsWithPendingChanges().map((name) => `device${i} ${name}`))),
			15_000
		);

		for (const replica of replicas) {
			const server = Y.snapshot(live(replica.docName)!);
			const missing = replica.localUpdates.filter((update) => !Y.snapshotContainsUpdate(server, update));
			expect(missing.length, `edits of ${replica.label} on ${replica.docName} missing on the relay`).toBe(0);
			expect(replica.localUpdates.length).toBeGreaterThan(0);
		}
		await relay.server.relay.persistence.flush();
		for (const name of DOCS) {
			const stored = await storedDocument(relay.server.store, name);
			expect(replicaContent(stored, name)).toEqual(replicaContent(live(name)!, name));
			expect(sameReplica(stored, live(name)!, name)).toBe(true);
		}

		// Presence heals too: the manager's editor sees the rep's latest state.
		stock[1]!.provider.awareness.setLocalStateField('editing', 'after the faults');
		await waitFor('presence after the faults', () => {
			const state = stock[0]!.provider.awareness.getStates().get(stock[1]!.doc.clientID) as { editing?: string } | undefined;
			return state?.editing === 'after the faults';
		});

		// The run really went through every kind of fault.
		expect(proxy.counts.delayed).toBeGreaterThan(0);
		expect(proxy.counts.duplicated).toBeGreaterThan(0);
		expect(proxy.counts.dropped + proxy.counts.cut).toBeGreaterThan(0);
		expect(proxy.counts.cut).toBeGreaterThan(0);
	}
});
