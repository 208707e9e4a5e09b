import * as Y from 'yjs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { accountNotes, readAccount } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

describe('an edit sent again after a reconnect', () => {
	let relay: TestRelay;

	beforeAll(async () => {
		// A long group-commit window, so the reconnect lands before the edit is committed.
		relay = await startTestRelay({ persistDelayMs: 600 });
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('is acknowledged durable once committed, though the relay already had it from the lost connection', async () => {
		const device = connectDevice(relay.wsBase, await relay.login('repNorth'));
		const [doc] = device.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name === 'Boulangerie du Nord');

		accountNotes(doc!).insert(0, 'Ring twice. ');
		const update = device.client.pendingUpdates('account:north-1')[0]!;
		const live = relay.server.relay.registry.peek('account:north-1')!;
		await waitFor('the relay applied the edit', () => Y.snapshotContainsUpdate(Y.snapshot(live.doc), update));

		// The connection is lost before the commit; the device resends what still waits.
		device.client.disconnect();
		device.client.connect();
		await waitFor('reconnected', () => device.client.status === 'connected');

		await waitFor('the waiting list empties', () => device.client.documentsWithPendingChanges().length === 0, 5000);
		device.destroy();
	});
});
