import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccount } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

describe('health, metrics and ping/pong liveness', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startTestRelay({ pingIntervalMs: 100 });
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('answers /healthz when the store is ready', async () => {
		const res = await fetch(`${relay.server.url}/healthz`);
		expect(res.status).toBe(200);
	});

	it('exposes Prometheus metrics that follow the traffic', async () => {
		const device = connectDevice(relay.wsBase, await relay.login('manager'));
		const [doc] = device.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '');
		const text = await (await fetch(`${relay.server.url}/metrics`)).text();
		expect(text).toMatch(/^outrider_connections\{endpoint="sync"\} 1$/m);
		expect(text).toMatch(/^outrider_documents_in_memory 1$/m);
		expect(text).toMatch(/^outrider_logins_total\{result="ok"\} [1-9]/m);
		device.destroy();
	});

	it('cuts off a client that stops answering pings, and keeps one that answers', async () => {
		const token = await relay.login('manager');
		const silent = new WebSocket(`${relay.wsBase}/sync?token=${token}`, { autoPong: false });
		const alive = new WebSocket(`${relay.wsBase}/sync?token=${token}`);
		let aliveClosed = false;
		alive.on('close', () => (aliveClosed = true));
		const closed = await new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
		expect(closed).toBe(1006);
		expect(aliveClosed).toBe(false);
		expect(alive.readyState).toBe(WebSocket.OPEN);
		alive.close();
	});
});
