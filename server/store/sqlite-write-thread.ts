/**
 * The body of the SQLite write thread (see sqlite-writer.ts): its own
 * connection to the store's file, running the write transactions it is sent, in
 * the order sent, and answering each once committed (or failed).
 */
import { workerData } from 'node:worker_threads';
import { answerCalls } from '../threads/worker-host';
import { openSqliteConnection, prepareWriteTransactions } from './sqlite-write-transactions';
import type { WriteJob } from './sqlite-writer';

const db = openSqliteConnection((workerData as { file: string }).file);
const transactions = prepareWriteTransactions(db);

answerCalls(
	(body) => {
		const job = body as WriteJob;
		if (job.kind === 'write') transactions.write(job.batch);
		else transactions.replace(job.docName, job.uptoSeq, job.merged);
	},
	() => db.close()
);
