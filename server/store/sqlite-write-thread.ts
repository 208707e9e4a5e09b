/**
 * The body of the SQLite write thread (see sqlite-writer.ts): its own
 * connection to the store's file, running the write transactions it is sent, in
 * the order sent, and answering each with its id once committed (or failed).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection, prepareWriteTransactions } from './sqlite-write-transactions';
import type { WriteJob, WriteJobResult } from './sqlite-writer';

const port = parentPort;
if (!port) throw new Error('sqlite-write-thread runs as a worker thread');

const db = openSqliteConnection((workerData as { file: string }).file);
const transactions = prepareWriteTransactions(db);

port.on('message', (job: WriteJob | 'close') => {
	if (job === 'close') {
		db.close();
		port.close();
		return;
	}
	let result: WriteJobResult;
	try {
		if (job.kind === 'write') transactions.write(job.batch);
		else transactions.replace(job.docName, job.uptoSeq, job.merged);
		result = { id: job.id };
	} catch (err) {
		result = { id: job.id, error: err instanceof Error ? err.message : String(err) };
	}
	port.postMessage(result);
});
port.postMessage('ready');
