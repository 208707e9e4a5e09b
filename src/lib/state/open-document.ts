import type * as Y from 'yjs';
import type { SyncEngineApi } from '../sync/engine-types';

export class OpenAbortedError extends Error {
	constructor(readonly docName: string) {
		super(`stopped opening ${docName}: the screen closed`);
		this.name = 'OpenAbortedError';
	}
}

/**
 * Opens a document for as long as `signal` is not aborted, then releases it. A screen
 * left before the document finished loading releases it as soon as it arrives, so
 * quick back-and-forth taps never leave documents open.
 */
export async function openDocument(engine: Pick<SyncEngineApi, 'open' | 'release'>, name: string, signal: AbortSignal): Promise<Y.Doc> {
	if (signal.aborted) throw new OpenAbortedError(name);
	const doc = await engine.open(name);
	if (signal.aborted) {
		engine.release(name);
		throw new OpenAbortedError(name);
	}
	signal.addEventListener('abort', () => engine.release(name), { once: true });
	return doc;
}
