/**
 * The thread's side of worker-client.ts: answers each call with its id, one at a
 * time in the order received, and stops when told to close.
 */
import { parentPort } from 'node:worker_threads';

/** An error as it crosses to the calling thread: its class stays behind, so its fields travel as data. */
export interface SerializedError {
	name: string;
	message: string;
	/** The error's own enumerable fields (a ledger error's warehouse, say). */
	fields: Record<string, unknown>;
}

export type CallAnswer = { id: number; value: unknown; error?: undefined } | { id: number; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
	if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
	return { name: error.name, message: error.message, fields: { ...error } };
}

/** Runs `handle` for every call; `close` releases what the thread holds before it ends. */
export function answerCalls(handle: (body: unknown) => unknown, close: () => void): void {
	const port = parentPort;
	if (!port) throw new Error('answerCalls runs in a worker thread');
	// Calls are answered strictly in order, even when a handler is asynchronous.
	let previous: Promise<void> = Promise.resolve();
	port.on('message', (message: { id: number; body: unknown } | 'close') => {
		previous = previous.then(async () => {
			if (message === 'close') {
				close();
				port.close();
				return;
			}
			let answer: CallAnswer;
			try {
				answer = { id: message.id, value: await handle(message.body) };
			} catch (error) {
				answer = { id: message.id, error: serializeError(error) };
			}
			try {
				port.postMessage(answer);
			} catch (error) {
				// The answer cannot be copied back (a function in it, say): the call fails, the thread goes on.
				port.postMessage({ id: message.id, error: serializeError(error) } satisfies CallAnswer);
			}
		});
	});
	port.postMessage('ready');
}
