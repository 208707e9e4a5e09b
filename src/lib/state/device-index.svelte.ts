import type { DocKind } from '../model/names';
import type { DeviceDocEntry, SyncEngineApi } from '../sync/engine-types';

/** The device's index of one kind of document as Svelte state, re-listed whenever the index changes. */
export class DeviceIndexState {
	#entries: DeviceDocEntry[] = $state.raw([]);
	readonly #engine: Pick<SyncEngineApi, 'list' | 'onIndexChange'>;
	readonly #kind: DocKind;
	readonly #unsubscribe: () => void;

	constructor(engine: Pick<SyncEngineApi, 'list' | 'onIndexChange'>, kind: DocKind) {
		this.#engine = engine;
		this.#kind = kind;
		this.#entries = engine.list(kind);
		this.#unsubscribe = engine.onIndexChange(() => {
			this.#entries = this.#engine.list(this.#kind);
		});
	}

	get entries(): DeviceDocEntry[] {
		return this.#entries;
	}

	destroy(): void {
		this.#unsubscribe();
	}
}
