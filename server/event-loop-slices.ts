/**
 * Long pieces of server work (a group commit's bookkeeping over hundreds of
 * documents) are cut into slices so that sockets and timers get a turn in
 * between: fan-out latency then stays bounded by a slice, not by the batch.
 */

/** Resolves after the event loop has handled what was waiting (I/O, then this). */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/** Calls `work` on each item in order, yielding to the event loop whenever `sliceMs` of it has run. */
export async function forEachInSlices<T>(items: Iterable<T>, work: (item: T) => void, sliceMs: number): Promise<void> {
	let sliceStart = performance.now();
	for (const item of items) {
		work(item);
		if (performance.now() - sliceStart >= sliceMs) {
			await yieldToEventLoop();
			sliceStart = performance.now();
		}
	}
}

/** As forEachInSlices, mapping each item. */
export async function mapInSlices<T, R>(items: Iterable<T>, map: (item: T) => R, sliceMs: number): Promise<R[]> {
	const results: R[] = [];
	await forEachInSlices(items, (item) => results.push(map(item)), sliceMs);
	return results;
}

/** As forEachInSlices for asynchronous work, one item at a time: a store that answers at once would otherwise never yield. */
export async function forEachInSlicesAsync<T>(items: Iterable<T>, sliceMs: number, work: (item: T) => Promise<void>): Promise<void> {
	let sliceStart = performance.now();
	for (const item of items) {
		await work(item);
		if (performance.now() - sliceStart >= sliceMs) {
			await yieldToEventLoop();
			sliceStart = performance.now();
		}
	}
}
