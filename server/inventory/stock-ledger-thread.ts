/**
 * The body of the stock ledger's thread (see threaded-stock-ledger.ts): the
 * SQLite ledger on its own connection, answering calls in the order sent.
 */
import { workerData } from 'node:worker_threads';
import { answerCalls, serializeError } from '../threads/worker-host';
import { SqliteStockLedger } from './sqlite-stock-ledger';
import type { StockLedger } from './stock-ledger';
import type { LedgerCall, SentBatchOutcome } from './threaded-stock-ledger';

const ledger = new SqliteStockLedger({ file: (workerData as { file: string }).file });

answerCalls(
	async (body) => {
		const { method, args } = body as LedgerCall;
		if (method === 'reconcileBatch') {
			const outcomes = await ledger.reconcileBatch(...(args as Parameters<StockLedger['reconcileBatch']>));
			return outcomes.map((o): SentBatchOutcome => (o.ok ? o : { ok: false, error: serializeError(o.error) }));
		}
		return (ledger[method] as (...a: unknown[]) => Promise<unknown>).apply(ledger, args);
	},
	() => void ledger.close()
);
