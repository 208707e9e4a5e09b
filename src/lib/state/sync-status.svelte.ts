import type { SyncEngineApi, SyncStatus } from '../sync/engine-types';

/** The engine's sync status as Svelte state, for the top bar and the sync pages. */
export class SyncStatusState {
	#current: SyncStatus = $state.raw() as SyncStatus;
	readonly #unsubscribe: () => void;

	constructor(engine: Pick<SyncEngineApi, 'status' | 'onStatus'>) {
		this.#current = engine.status;
		this.#unsubscribe = engine.onStatus((status) => {
			this.#current = status;
		});
	}

	get current(): SyncStatus {
		return this.#current;
	}

	destroy(): void {
		this.#unsubscribe();
	}
}
