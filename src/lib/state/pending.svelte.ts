import type { PendingDocument, SyncEngineApi } from '../sync/engine-types';

/** What waits to reach the server, re-read whenever the engine's status or index changes. */
export class PendingState {
	#documents: PendingDocument[] = $state.raw([]);
	readonly #unsubscribe: (() => void)[];

	constructor(engine: Pick<SyncEngineApi, 'pending' | 'onStatus' | 'onIndexChange'>) {
		const refresh = (): void => {
			this.#documents = engine.pending();
		};
		this.#unsubscribe = [engine.onStatus(refresh), engine.onIndexChange(refresh)];
		refresh();
	}

	get documents(): PendingDocument[] {
		return this.#documents;
	}

	destroy(): void {
		for (const unsubscribe of this.#unsubscribe) unsubscribe();
	}
}
