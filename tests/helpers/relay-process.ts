/**
 * The relay as its own process, for tests that kill it. Prints one JSON line
 * `{"port": N}` once listening; writes the test fixture into an empty store.
 */
import { join } from 'node:path';
import { startServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SqliteStore } from '../../server/store/sqlite-store';
import { writeFixture } from './fixture';

const config = { ...loadConfig(), port: 0, host: '127.0.0.1' };
const server = await startServer({ config, store: new SqliteStore({ file: join(config.dataDir, 'outrider.sqlite') }) });
if ((await server.store.listUsers()).length === 0) await writeFixture(server.store);
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
