import { join } from 'node:path';
import { PostgresStockLedger } from './postgres-stock-ledger';
import type { StockLedger } from './stock-ledger';
import { ThreadedStockLedger } from './threaded-stock-ledger';

/**
 * The one place that picks the ledger's backend, beside the document store's:
 * SQLite tables in the same file on one machine (run on a thread of their own, so a
 * step's lock wait and disk sync never hold up the relay), PostgreSQL tables when
 * several relay processes share the data (their row locks keep reconciliation exact).
 * Rejects when the SQLite ledger cannot open its file, so a relay does not start without it.
 */
export async function openStockLedger(config: { dataDir: string; databaseUrl?: string }): Promise<StockLedger> {
	if (config.databaseUrl) return new PostgresStockLedger({ connectionString: config.databaseUrl });
	const ledger = new ThreadedStockLedger({ file: join(config.dataDir, 'outrider.sqlite') });
	try {
		await ledger.start();
	} catch (error) {
		await ledger.close();
		throw error;
	}
	return ledger;
}
