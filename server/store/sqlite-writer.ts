import { WorkerClient } from '../threads/worker-client';
import type { WriteBatch } from './document-store';

export type WriteJob = { kind: 'write'; batch: WriteBatch } | { kind: 'replace'; docName: string; uptoSeq: number; merged: Uint8Array };

/**
 * Runs the store's write transactions on a thread of their own. A commit with
 * synchronous = FULL waits for the disk; on the relay's thread that wait, with
 * the inserts, would hold up every socket for milliseconds per group commit.
 * Jobs run one at a time in the order sent. If the thread dies, what it had not
 * answered is rejected (SQLite rolled it back) and the next job starts a new one.
 */
export class SqliteWriter {
	readonly #thread: WorkerClient;

	constructor(file: string) {
		this.#thread = new WorkerClient({
			module: new URL('./sqlite-write-thread.ts', import.meta.url),
			workerData: { file },
			label: `the write thread of ${file}`
		});
	}

	/** Starts the thread; rejects when it cannot open the file. */
	start(): Promise<void> {
		return this.#thread.start();
	}

	async write(batch: WriteBatch): Promise<void> {
		await this.#thread.call({ kind: 'write', batch } satisfies WriteJob);
	}

	async replace(docName: string, uptoSeq: number, merged: Uint8Array): Promise<void> {
		await this.#thread.call({ kind: 'replace', docName, uptoSeq, merged } satisfies WriteJob);
	}

	/** Lets the thread finish what it was sent, then closes its connection. */
	close(): Promise<void> {
		return this.#thread.close();
	}
}
