/**
 * How much memory a library needs to hold every morning document loaded:
 * `memory-process.ts <yjs|automerge> <file>` in a fresh process with
 * --expose-gc, so nothing the library held before inflates or hides the figure
 * (WebAssembly memory, Automerge's, never shrinks once grown).
 */
import { sendResult } from '../child-process';
import { LIBRARIES, libraryId } from './libraries';
import { readMorning } from './morning-file';

export interface MemoryFigures {
	documents: number;
	/** Growth once every document is loaded and garbage is collected, MiB. */
	rssMb: number;
	heapUsedMb: number;
	/** Memory outside the JS heap (buffers, WebAssembly), MiB. */
	externalMb: number;
	/** RSS growth per document, KiB. */
	rssKbPerDoc: number;
}

const MB = 1024 * 1024;

function settle(): NodeJS.MemoryUsage {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	gc();
	gc();
	return process.memoryUsage();
}

sendResult(async (): Promise<MemoryFigures> => {
	const lib = await LIBRARIES[libraryId(process.argv[2])].load();
	const file = process.argv[3];
	if (!file) throw new Error('usage: memory-process.ts <library> <file>');
	const morning = readMorning(file);
	// Load and drop one document first, so the library's own start-up is in the baseline.
	const warm = morning[0];
	if (warm) lib.free(lib.load(warm.bytes));
	const before = settle();
	const docs = morning.map((m) => lib.load(m.bytes));
	const after = settle();
	const figures: MemoryFigures = {
		// Read after the measurement, so the documents stay reachable until then.
		documents: docs.length,
		rssMb: Math.round(((after.rss - before.rss) / MB) * 10) / 10,
		heapUsedMb: Math.round(((after.heapUsed - before.heapUsed) / MB) * 10) / 10,
		externalMb: Math.round(((after.external - before.external) / MB) * 10) / 10,
		rssKbPerDoc: Math.round(((after.rss - before.rss) / 1024 / Math.max(1, docs.length)) * 100) / 100
	};
	return figures;
});
