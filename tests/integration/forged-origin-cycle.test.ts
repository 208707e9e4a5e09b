import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { readAccount } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

// A /sync frame for account:south-1 the relay fuzz test once produced: an update whose items'
// origins lead round in a loop. Following them used to exhaust the stack in the conflict
// analysis, and the connection was closed as "try again later" instead of as malformed.
const FRAME = Uint8Array.from([
	15, 97, 99, 99, 111, 117, 110, 116, 58, 115, 111, 117, 116, 104, 45, 49, 127, 0, 1, 124, 1, 7, 169, 235, 190, 131, 12, 0, 4, 1, 5, 110, 111, 116, 101, 115, 3, 67, 108, 111, 129,
	169, 235, 190, 131, 12, 3, 4, 132, 169, 235, 190, 131, 12, 6, 12, 111, 110, 32, 77, 111, 110, 100, 97, 121, 115, 46, 32, 168, 185, 217, 178, 241, 12, 5, 1, 119, 17, 43, 51, 51,
	32, 52, 32, 48, 48, 32, 48, 48, 32, 48, 48, 32, 57, 57, 168, 185, 217, 178, 241, 12, 3, 1, 119, 4, 76, 121, 111, 110, 1, 1, 8, 99, 111, 110, 116, 97, 99, 116, 115, 1, 0, 5, 2,
	185, 217, 178, 241, 12, 2, 3, 1, 5, 1, 169, 235, 190, 131, 12, 2, 3, 4, 21, 6
]);

let relay: TestRelay;
beforeAll(async () => {
	relay = await startTestRelay();
});
afterAll(() => relay.stop());

it('an update whose origins form a loop closes its connection as malformed, and the document still serves', async () => {
	const ws = new WebSocket(`${relay.wsBase}/sync?token=${await relay.login('repSouth')}`);
	await new Promise((resolve) => ws.once('open', resolve));
	const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
	ws.send(FRAME);
	expect(await closed).toBe(4400);

	const reader = connectStockClient(relay.wsBase, 'account:south-1', await relay.login('manager'));
	try {
		await waitFor('document served', () => reader.provider.synced);
		expect(readAccount(reader.doc).name).toBe('Épicerie du Sud');
	} finally {
		reader.destroy();
	}
});
