import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountNotes, createOrder, readOrder, visitReport } from '../../src/lib/model';
import { PASSWORD, USERS } from '../helpers/fixture';
import { loginAs } from '../helpers/relay-harness';
import { killHard, spawnRelay, type RelayChild } from '../helpers/relay-child';
import { connectDevice } from '../helpers/sync-client';
import { waitFor } from '../helpers/wait';

describe('kill -9 after acknowledged edits', () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'outrider-kill9-'));
	let child: RelayChild | undefined;

	afterAll(() => {
		child?.process.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('loses none of the edits the relay acknowledged as durable', async () => {
		child = await spawnRelay(dataDir);
		const token = await loginAs(child.url, USERS.repNorth.username, PASSWORD);
		const device = connectDevice(child.wsBase, token);
		const names = ['account:north-1', 'visit:north-1-today', ...Array.from({ length: 10 }, (_, i) => `order:k9-${i}`)];
		const docs = device.open(...names);
		await waitFor('connected', () => device.client.status === 'connected');
		await waitFor('account loaded', () => docs[0]!.getMap('fields').get('name') === 'Boulangerie du Nord', 10_000);

		for (let i = 0; i < 50; i++) {
			accountNotes(docs[0]!).insert(accountNotes(docs[0]!).length, `note ${i}. `);
			visitReport(docs[1]!).insert(visitReport(docs[1]!).length, `line ${i}\n`);
			if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
		}
		docs.slice(2).forEach((doc, i) =>
			createOrder(doc, {
				accountId: 'north-1',
				repId: USERS.repNorth.id,
				createdAt: new Date().toISOString(),
				warehouse: 'east',
				priceList: 'standard',
				poNumber: `PO-${i}`,
				lines: [{ sku: 'BEV-0001', qty: i + 1, unitPrice: 95 }]
			})
		);
		await waitFor('every edit acknowledged durable', () => device.client.documentsWithPendingChanges().length === 0, 10_000);
		const expectedNotes = accountNotes(docs[0]!).toString();
		const expectedReport = visitReport(docs[1]!).toString();
		device.destroy();

		await killHard(child);
		child = await spawnRelay(dataDir);

		const reader = connectDevice(child.wsBase, await loginAs(child.url, USERS.manager.username, PASSWORD));
		const reread = reader.open(...names);
		await waitFor('notes back', () => accountNotes(reread[0]!).toString() === expectedNotes, 10_000);
		await waitFor('report back', () => visitReport(reread[1]!).toString() === expectedReport, 10_000);
		for (let i = 0; i < 10; i++) {
			await waitFor(`order ${i} back`, () => readOrder(reread[i + 2]!).poNumber === `PO-${i}`, 10_000);
			expect(readOrder(reread[i + 2]!).lines[0]!.qty).toBe(i + 1);
		}
		reader.destroy();
	}, 60_000);
});
