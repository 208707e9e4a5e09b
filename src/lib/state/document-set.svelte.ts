import { untrack } from 'svelte';
import type * as Y from 'yjs';
import type { SyncEngineApi } from '../sync/engine-types';
import { openDocument, OpenAbortedError } from './open-document';

interface Opened {
	controller: AbortController;
	stop: () => void;
}

/**
 * Many documents a screen reads at once (a day's visits, their accounts), each kept
 * as a plain snapshot re-read after every change. `sync(names)` opens what is new and
 * releases what left; `values` holds only documents that have loaded.
 */
export class DocumentSetState<T> {
	#values: ReadonlyMap<string, T> = $state.raw(new Map());
	readonly #opened = new Map<string, Opened>();
	readonly #engine: Pick<SyncEngineApi, 'open' | 'release'>;
	readonly #read: (doc: Y.Doc) => T;
	#pending: Map<string, T> | null = null;

	constructor(engine: Pick<SyncEngineApi, 'open' | 'release'>, read: (doc: Y.Doc) => T) {
		this.#engine = engine;
		this.#read = read;
	}

	get values(): ReadonlyMap<string, T> {
		return this.#values;
	}

	sync(names: Iterable<string>): void {
		const wanted = new Set(names);
		for (const [name, opened] of this.#opened) {
			if (wanted.has(name)) continue;
			opened.stop();
			opened.controller.abort();
			this.#opened.delete(name);
			this.#set(name, undefined);
		}
		for (const name of wanted) {
			if (this.#opened.has(name)) continue;
			const opened: Opened = { controller: new AbortController(), stop: () => {} };
			this.#opened.set(name, opened);
			openDocument(this.#engine, name, opened.controller.signal).then(
				(doc) => {
					if (opened.controller.signal.aborted) return;
					const onUpdate = (): void => this.#set(name, this.#read(doc));
					doc.on('update', onUpdate);
					opened.stop = () => doc.off('update', onUpdate);
					onUpdate();
				},
				(error: unknown) => {
					// A document that cannot be opened is simply not shown; the sync status reports why.
					if (!(error instanceof OpenAbortedError)) this.#opened.delete(name);
				}
			);
		}
	}

	/** Changes that arrive together (a whole day opening at once) make one new map, not one each. */
	#set(name: string, value: T | undefined): void {
		if (this.#pending === null) {
			this.#pending = new Map(this.#values);
			queueMicrotask(() => {
				if (this.#pending !== null) this.#values = this.#pending;
				this.#pending = null;
			});
		}
		if (value === undefined) this.#pending.delete(name);
		else this.#pending.set(name, value);
	}

	destroy(): void {
		for (const opened of this.#opened.values()) {
			opened.stop();
			opened.controller.abort();
		}
		this.#opened.clear();
		this.#pending = null;
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
