import { untrack } from 'svelte';
import type * as Y from 'yjs';
import type { SyncEngineApi } from '../sync/engine-types';
import { DocumentSnapshots, NO_SNAPSHOTS } from './document-snapshots';

/**
 * Many documents a screen reads at once (a day's visits, their accounts) as Svelte
 * state. `sync(names)` opens what is new and releases what left; `values` holds only
 * documents that have loaded.
 */
export class DocumentSetState<T> {
	#values: ReadonlyMap<string, T> = $state.raw(NO_SNAPSHOTS);
	readonly #snapshots: DocumentSnapshots<T>;

	constructor(engine: Pick<SyncEngineApi, 'open' | 'release'>, read: (doc: Y.Doc) => T) {
		this.#snapshots = new DocumentSnapshots(engine, read, (values) => {
			this.#values = values;
		});
	}

	get values(): ReadonlyMap<string, T> {
		return this.#values;
	}

	sync(names: Iterable<string>): void {
		this.#snapshots.sync(names);
	}

	destroy(): void {
		this.#snapshots.destroy();
	}
}

/**
 * Keeps the documents named by `names()` open for the calling component, re-syncing
 * when the names change. Call while a component (or effect root) is being set up.
 */
export function followDocuments<T>(
	engine: Pick<SyncEngineApi, 'open' | 'release'>,
	names: () => Iterable<string>,
	read: (doc: Y.Doc) => T
): DocumentSetState<T> {
	const set = new DocumentSetState(engine, read);
	$effect(() => {
		const wanted = [...names()];
		// Only the names drive this effect, not the snapshots `sync` touches.
		untrack(() => set.sync(wanted));
	});
	$effect(() => () => set.destroy());
	return set;
}
