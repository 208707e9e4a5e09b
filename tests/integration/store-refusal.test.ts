import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, readAccount, visitReport } from '../../src/lib/model';
import type { WriteBatch } from '../../server/store/document-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

/** A real SQLite store that refuses, for a while, any write touching one document (a full disk, a bad row). */
class RefusingStore extends SqliteStore {
	refuse: string | null = null;
	override async write(batch: WriteBatch): Promise<void> {
		if (this.refuse && batch.updates.some((u) => u.docName === this.refuse)) throw new Error(`refusing ${this.refuse}`);
		return super.write(batch);
	}
}

describe('a document the store refuses', () => {
	const dir = mkdtempSync(join(tmpdir(), 'outrider-refusing-'));
	const store = new RefusingStore({ file: join(dir, 'outrider.sqlite') });
	let relay: TestRelay;

	beforeAll(async () => {
		relay = await startTestRelay({ persistDelayMs: 200 }, { store: () => store });
	});
	afterAll(async () => {
		await relay.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('does not hold back the others in the same group commit, and is written once the store takes it', async () => {
		const device = connectDevice(relay.wsBase, await relay.login('repNorth'));
		const [account, visit] = device.open('account:north-1', 'visit:north-1-today');
		await waitFor('loaded', () => readAccount(account!).name !== '' && visit!.getMap('fields').size > 0);
		store.refuse = 'visit:north-1-today';
		accountFields(account!).set('phone', '+33 4 10 20 30 40');
		visitReport(visit!).insert(0, 'Written while the store refuses this visit.');

		await waitFor('the account is durable', () => device.client.pendingUpdates('account:north-1').length === 0);
		await new Promise((r) => setTimeout(r, 500));
		expect(device.client.pendingUpdates('visit:north-1-today').length).toBeGreaterThan(0);

		store.refuse = null;
		await waitFor('the visit is durable too', () => device.client.pendingUpdates('visit:north-1-today').length === 0, 15_000);
		device.destroy();
		await relay.restart();
		const reader = connectDevice(relay.wsBase, await relay.login('manager'));
		const [reread] = reader.open('visit:north-1-today');
		await waitFor('stored', () => visitReport(reread!).toString() === 'Written while the store refuses this visit.');
		reader.destroy();
	});
});
