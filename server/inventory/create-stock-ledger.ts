import { join } from 'node:path';
import { PostgresStockLedger } from './postgres-stock-ledger';
import type { StockLedger } from './stock-ledger';
import { ThreadedStockLedger } from './threaded-stock-ledger';

/**
 * The one place that picks the ledger's backend, beside the document store's:
 * SQLite tables in the same file on one machine (run on a thread of their own, so a
 * step's lock wait and disk sync never hold up the relay), PostgreSQL tables when
 * several relay processes share the data (their row locks keep reconciliation exact).
 */
export function createStockLedger(config: { dataDir: string; databaseUrl?: string }): StockLedger {
	if (config.databaseUrl) return new PostgresStockLedger({ connectionString: config.databaseUrl });
	const ledger = new ThreadedStockLedger({ file: join(config.dataDir, 'outrider.sqlite') });
	// Started now, so the first order does not wait for the thread; a failure surfaces on the first call.
	ledger.start().catch(() => undefined);
	return ledger;
}
