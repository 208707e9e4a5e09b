import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStockLedger } from '../../../server/inventory/open-stock-ledger';
import { SqliteStockLedger } from '../../../server/inventory/sqlite-stock-ledger';
import { StockLedgerError, type StockLedger } from '../../../server/inventory/stock-ledger';
import { ThreadedStockLedger } from '../../../server/inventory/threaded-stock-ledger';
import { describeStockLedger } from './ledger-conformance';

let dir: string;
let files = 0;
const opened: StockLedger[] = [];
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'outrider-ledger-thread-'));
});
// Each ledger holds a thread: closed after every test, not at the end.
afterEach(async () => {
	for (const ledger of opened.splice(0)) await ledger.close();
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

function threaded(file = join(dir, `ledger-${++files}.sqlite`)): ThreadedStockLedger {
	const ledger = new ThreadedStockLedger({ file });
	opened.push(ledger);
	return ledger;
}

// Each property run starts a thread of its own: fewer runs than in-process ledgers get.
describeStockLedger('sqlite on its own thread', async () => threaded(), { propertyRuns: 10 });

describe('ThreadedStockLedger', () => {
	it('is what openStockLedger gives for a data directory', async () => {
		const ledger = await openStockLedger({ dataDir: join(dir, 'data') });
		opened.push(ledger);
		expect(ledger).toBeInstanceOf(ThreadedStockLedger);
		await ledger.setOnHand('w', 'X', 3);
		expect((await ledger.totals('w')).onHand).toEqual({ X: 3 });
	});

	it('refuses with a StockLedgerError carrying the same fields as the in-process ledger, also inside a batch', async () => {
		const ledger = threaded();
		const inProcess = new SqliteStockLedger({ file: ':memory:' });
		const batch = [
			{ warehouse: 'w', orderId: 'bad', writer: 'rep1.t', lines: [{ id: 'a', sku: 'X', qty: -2 }], at: 'now' },
			{ warehouse: 'w', orderId: 'late', writer: 'rep1.t', lines: [{ id: 'b', sku: 'X', qty: 2 }], at: 'yesterday' },
			{ warehouse: 'w', orderId: 'good', writer: 'rep1.t', lines: [{ id: 'c', sku: 'X', qty: 2 }], at: 'now' }
		];
		for (const l of [ledger, inProcess]) await l.setOnHand('w', 'X', 5);

		const refused = await ledger.receive('w', 'X', -1).catch((err: unknown) => err);
		const expected = await inProcess.receive('w', 'X', -1).catch((err: unknown) => err);
		expect(refused).toBeInstanceOf(StockLedgerError);
		expect(refused).toEqual(expected);
		expect(refused).toMatchObject({ warehouse: 'w', message: (expected as Error).message });

		const outcomes = await ledger.reconcileBatch(batch);
		const expectedOutcomes = await inProcess.reconcileBatch(batch);
		expect(outcomes.map((o) => o.ok)).toEqual(expectedOutcomes.map((o) => o.ok));
		for (const [i, outcome] of outcomes.entries()) {
			const twin = expectedOutcomes[i]!;
			if (outcome.ok || twin.ok) {
				expect(outcome).toEqual(twin);
				continue;
			}
			expect(outcome.error).toBeInstanceOf(StockLedgerError);
			expect(outcome.error.message).toBe(twin.error.message);
			expect({ ...outcome.error }).toEqual({ ...twin.error });
		}
		expect(outcomes.at(-1)).toMatchObject({ ok: true, result: { status: 'confirmed' } });
		await inProcess.close();
	});

	it('waits for the file\'s write lock on its own thread while the calling thread goes on', async () => {
		const file = join(dir, 'locked.sqlite');
		const ledger = threaded(file);
		await ledger.setOnHand('w', 'X', 1);
		// Another writer holds the lock, as the store's write thread does during a commit. On
		// the calling thread, the ledger would wait right here and this thread could never let go.
		const holder = new Database(file);
		holder.exec('BEGIN IMMEDIATE');
		let settled = false;
		const received = ledger.receive('w', 'X', 4).finally(() => (settled = true));
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(settled).toBe(false);
		holder.exec('COMMIT');
		holder.close();
		expect(await received).toBe(5);
		// The same file, read in-process afterwards, holds the receipt.
		const direct = new SqliteStockLedger({ file });
		expect((await direct.totals('w')).onHand).toEqual({ X: 5 });
		await direct.close();
	});
});
