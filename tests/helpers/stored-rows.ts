import * as Y from 'yjs';
import type { PostgresAdmin } from './postgres';

export interface StoredRow {
	seq: number;
	update: Uint8Array;
}

/** A document's rows in one PostgreSQL schema, in seq order (optionally only those after `afterSeq`). */
export async function storedRows(admin: PostgresAdmin, schema: string, docName: string, afterSeq = 0): Promise<StoredRow[]> {
	const result = await admin.pool.query<{ seq: string; update_blob: Buffer }>(
		`SELECT seq, update_blob FROM "${schema}".doc_updates WHERE doc_name = $1 AND seq > $2 ORDER BY seq`,
		[docName, afterSeq]
	);
	return result.rows.map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.update_blob) }));
}

export async function lastSeq(admin: PostgresAdmin, schema: string): Promise<number> {
	const result = await admin.pool.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM "${schema}".doc_updates`);
	return Number(result.rows[0]?.seq ?? 0);
}

/** The document the rows add up to. */
export function docFromRows(rows: readonly StoredRow[]): Y.Doc {
	const doc = new Y.Doc();
	for (const row of rows) Y.applyUpdate(doc, row.update);
	return doc;
}

/**
 * Struct ids (client:clock) held by more than one row: a change stored twice.
 * Two rows may both delete one item (two writers did), but no item is inserted twice.
 */
export function structsStoredTwice(rows: readonly StoredRow[]): string[] {
	const seen = new Map<number, Array<{ clock: number; end: number }>>();
	const twice: string[] = [];
	for (const row of rows) {
		for (const struct of Y.decodeUpdate(row.update).structs) {
			if (struct instanceof Y.Skip) continue;
			const { client, clock } = struct.id;
			const end = clock + struct.length;
			const runs = seen.get(client) ?? [];
			if (runs.some((run) => run.clock < end && clock < run.end)) twice.push(`${client}:${clock}`);
			runs.push({ clock, end });
			seen.set(client, runs);
		}
	}
	return twice;
}
