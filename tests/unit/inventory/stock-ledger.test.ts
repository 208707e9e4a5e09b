import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStockLedger } from '../../../server/inventory/memory-stock-ledger';
import { SqliteStockLedger } from '../../../server/inventory/sqlite-stock-ledger';
import { describeStockLedger } from './ledger-conformance';

describeStockLedger('memory', async () => new MemoryStockLedger());

describeStockLedger('sqlite (:memory:)', async () => new SqliteStockLedger({ file: ':memory:' }));

describe('SqliteStockLedger on a file', () => {
	const dirs: string[] = [];
	afterAll(async () => {
		for (const dir of dirs) await rm(dir, { recursive: true, force: true });
	});

	it('remembers decisions across a restart, so a re-sent order after it is not allocated again', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'outrider-ledger-'));
		dirs.push(dir);
		const file = join(dir, 'nested', 'ledger.sqlite');
		const request = { warehouse: 'w', orderId: 'o1', writer: 'rep1.tablet', lines: [{ id: 'a', sku: 'X', qty: 4 }], at: 'now' };
		const before = new SqliteStockLedger({ file });
		await before.setOnHand('w', 'X', 10);
		const first = await before.reconcile(request);
		await before.close();

		const after = new SqliteStockLedger({ file });
		const again = await after.reconcile(request);
		expect(again).toEqual({ ...first, newlyConfirmed: {}, fresh: false });
		expect(await after.totals('w')).toEqual({ onHand: { X: 10 }, allocated: { X: 4 }, reconciled: { 'rep1.tablet|X': 4 }, vanRemaining: {}, vanSettled: {} });

		// A second connection to the same file sees the same ledger and takes its turn.
		const other = new SqliteStockLedger({ file });
		const second = await other.reconcile({ ...request, orderId: 'o2', lines: [{ id: 'b', sku: 'X', qty: 10 }] });
		expect(second.allocation.b).toMatchObject({ confirmed: 6, backordered: 4 });
		await other.close();
		await after.close();
	});
});
