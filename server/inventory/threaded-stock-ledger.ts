import { WorkerClient } from '../threads/worker-client';
import type { SerializedError } from '../threads/worker-host';
import { StockLedgerError, type BatchOutcome, type StockLedger } from './stock-ledger';

/** A ledger method and its arguments, as sent to the thread. */
export interface LedgerCall {
	method: Exclude<keyof StockLedger, 'close'>;
	args: unknown[];
}

/** reconcileBatch's outcomes as they cross threads: each refusal as data, rebuilt here. */
export type SentBatchOutcome = { ok: true; result: unknown } | { ok: false; error: SerializedError };

type Method = LedgerCall['method'];
type Result<M extends Method> = Awaited<ReturnType<StockLedger[M]>>;

/**
 * The SQLite stock ledger on a thread of its own (stock-ledger-thread.ts). Each
 * of its steps is an IMMEDIATE transaction with a disk sync, and may wait for the
 * document store's write thread to release the file's write lock: on the relay's
 * thread, every socket would wait with it.
 */
export class ThreadedStockLedger implements StockLedger {
	readonly #thread: WorkerClient;

	constructor(options: { file: string }) {
		this.#thread = new WorkerClient({
			module: new URL('./stock-ledger-thread.ts', import.meta.url),
			workerData: { file: options.file },
			label: `the stock ledger thread of ${options.file}`,
			reviveError
		});
	}

	/** Starts the thread and opens the ledger; rejects when the file cannot be opened. */
	start(): Promise<void> {
		return this.#thread.start();
	}

	async #call<M extends Method>(method: M, ...args: Parameters<StockLedger[M]>): Promise<Result<M>> {
		return (await this.#thread.call({ method, args } satisfies LedgerCall)) as Result<M>;
	}

	setOnHand(...args: Parameters<StockLedger['setOnHand']>) {
		return this.#call('setOnHand', ...args);
	}
	receive(...args: Parameters<StockLedger['receive']>) {
		return this.#call('receive', ...args);
	}
	seedOnHand(...args: Parameters<StockLedger['seedOnHand']>) {
		return this.#call('seedOnHand', ...args);
	}
	reconcile(...args: Parameters<StockLedger['reconcile']>) {
		return this.#call('reconcile', ...args);
	}
	async reconcileBatch(...args: Parameters<StockLedger['reconcileBatch']>): Promise<BatchOutcome[]> {
		const sent = (await this.#thread.call({ method: 'reconcileBatch', args } satisfies LedgerCall)) as SentBatchOutcome[];
		return sent.map((outcome) => (outcome.ok ? (outcome as BatchOutcome) : { ok: false, error: reviveError(outcome.error) }));
	}
	cancel(...args: Parameters<StockLedger['cancel']>) {
		return this.#call('cancel', ...args);
	}
	grantVan(...args: Parameters<StockLedger['grantVan']>) {
		return this.#call('grantVan', ...args);
	}
	returnVan(...args: Parameters<StockLedger['returnVan']>) {
		return this.#call('returnVan', ...args);
	}
	orderAllocation(...args: Parameters<StockLedger['orderAllocation']>) {
		return this.#call('orderAllocation', ...args);
	}
	totals(...args: Parameters<StockLedger['totals']>) {
		return this.#call('totals', ...args);
	}
	frequentBuyers(...args: Parameters<StockLedger['frequentBuyers']>) {
		return this.#call('frequentBuyers', ...args);
	}
	warehouses() {
		return this.#call('warehouses');
	}
	exportWarehouse(...args: Parameters<StockLedger['exportWarehouse']>) {
		return this.#call('exportWarehouse', ...args);
	}
	importWarehouse(...args: Parameters<StockLedger['importWarehouse']>) {
		return this.#call('importWarehouse', ...args);
	}

	close(): Promise<void> {
		return this.#thread.close();
	}
}

/** A refusal keeps its class across the thread boundary: callers tell it from a failure by `instanceof`. */
function reviveError(error: SerializedError): Error {
	if (error.name !== 'StockLedgerError') return new Error(error.message);
	const { warehouse, orderId } = error.fields as { warehouse: string; orderId?: string };
	return new StockLedgerError(error.message, warehouse, orderId);
}
