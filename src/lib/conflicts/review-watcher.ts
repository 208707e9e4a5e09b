import type * as Y from 'yjs';
import { attentionMap } from '../model/attention';
import { conflictsMap } from '../model/conflicts';
import { OpenAbortedError, openDocument } from '../state/open-document';
import type { DeviceDocEntry, SyncEngineApi } from '../sync/engine-types';
import { EDITABLE_KINDS, type EditableKind } from './keep-value';
import { reviewItemOf, sortReviewItems, type ReviewItem } from './review-list';

export type ReviewEngine = Pick<SyncEngineApi, 'list' | 'onIndexChange' | 'open' | 'release'>;

/** Enough parallel opens to read a day's documents quickly without flooding IndexedDB. */
const OPEN_CONCURRENCY = 8;

interface Watched {
	controller: AbortController;
	doc: Y.Doc | null;
	stop: () => void;
}

/**
 * Finds which of the device's documents need a person (open conflicts, validation
 * flags) and keeps that current as documents sync. The index does not carry these
 * maps, so each document is opened once and only `conflicts` and `attention` are
 * observed. `onChange` receives the whole list, conflicts first.
 */
export class ReviewWatcher {
	readonly #engine: ReviewEngine;
	readonly #kinds: readonly EditableKind[];
	readonly #onChange: (items: ReviewItem[], loading: boolean) => void;
	readonly #entries = new Map<string, DeviceDocEntry>();
	readonly #watched = new Map<string, Watched>();
	readonly #found = new Map<string, ReviewItem>();
	readonly #unsubscribe: () => void;
	#syncing: Promise<void> | null = null;
	#again = false;
	#loading = true;
	#destroyed = false;

	constructor(engine: ReviewEngine, onChange: (items: ReviewItem[], loading: boolean) => void, kinds: readonly EditableKind[] = EDITABLE_KINDS) {
		this.#engine = engine;
		this.#kinds = kinds;
		this.#onChange = onChange;
		this.#unsubscribe = engine.onIndexChange(() => void this.refresh());
		void this.refresh();
	}

	/** Re-reads the index; resolves once the documents it newly lists have been opened and read. */
	refresh(): Promise<void> {
		if (this.#destroyed) return Promise.resolve();
		if (this.#syncing) {
			this.#again = true;
			return this.#syncing;
		}
		this.#syncing = this.#sync().finally(() => {
			this.#syncing = null;
			if (this.#again) {
				this.#again = false;
				void this.refresh();
			}
		});
		return this.#syncing;
	}

	async #sync(): Promise<void> {
		const listed = this.#kinds.flatMap((kind) => this.#engine.list(kind));
		const names = new Set(listed.map((entry) => entry.name));
		for (const name of [...this.#watched.keys()]) if (!names.has(name)) this.#unwatch(name);
		const renamed: string[] = [];
		for (const entry of listed) {
			if (this.#entries.get(entry.name)?.title !== entry.title) renamed.push(entry.name);
			this.#entries.set(entry.name, entry);
		}
		for (const name of [...this.#entries.keys()]) if (!names.has(name)) this.#entries.delete(name);
		// Conflicts and flags are observed directly; only a new title (an account renamed) needs a re-read here.
		for (const name of renamed) if (this.#watched.has(name)) this.#read(name);
		this.#publish();

		const queue = listed.filter((entry) => !this.#watched.has(entry.name)).map((entry) => entry.name);
		const worker = async (): Promise<void> => {
			for (let name = queue.shift(); name !== undefined && !this.#destroyed; name = queue.shift()) {
				await this.#watch(name);
				this.#publish();
			}
		};
		await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, worker));
		this.#loading = false;
		this.#publish();
	}

	async #watch(name: string): Promise<void> {
		const watched: Watched = { controller: new AbortController(), doc: null, stop: () => {} };
		this.#watched.set(name, watched);
		let doc: Y.Doc;
		try {
			doc = await openDocument(this.#engine, name, watched.controller.signal);
		} catch (error) {
			// A document the device cannot open has nothing to review here; its own page says why.
			if (!(error instanceof OpenAbortedError)) this.#watched.delete(name);
			return;
		}
		const onChange = (): void => {
			this.#read(name);
			this.#publish();
		};
		const conflicts = conflictsMap(doc);
		const attention = attentionMap(doc);
		conflicts.observe(onChange);
		attention.observe(onChange);
		watched.doc = doc;
		watched.stop = () => {
			conflicts.unobserve(onChange);
			attention.unobserve(onChange);
		};
		this.#read(name);
	}

	#unwatch(name: string): void {
		const watched = this.#watched.get(name);
		if (!watched) return;
		watched.stop();
		watched.controller.abort();
		this.#watched.delete(name);
		this.#found.delete(name);
	}

	#read(name: string): void {
		const entry = this.#entries.get(name);
		const doc = this.#watched.get(name)?.doc;
		const item = entry && doc ? reviewItemOf(entry, doc) : null;
		if (item) this.#found.set(name, item);
		else this.#found.delete(name);
	}

	#publish(): void {
		if (!this.#destroyed) this.#onChange(sortReviewItems(this.#found.values()), this.#loading);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#unsubscribe();
		for (const name of [...this.#watched.keys()]) this.#unwatch(name);
	}
}
