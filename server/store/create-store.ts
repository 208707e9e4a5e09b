import { join } from 'node:path';
import type { DocumentStore } from './document-store';
import { SqliteStore } from './sqlite-store';

export interface StoreConfig {
	/** Directory for the embedded database file. */
	dataDir: string;
	/** A PostgreSQL connection URL selects the scale-out backend. */
	databaseUrl?: string;
}

/** The one place that picks a backend; everything else sees only DocumentStore. */
export function createStore(config: StoreConfig): DocumentStore {
	if (config.databaseUrl) {
		throw new Error(
			'databaseUrl is set, but the PostgreSQL document store is not available yet; ' +
				'unset it to use the embedded SQLite store in dataDir'
		);
	}
	return new SqliteStore({ file: join(config.dataDir, 'outrider.sqlite') });
}
