import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { tryParseDocName } from '../../src/lib/model/names';
import { decodeFrames, encodeAwarenessUpdate, encodeFrames, encodeQueryAwareness, MessageType } from '../../src/lib/protocol';
import { SqliteStore } from '../../server/store/sqlite-store';
import { PASSWORD, USERS } from '../helpers/fixture';
import { buildCorpus, fuzzedMessage } from '../helpers/frame-mutations';
import { loginAs } from '../helpers/relay-harness';
import { spawnRelay, type RelayChild } from '../helpers/relay-child';
import { replicaContent, storedDocument } from '../helpers/replica-content';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

/** Messages sent per run; `FUZZ_NETWORK_RUNS=5000` for a longer hunt. */
const RUNS = Number(process.env.FUZZ_NETWORK_RUNS ?? 150);
/** The fuzzer is rep-south: it may write this account and cannot read the bystander's. */
const TARGET = 'account:south-1';
const BYSTANDER_DOC = 'account:north-1';

type Outcome = { kind: 'answered' } | { kind: 'closed'; code: number; reason: string };

/**
 * Sends one fuzzed message, then a probe on every document it named: our presence
 * with a fresh nonce and a query for presence. A document's messages are handled
 * in order, so a reply holding the nonce means everything sent before it on that
 * document was taken in without closing the connection; a refusal to read the
 * document settles it too. Resolves when every document settled or the relay
 * closed the connection.
 */
function sendWithProbe(url: string, message: Uint8Array, docNames: string[], framed: boolean): Promise<Outcome> {
	const nonce = Math.random().toString(36).slice(2);
	const probeDoc = new Y.Doc();
	const presence = new awarenessProtocol.Awareness(probeDoc);
	presence.setLocalState({ probe: nonce });
	const probe = [encodeAwarenessUpdate(presence, [probeDoc.clientID]), encodeQueryAwareness()];
	const unsettled = new Set(docNames);

	const settles = (payload: Uint8Array): boolean => {
		const decoder = decoding.createDecoder(payload);
		const type = decoding.readVarUint(decoder);
		if (type === MessageType.Auth) return true;
		if (type !== MessageType.Awareness) return false;
		const seen = new awarenessProtocol.Awareness(new Y.Doc());
		try {
			awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(decoder), 'relay');
			return [...seen.getStates().values()].some((state) => (state as { probe?: string }).probe === nonce);
		} finally {
			seen.destroy();
			seen.doc.destroy();
		}
	};

	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url);
		const timer = setTimeout(() => {
			ws.terminate();
			presence.destroy();
			reject(new Error(`the relay neither answered nor closed (waiting on ${[...unsettled].join(', ')})`));
		}, 5000);
		const finish = (outcome: Outcome) => {
			clearTimeout(timer);
			presence.destroy();
			probeDoc.destroy();
			resolve(outcome);
		};
		ws.on('open', () => {
			ws.send(message);
			if (framed) ws.send(encodeFrames(docNames.flatMap((docName) => probe.map((payload) => ({ docName, payload })))));
			else for (const payload of probe) ws.send(payload);
		});
		ws.on('message', (data: Buffer) => {
			const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			const frames = framed ? decodeFrames(bytes) : [{ docName: docNames[0]!, payload: bytes }];
			for (const { docName, payload } of frames) if (unsettled.has(docName) && settles(payload)) unsettled.delete(docName);
			if (unsettled.size === 0) {
				ws.removeAllListeners('close');
				ws.on('close', () => {});
				ws.close(1000);
				finish({ kind: 'answered' });
			}
		});
		ws.on('close', (code, reason) => finish({ kind: 'closed', code, reason: reason.toString() }));
		ws.on('error', () => {
			// 'close' follows with the code.
		});
	});
}

