/**
 * Long pieces of server work (a group commit's bookkeeping over hundreds of
 * documents) are cut into slices so that sockets and timers get a turn in
 * between: fan-out latency then stays bounded by a slice, not by the batch.
 */

/** Resolves after the event loop has handled what was waiting (I/O, then this). */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls `work` on each item in order (awaiting it when it returns a promise),
 * yielding to the event loop whenever `sliceMs` of it has run. A store that
 * answers at once never yields on its own, so asynchronous work is sliced too.
 */
export async function forEachInSlices<T>(items: Iterable<T>, sliceMs: number, work: (item: T) => void | Promise<void>): Promise<void> {
	let sliceStart = performance.now();
	for (const item of items) {
		const pending = work(item);
		if (pending) await pending;
		if (performance.now() - sliceStart >= sliceMs) {
			await yieldToEventLoop();
			sliceStart = performance.now();
		}
	}
}
