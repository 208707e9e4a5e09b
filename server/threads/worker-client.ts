import { Worker } from 'node:worker_threads';
import type { CallAnswer, SerializedError } from './worker-host';

interface Waiting {
	/** The thread the call went to: only its loss rejects the call. */
	worker: Worker;
	resolve(value: unknown): void;
	reject(error: Error): void;
}

export interface WorkerClientOptions {
	/** The thread's module (worker-host.ts's answerCalls runs in it). */
	module: URL;
	workerData: unknown;
	/** What the thread is, for error messages ("the write thread of /data/outrider.sqlite"). */
	label: string;
	/** Rebuilds an error the thread threw (its class does not survive the trip); a plain Error by default. */
	reviveError?(error: SerializedError): Error;
}

/**
 * Calls into a worker thread, answered in the order sent. Blocking work (a
 * synchronous SQLite transaction and its disk sync) runs there instead of on the
 * relay's thread, where it would hold up every socket. If the thread dies, the
 * calls it had not answered are rejected and the next call starts a new thread.
 */
export class WorkerClient {
	/** The thread once it said it is ready (rejected when it could not start). */
	#worker: Promise<Worker> | undefined;
	/** The thread started last, before or after it is ready. */
	#live: Worker | undefined;
	#nextId = 1;
	readonly #waiting = new Map<number, Waiting>();
	#closed = false;

	constructor(private readonly options: WorkerClientOptions) {}

	/** Starts the thread; rejects when it cannot start (its module threw while loading). */
	async start(): Promise<void> {
		await this.#ready();
	}

	async call(body: unknown): Promise<unknown> {
		if (this.#closed) throw new Error(`${this.options.label} is closed`);
		const worker = await this.#ready();
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#waiting.set(id, { worker, resolve, reject });
			try {
				worker.postMessage({ id, body });
			} catch (error) {
				// Something in `body` cannot be copied to another thread.
				this.#waiting.delete(id);
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		});
	}

	/** Lets the thread answer what it was sent, then stops it. */
	async close(): Promise<void> {
		this.#closed = true;
		const worker = await this.#worker?.catch(() => undefined);
		this.#worker = undefined;
		if (!worker) return;
		const exited = new Promise((resolve) => worker.once('exit', resolve));
		worker.postMessage('close');
		await exited;
	}

	#ready(): Promise<Worker> {
		this.#worker ??= this.#spawn();
		return this.#worker;
	}

	#spawn(): Promise<Worker> {
		const { label } = this.options;
		const worker = startTypeScriptWorker(this.options.module, this.options.workerData);
		this.#live = worker;
		const ready = new Promise<Worker>((resolve, reject) => {
			worker.once('message', (message) => (message === 'ready' ? resolve(worker) : reject(new Error(`${label} did not start`))));
			worker.once('error', reject);
			worker.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready`)));
		});
		worker.on('message', (message: CallAnswer | 'ready') => {
			if (message === 'ready') return;
			const waiting = this.#waiting.get(message.id);
			this.#waiting.delete(message.id);
			if (message.error === undefined) waiting?.resolve(message.value);
			else waiting?.reject(this.options.reviveError?.(message.error) ?? new Error(message.error.message));
		});
		worker.on('error', (err) => this.#lost(worker, err));
		worker.on('exit', (code) => this.#lost(worker, new Error(`${label} exited (${code})`)));
		return ready;
	}

	#lost(worker: Worker, error: Error): void {
		if (this.#live === worker) {
			this.#live = undefined;
			this.#worker = undefined;
		}
		// A thread reports its end twice (error, then exit): a newer thread's calls are not its to fail.
		for (const [id, waiting] of this.#waiting) {
			if (waiting.worker !== worker) continue;
			this.#waiting.delete(id);
			waiting.reject(error);
		}
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
