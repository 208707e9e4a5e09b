import type * as Y from 'yjs';
import type { SyncEngineApi } from '../sync/engine-types';
import { openDocument, OpenAbortedError } from './open-document';

interface Opened {
	controller: AbortController;
	stop: () => void;
}

export const NO_SNAPSHOTS: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * Keeps a set of documents open and a plain snapshot of each, re-read after every
 * change, and hands out a new immutable map whenever one changes. Changes that
 * arrive together (a whole day opening at once) make one new map, not one each.
 */
export class DocumentSnapshots<T> {
	#values: ReadonlyMap<string, T> = NO_SNAPSHOTS;
	readonly #opened = new Map<string, Opened>();
	#pending: Map<string, T> | null = null;

	constructor(
		private readonly engine: Pick<SyncEngineApi, 'open' | 'release'>,
		private readonly read: (doc: Y.Doc) => T,
		private readonly onChange: (values: ReadonlyMap<string, T>) => void
	) {}

	get values(): ReadonlyMap<string, T> {
		return this.#values;
	}

	/** Opens what is new in `names` and releases what left. */
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
			openDocument(this.engine, name, opened.controller.signal).then(
				(doc) => {
					if (opened.controller.signal.aborted) return;
					const onUpdate = (): void => this.#set(name, this.read(doc));
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

	#set(name: string, value: T | undefined): void {
		if (this.#pending === null) {
			this.#pending = new Map(this.#values);
			queueMicrotask(() => {
				if (this.#pending === null) return;
				this.#values = this.#pending;
				this.#pending = null;
				this.onChange(this.#values);
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
