import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { encodeFrame, MessageType } from '../../src/lib/protocol';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice, type TestDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

/** Opens a raw socket, sends `data`, resolves with how the server closed it. */
function sendAndAwaitClose(url: string, data: Uint8Array | string): Promise<{ code: number; reason: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url);
		ws.on('open', () => ws.send(data));
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', () => {
			// 'close' follows with the code.
		});
		setTimeout(() => reject(new Error('server did not close the connection')), 5000);
	});
}

function updateFrame(docName: string, update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MessageType.Sync);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, update);
	return encodeFrame(docName, encoding.toUint8Array(e));
}

describe('bad input costs only its own connection', () => {
	let relay: TestRelay;
	let bystander: TestDevice;
	let bystanderDoc: Y.Doc;
	let token: string;

	beforeAll(async () => {
		relay = await startTestRelay({ limits: { maxMessageBytes: 64 * 1024, maxDocumentBytes: 256 * 1024, messagesPerSecond: 20, burst: 40 } });
		token = await relay.login('manager');
		bystander = connectDevice(relay.wsBase, token);
		bystanderDoc = bystander.open('account:north-1')[0]!;
		await waitFor('bystander loaded', () => readAccount(bystanderDoc).name === 'Boulangerie du Nord');
	});
	afterAll(async () => {
		bystander.destroy();
		await relay.stop();
	});

	/** The bystander still edits, and its edit becomes durable: nothing else was hurt. */
	async function bystanderStillWorks(marker: string) {
		accountFields(bystanderDoc).set('phone', marker);
		await waitFor('bystander edit durable', () => bystander.client.pendingUpdates('account:north-1').length === 0);
		expect(bystander.client.status).toBe('connected');
		const fresh = connectDevice(relay.wsBase, token);
		const [doc] = fresh.open('account:north-1');
		await waitFor('fresh device sees the edit', () => readAccount(doc!).phone === marker);
		expect(readAccount(doc!).name).toBe('Boulangerie du Nord');
		fresh.destroy();
	}

	const syncUrl = () => `${relay.wsBase}/sync?token=${token}`;

	it('closes a connection that sends bytes that are not frames (4400)', async () => {
		const close = await sendAndAwaitClose(syncUrl(), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
		expect(close.code).toBe(4400);
		expect(close.reason).toMatch(/malformed/);
		await bystanderStillWorks('+33 1 00 00 00 01');
	});

	it('closes a connection whose update does not decode, and the document is not damaged', async () => {
		const garbage = new Uint8Array(200).map((_, i) => (i * 37 + 11) % 256);
		const close = await sendAndAwaitClose(syncUrl(), updateFrame('account:north-1', garbage));
		expect(close.code).toBe(4400);
		expect(close.reason).toMatch(/update does not decode/);
		await bystanderStillWorks('+33 1 00 00 00 02');
	});

	it('closes a connection that sends text instead of binary', async () => {
		const close = await sendAndAwaitClose(syncUrl(), 'hello');
		expect(close.code).toBe(4400);
		await bystanderStillWorks('+33 1 00 00 00 03');
	});

	it('closes a connection on /doc that sends garbage', async () => {
		const close = await sendAndAwaitClose(`${relay.wsBase}/doc/account:north-1?token=${token}`, new Uint8Array([7, 7, 7]));
		expect(close.code).toBe(4400);
		await bystanderStillWorks('+33 1 00 00 00 04');
	});

	it('closes a connection that sends an oversized message (1009)', async () => {
		const close = await sendAndAwaitClose(syncUrl(), new Uint8Array(128 * 1024));
		expect(close.code).toBe(1009);
		await bystanderStillWorks('+33 1 00 00 00 05');
	});

	it('closes a connection that floods messages (4429)', async () => {
		const close = await new Promise<{ code: number }>((resolve) => {
			const ws = new WebSocket(syncUrl());
			ws.on('open', () => {
				const ping = encodeFrame('account:north-1', new Uint8Array([MessageType.QueryAwareness]));
				for (let i = 0; i < 200; i++) ws.send(ping);
			});
			ws.on('close', (code) => resolve({ code }));
			ws.on('error', () => {});
		});
		expect(close.code).toBe(4429);
		await bystanderStillWorks('+33 1 00 00 00 06');
	});

	it('refuses growth past the document size limit, keeping the document as it was', async () => {
		const device = connectDevice(relay.wsBase, token);
		const [doc] = device.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '');
		// Each paste fits in one message; together they outgrow the 256 KB document limit.
		for (const letter of 'vwxyz') {
			accountNotes(doc!).insert(0, letter.repeat(60 * 1024));
			await new Promise((r) => setTimeout(r, 30));
		}
		await waitFor('refused', () => device.refused.length > 0);
		expect(device.refused[0]!.reason).toMatch(/would exceed/);
		device.destroy();
		await bystanderStillWorks('+33 1 00 00 00 07');
	});

	it('answers 404 to an unknown websocket path without crashing', async () => {
		const result = await new Promise<string>((resolve) => {
			const ws = new WebSocket(`${relay.wsBase}/nowhere?token=${token}`);
			ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
			ws.on('error', (err) => resolve(err.message));
		});
		expect(result).toMatch(/404/);
		await bystanderStillWorks('+33 1 00 00 00 08');
	});
});
