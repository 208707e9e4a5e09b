import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { PASSWORD } from '../helpers/fixture';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { waitFor } from '../helpers/wait';

type LogLine = Record<string, unknown> & { msg: string };

describe('structured logs', () => {
	const lines: LogLine[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const text of chunk.toString().split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine);
			done();
		}
	});
	let relay: TestRelay;
	const find = (msg: string) => lines.filter((line) => line.msg === msg);

	beforeAll(async () => {
		relay = await startTestRelay({}, { log: createLogger('info', sink) });
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('name the connection, its user and the document in what a connection logs', async () => {
		const token = await relay.login('repNorth');
		const refused = new WebSocket(`${relay.wsBase}/doc/account:south-1?token=${token}`);
		await new Promise((resolve) => refused.once('close', resolve));
		const denied = await waitFor('logged', () => find('document refused')[0]);
		expect(denied).toMatchObject({ user: 'rep-north', doc: 'account:south-1', service: 'outrider-relay', level: 30 });
		expect(denied.connId).toMatch(/^[\w-]{8}$/);

		const garbled = new WebSocket(`${relay.wsBase}/sync?token=${token}`);
		await new Promise((resolve) => garbled.once('open', resolve));
		// A /sync frame for account:north-1 (varString name, varUint8Array payload) whose payload is an unknown message type.
		const name = Buffer.from('account:north-1');
		garbled.send(Buffer.concat([Buffer.from([name.length]), name, Buffer.from([1, 99])]));
		await new Promise((resolve) => garbled.once('close', resolve));
		const malformed = await waitFor('logged', () => find('malformed message; closing connection')[0]);
		expect(malformed).toMatchObject({ user: 'rep-north', doc: 'account:north-1', endpoint: 'sync' });
		expect(malformed.connId).toMatch(/^[\w-]{8}$/);
		expect(malformed.connId).not.toBe(denied.connId);
	});

	it('tag the lines of an HTTP request with its id (given or made up) and, once signed in, its user', async () => {
		const refused = await fetch(`${relay.server.url}/api/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-request-id': 'lb-req-42' },
			body: JSON.stringify({ username: 'rep-north', password: 'wrong' })
		});
		expect(refused.status).toBe(401);
		expect(refused.headers.get('x-request-id')).toBe('lb-req-42');
		expect(find('login refused').at(-1)).toMatchObject({ reqId: 'lb-req-42', username: 'rep-north' });

		const login = await fetch(`${relay.server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
		const { token } = (await login.json()) as { token: string };
		const changed = await fetch(`${relay.server.url}/api/admin/validation-rules`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '[]' });
		expect(changed.status).toBe(200);
		const reqId = changed.headers.get('x-request-id');
		expect(reqId).toMatch(/^[\w-]{8}$/);
		expect(find('validation rules changed').at(-1)).toMatchObject({ reqId, user: 'admin' });
	});
});
