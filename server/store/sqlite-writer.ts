import { Worker } from 'node:worker_threads';
import type { WriteBatch } from './document-store';

type JobBody = { kind: 'write'; batch: WriteBatch } | { kind: 'replace'; docName: string; uptoSeq: number; merged: Uint8Array };

export type WriteJob = JobBody & { id: number };

export interface WriteJobResult {
	id: number;
	/** Why the transaction failed (it was rolled back). */
	error?: string;
}

interface Waiting {
	resolve(): void;
	reject(error: Error): void;
}

/**
 * Runs the store's write transactions on a thread of their own. A commit with
 * synchronous = FULL waits for the disk; on the relay's thread that wait, with
 * the inserts, would hold up every socket for milliseconds per group commit.
 * Jobs run one at a time in the order sent. If the thread dies, what it had not
 * answered is rejected (SQLite rolled it back) and the next job starts a new one.
 */
export class SqliteWriter {
	/** The thread once it said it is ready (rejected when it could not start). */
	#worker: Promise<Worker> | undefined;
	/** The thread started last, before or after it is ready. */
	#live: Worker | undefined;
	#nextId = 1;
	readonly #waiting = new Map<number, Waiting>();
	#closed = false;

	constructor(private readonly file: string) {}

	/** Starts the thread; rejects when it cannot open the file. */
	async start(): Promise<void> {
		await this.#ready();
	}

	write(batch: WriteBatch): Promise<void> {
		return this.#run({ kind: 'write', batch });
	}

	replace(docName: string, uptoSeq: number, merged: Uint8Array): Promise<void> {
		return this.#run({ kind: 'replace', docName, uptoSeq, merged });
	}

	/** Lets the thread finish what it was sent, then closes its connection. */
	async close(): Promise<void> {
		this.#closed = true;
		const worker = await this.#worker?.catch(() => undefined);
		this.#worker = undefined;
		if (!worker) return;
		const exited = new Promise((resolve) => worker.once('exit', resolve));
		worker.postMessage('close');
		await exited;
	}

	async #run(body: JobBody): Promise<void> {
		if (this.#closed) throw new Error(`the write thread of ${this.file} is closed`);
		const worker = await this.#ready();
		const id = this.#nextId++;
		return new Promise<void>((resolve, reject) => {
			this.#waiting.set(id, { resolve, reject });
			worker.postMessage({ ...body, id } satisfies WriteJob);
		});
	}

	#ready(): Promise<Worker> {
		this.#worker ??= this.#spawn();
		return this.#worker;
	}

	#spawn(): Promise<Worker> {
		const worker = startTypeScriptWorker(new URL('./sqlite-write-thread.ts', import.meta.url), { file: this.file });
		this.#live = worker;
		const ready = new Promise<Worker>((resolve, reject) => {
			worker.once('message', (message) => (message === 'ready' ? resolve(worker) : reject(new Error('the write thread did not start'))));
			worker.once('error', reject);
			worker.once('exit', (code) => reject(new Error(`the write thread of ${this.file} exited (${code}) before it was ready`)));
		});
		worker.on('message', (message: WriteJobResult | 'ready') => {
			if (message === 'ready') return;
			const waiting = this.#waiting.get(message.id);
			this.#waiting.delete(message.id);
			if (message.error === undefined) waiting?.resolve();
			else waiting?.reject(new Error(message.error));
		});
		worker.on('error', (err) => this.#lost(worker, err));
		worker.on('exit', (code) => this.#lost(worker, new Error(`the write thread of ${this.file} exited (${code})`)));
		return ready;
	}

	#lost(worker: Worker, error: Error): void {
		if (this.#live === worker) {
			this.#live = undefined;
			this.#worker = undefined;
		}
		for (const waiting of this.#waiting.values()) waiting.reject(error);
		this.#waiting.clear();
	}
}

/**
 * A worker thread running a TypeScript module. The server itself runs through
 * tsx, which a new thread does not inherit, so the thread registers it first.
 */
function startTypeScriptWorker(module: URL, workerData: unknown): Worker {
	if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
	const source = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })`;
	return new Worker(source, { eval: true, workerData });
}