describe('mangled and random messages sent to a running relay', () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-fuzz-'));
	let child: RelayChild | undefined;

	afterAll(() => {
		child?.process.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('close only the connection that sent them, as malformed, while a bystander edits on undisturbed', async () => {
		child = await spawnRelay(dataDir);
		const relay = child;
		const fuzzToken = await loginAs(relay.url, USERS.repSouth.username, PASSWORD);
		const managerToken = await loginAs(relay.url, USERS.manager.username, PASSWORD);

		const bystander = connectDevice(relay.wsBase, managerToken);
		const [typed] = bystander.open(BYSTANDER_DOC);
		await waitFor('bystander loaded', () => readAccount(typed!).name === 'Boulangerie du Nord', 10_000);
		const notesBefore = accountNotes(typed!).toString();
		let typing = '';
		let keystrokes = 0;
		const typist = setInterval(() => {
			const word = `[${++keystrokes}]`;
			accountNotes(typed!).insert(accountNotes(typed!).length, word);
			accountFields(typed!).set('phone', `+33 4 ${keystrokes}`);
			typing += word;
		}, 20);

		// The fuzzer starts from what a real client of the target would send.
		const own = connectDevice(relay.wsBase, fuzzToken);
		const [target] = own.open(TARGET);
		await waitFor('target loaded', () => readAccount(target!).name === 'Épicerie du Sud', 10_000);
		const corpus = buildCorpus(TARGET, target!);
		own.destroy();

		const outcomes = { answered: 0, closed: 0 };
		const message = fc.oneof(
			fuzzedMessage(corpus.doc).map((bytes) => ({ endpoint: 'doc' as const, bytes })),
			fuzzedMessage(corpus.sync).map((bytes) => ({ endpoint: 'sync' as const, bytes }))
		);
		try {
			await fc.assert(
				fc.asyncProperty(message, async ({ endpoint, bytes }) => {
					let docNames = [TARGET];
					let framingBroken = false;
					if (endpoint === 'sync') {
						try {
							// Leaving a document needs no valid name (nothing is opened); every other frame does.
							const opening = decodeFrames(bytes).filter((f) => !(f.payload.length === 1 && f.payload[0] === MessageType.Unsubscribe));
							framingBroken = opening.some((f) => !tryParseDocName(f.docName));
							docNames = [...new Set([TARGET, ...opening.map((f) => f.docName)])];
						} catch {
							framingBroken = true;
						}
					}
					const url = endpoint === 'doc' ? `${relay.wsBase}/doc/${TARGET}?token=${fuzzToken}` : `${relay.wsBase}/sync?token=${fuzzToken}`;
					const outcome = await sendWithProbe(url, bytes, framingBroken ? [TARGET] : docNames, endpoint === 'sync');
					outcomes[outcome.kind]++;
					if (outcome.kind === 'closed') {
						expect(outcome.code).toBe(4400);
						expect(outcome.reason).toMatch(/malformed/);
					}
					if (framingBroken) expect(outcome.kind).toBe('closed');
				}),
				{ numRuns: RUNS, endOnFailure: true }
			);
		} finally {
			clearInterval(typist);
		}
		// Both sides were reached: messages taken in and connections closed.
		expect(outcomes.closed).toBeGreaterThan(RUNS / 10);
		expect(outcomes.answered).toBeGreaterThan(RUNS / 10);

		// The relay process still serves: the bystander's every keystroke is durable and exactly as typed.
		expect(relay.process.exitCode).toBeNull();
		expect(keystrokes).toBeGreaterThan(0);
		await waitFor('bystander edits durable', () => bystander.client.documentsWithPendingChanges().length === 0, 10_000);
		expect(bystander.client.status).toBe('connected');
		expect(accountNotes(typed!).toString()).toBe(notesBefore + typing);
		expect(readAccount(typed!).phone).toBe(`+33 4 ${keystrokes}`);
		const reader = connectDevice(relay.wsBase, managerToken);
		const [read, fuzzed] = reader.open(BYSTANDER_DOC, TARGET);
		await waitFor('a fresh reader sees exactly that', () => accountNotes(read!).toString() === notesBefore + typing, 10_000);
		expect(replicaContent(read!, BYSTANDER_DOC)).toEqual(replicaContent(typed!, BYSTANDER_DOC));
		await waitFor('the fuzzed document still loads', () => readAccount(fuzzed!).territory === 'south', 10_000);
		const fuzzedContent = replicaContent(fuzzed!, TARGET);
		reader.destroy();
		bystander.destroy();

		// After a clean stop the store holds the same: nothing half-applied was written.
		await new Promise<void>((resolve) => {
			relay.process.once('exit', () => resolve());
			relay.process.kill('SIGTERM');
		});
		const store = new SqliteStore({ file: join(dataDir, 'outrider.sqlite') });
		await store.open();
		try {
			expect(replicaContent(await storedDocument(store, BYSTANDER_DOC), BYSTANDER_DOC)).toEqual(replicaContent(typed!, BYSTANDER_DOC));
			expect(replicaContent(await storedDocument(store, TARGET), TARGET)).toEqual(fuzzedContent);
		} finally {
			await store.close();
		}
	}, 120_000);
});
