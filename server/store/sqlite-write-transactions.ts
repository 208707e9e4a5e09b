import Database from 'better-sqlite3';
import type { WriteBatch } from './document-store';
import { rowsOfBatch } from './batch-rows';
import { summaryToRow, toBuffer, type SummaryRow } from './rows';

/** Generous: the relay is the only writer, but a backup or admin tool may hold a lock briefly. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a connection to the store's file as every connection to it must be set:
 * WAL (readers never wait for the writer) and synchronous = FULL, because the
 * relay acknowledges an update only after its commit returned, and that must
 * hold across kill -9 and power loss.
 */
export function openSqliteConnection(file: string): Database.Database {
	const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
	try {
		db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = FULL');
		return db;
	} catch (error) {
		db.close();
		throw error;
	}
}

export interface SqliteWriteTransactions {
	/** One group commit: every update appended and every summary upserted, or nothing. */
	write(batch: WriteBatch): void;
	/** Compaction: rows up to `uptoSeq` become `merged`, under the largest seq replaced. */
	replace(docName: string, uptoSeq: number, merged: Uint8Array): void;
}

/** The document log's write transactions, on whichever connection (or thread) does the writing. */
export function prepareWriteTransactions(db: Database.Database): SqliteWriteTransactions {
	const insertUpdate = db.prepare<[string, Buffer]>('INSERT INTO doc_updates (doc_name, update_blob) VALUES (?, ?)');
	const insertUpdateAt = db.prepare<[number, string, Buffer]>('INSERT INTO doc_updates (seq, doc_name, update_blob) VALUES (?, ?, ?)');
	const maxSeqUpTo = db.prepare<[string, number], { maxSeq: number | null }>(
		'SELECT MAX(seq) AS maxSeq FROM doc_updates WHERE doc_name = ? AND seq <= ?'
	);
	const deleteUpTo = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?');
	const upsertSummary = db.prepare<[SummaryRow]>(
		`INSERT INTO doc_summaries (name, kind, territory, owner, account_id, day, title, updated_at)
		 VALUES (@name, @kind, @territory, @owner, @account_id, @day, @title, @updated_at)
		 ON CONFLICT (name) DO UPDATE SET
			kind = excluded.kind, territory = excluded.territory, owner = excluded.owner,
			account_id = excluded.account_id, day = excluded.day, title = excluded.title,
			updated_at = excluded.updated_at`
	);
	const write = db.transaction((batch: WriteBatch) => {
		for (const { docName, update } of rowsOfBatch(batch.updates)) insertUpdate.run(docName, toBuffer(update));
		for (const summary of batch.summaries) upsertSummary.run(summaryToRow(summary));
	});
	const replace = db.transaction((docName: string, uptoSeq: number, merged: Uint8Array) => {
		const maxSeq = maxSeqUpTo.get(docName, uptoSeq)?.maxSeq ?? null;
		if (maxSeq === null) return;
		deleteUpTo.run(docName, uptoSeq);
		// The freed seq is reused on purpose: it is below every row kept, and
		// AUTOINCREMENT's high-water mark in sqlite_sequence is untouched, so new
		// appends still get numbers never handed out before.
		insertUpdateAt.run(maxSeq, docName, toBuffer(merged));
	});
	return { write: (batch) => write(batch), replace: (docName, uptoSeq, merged) => replace(docName, uptoSeq, merged) };
}
