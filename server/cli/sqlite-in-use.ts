import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Whether another process has the database open, as a running relay does for its
 * whole life. An exclusive lock cannot be had while any other connection is open
 * in WAL mode; a relay killed with -9 holds nothing, so it does not count.
 */
export function sqliteInUse(file: string): boolean {
	if (!existsSync(file)) return false;
	const db = new Database(file, { timeout: 0 });
	try {
		db.pragma('locking_mode = EXCLUSIVE');
		db.exec('BEGIN EXCLUSIVE');
		db.exec('COMMIT');
		return false;
	} catch (err) {
		if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
		throw err;
	} finally {
		db.close();
	}
}
