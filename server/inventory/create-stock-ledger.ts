import { join } from 'node:path';
import { PostgresStockLedger } from './postgres-stock-ledger';
import { SqliteStockLedger } from './sqlite-stock-ledger';
import type { StockLedger } from './stock-ledger';

/**
 * The one place that picks the ledger's backend, beside the document store's:
 * SQLite tables in the same file on one machine, PostgreSQL tables when several
 * relay processes share the data (their row locks keep reconciliation exact).
 */
export function createStockLedger(config: { dataDir: string; databaseUrl?: string }): StockLedger {
	if (config.databaseUrl) return new PostgresStockLedger({ connectionString: config.databaseUrl });
	return new SqliteStockLedger({ file: join(config.dataDir, 'outrider.sqlite') });
}
