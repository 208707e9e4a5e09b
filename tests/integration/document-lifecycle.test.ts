import { afterEach, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

describe('documents in memory: loading, eviction, compaction, shutdown', () => {
	let relay: TestRelay | undefined;
	afterEach(async () => {
		await relay?.stop();
		relay = undefined;
	});

	it('evicts an idle document from memory and loads it again, intact, on next use', async () => {
		relay = await startTestRelay({ docIdleMs: 100 });
		const token = await relay.login('manager');
		const first = connectDevice(relay.wsBase, token);
		const [doc] = first.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '');
		accountFields(doc!).set('city', 'Lyon');
		await waitFor('durable', () => first.client.documentsWithPendingChanges().length === 0);
		expect(relay.server.relay.registry.peek('account:north-1')).toBeDefined();
		first.destroy();

		await waitFor('evicted', () => relay!.server.relay.registry.peek('account:north-1') === undefined, 5000);
		const second = connectDevice(relay.wsBase, token);
		const [again] = second.open('account:north-1');
		await waitFor('reloaded with the edit', () => readAccount(again!).city === 'Lyon');
		second.destroy();
	});

	it('shares one document in memory between all connections', async () => {
		relay = await startTestRelay();
		const token = await relay.login('manager');
		const devices = [connectDevice(relay.wsBase, token), connectDevice(relay.wsBase, token), connectDevice(relay.wsBase, token)];
		const docs = devices.map((d) => d.open('account:north-1')[0]!);
		await waitFor('all loaded', () => docs.every((d) => readAccount(d).name !== ''));
		expect(relay.server.relay.registry.size).toBe(1);
		devices.forEach((d) => d.destroy());
	});

	it('compacts the update log as it grows, keeping every edit', async () => {
		relay = await startTestRelay({ compactAfterRows: 5, persistDelayMs: 5 });
		const token = await relay.login('manager');
		const device = connectDevice(relay.wsBase, token);
		const [doc] = device.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '');
		for (let i = 0; i < 30; i++) {
			accountNotes(doc!).insert(accountNotes(doc!).length, `${i};`);
			await waitFor('durable', () => device.client.pendingUpdates('account:north-1').length === 0);
		}
		const rows = await relay.server.store.readUpdates('account:north-1');
		expect(rows.length).toBeLessThan(6);
		device.destroy();

		await relay.restart();
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [reread] = reader.open('account:north-1');
		const expected = Array.from({ length: 30 }, (_, i) => `${i};`).join('');
		await waitFor('all edits after compaction', () => accountNotes(reread!).toString() === expected);
		reader.destroy();
	});

	it('writes pending changes on shutdown, before the group-commit window closes', async () => {
		relay = await startTestRelay({ persistDelayMs: 1000 });
		const token = await relay.login('manager');
		const writer = connectDevice(relay.wsBase, token);
		const watcher = connectDevice(relay.wsBase, token);
		const [doc] = writer.open('account:north-1');
		const [seen] = watcher.open('account:north-1');
		await waitFor('loaded', () => readAccount(doc!).name !== '' && readAccount(seen!).name !== '');
		accountFields(doc!).set('postalCode', '69002');
		await waitFor('relayed before it is stored', () => readAccount(seen!).postalCode === '69002');
		expect(writer.client.pendingUpdates('account:north-1').length).toBeGreaterThan(0);
		writer.destroy();
		watcher.destroy();

		await relay.restart();
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [reread] = reader.open('account:north-1');
		await waitFor('edit survived a clean shutdown', () => readAccount(reread!).postalCode === '69002');
		reader.destroy();
	});
});
