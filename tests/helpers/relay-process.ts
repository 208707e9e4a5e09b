/**
 * The relay as its own process, for tests that kill it. Prints one JSON line
 * `{"port": N}` once listening; writes the test fixture into an empty store.
 * The store is SQLite in DATA_DIR, or with TEST_POSTGRES_SCHEMA that schema of
 * the test PostgreSQL (TEST_POSTGRES_URL, else the usual test database), which
 * several processes can share.
 */
import { join } from 'node:path';
import { startServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { PostgresStore } from '../../server/store/postgres-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import { writeFixture } from './fixture';
import { TEST_DATABASE_URL } from './postgres';

const config = { ...loadConfig(), port: 0, host: '127.0.0.1' };
const schema = process.env.TEST_POSTGRES_SCHEMA;
const store = schema
	? new PostgresStore({ connectionString: process.env.TEST_POSTGRES_URL || TEST_DATABASE_URL, schema })
	: new SqliteStore({ file: join(config.dataDir, 'outrider.sqlite'), writeThread: true });
const server = await startServer({ config, store });
if ((await server.store.listUsers()).length === 0) await writeFixture(server.store);
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
