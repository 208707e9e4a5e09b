import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDefaultUser } from '../../server/store/postgres-store';

/** The machine's PostgreSQL, as issue 8 specifies; TEST_DATABASE_URL points elsewhere. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test';

export interface TestPostgres {
	reachable: boolean;
	/** Why the tests of a file are skipped, when they are. */
	reason: string;
}

/**
 * Whether PostgreSQL answers. Each test file calls this once at top level and skips
 * its PostgreSQL tests with one explicit line when it does not, so a machine without
 * a database still runs everything else.
 */
export async function probePostgres(file: string): Promise<TestPostgres> {
	const client = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL), connectionTimeoutMillis: 3000 });
	client.on('error', () => {});
	try {
		await client.connect();
		await client.query('SELECT 1');
		return { reachable: true, reason: '' };
	} catch (error) {
		const reason = `PostgreSQL at ${TEST_DATABASE_URL} is not reachable (${error instanceof Error ? error.message : String(error)}): skipping the PostgreSQL tests of ${file}`;
		console.warn(reason);
		return { reachable: false, reason };
	} finally {
		await client.end().catch(() => {});
	}
}

/** A schema name no other test uses; the store creates it on open. */
export function freshSchemaName(): string {
	return `outrider_test_${randomBytes(6).toString('hex')}`;
}

/** Raw access for assertions and cleanup, outside any store. */
export class PostgresAdmin {
	readonly pool = new pg.Pool({ connectionString: withDefaultUser(TEST_DATABASE_URL), max: 4 });

	constructor() {
		this.pool.on('error', () => {});
	}

	async dropSchema(schema: string): Promise<void> {
		await this.pool.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`);
	}

	async end(): Promise<void> {
		await this.pool.end();
	}
}
