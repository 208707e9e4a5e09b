import { join } from 'node:path';
import type { DocumentStore } from './document-store';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';

export interface StoreConfig {
	/** Directory for the embedded database file. */
	dataDir: string;
	/** A PostgreSQL connection URL selects the scale-out backend. */
	databaseUrl?: string;
}

/** The embedded database file inside DATA_DIR. */
export function sqliteFileIn(dataDir: string): string {
	return join(dataDir, 'outrider.sqlite');
}

/** The one place that picks a backend; everything else sees only DocumentStore. */
export function createStore(config: StoreConfig): DocumentStore {
	if (config.databaseUrl) return new PostgresStore({ connectionString: config.databaseUrl });
	return new SqliteStore({ file: sqliteFileIn(config.dataDir), writeThread: true });
}
