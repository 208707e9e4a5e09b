import type * as Y from 'yjs';
import { EDITABLE_KINDS, type EditableKind } from '../conflicts/keep-value';
import { reviewItemOf, sortReviewItems, type ReviewItem } from '../conflicts/review-list';
import { attentionMap } from '../model/attention';
import { conflictsMap } from '../model/conflicts';
import type { DeviceDocEntry, SyncEngineApi } from '../sync/engine-types';

type ReviewEngine = Pick<SyncEngineApi, 'list' | 'onIndexChange' | 'open' | 'release'>;

/** Enough parallel opens to load a day's documents quickly without flooding IndexedDB. */
const OPEN_CONCURRENCY = 8;

interface Watched {
	doc: Y.Doc;
	stop: () => void;
}

/**
 * Which of the device's documents need a person (open conflicts, validation flags),
 * kept current as documents sync. The index does not carry these maps, so each
 * document is opened once and only its `conflicts` and `attention` maps are watched.
 */
export class DeviceReviewState {
	#items: ReviewItem[] = $state.raw([]);
	#loading = $state(true);
	readonly #engine: ReviewEngine;
	readonly #kinds: readonly EditableKind[];
	readonly #entries = new Map<string, DeviceDocEntry>();
	readonly #watched = new Map<string, Watched>();
	readonly #found = new Map<string, ReviewItem>();
	readonly #unsubscribe: () => void;
	#syncing: Promise<void> | null = null;
	#again = false;
	#destroyed = false;

	constructor(engine: ReviewEngine, kinds: readonly EditableKind[] = EDITABLE_KINDS) {
		this.#engine = engine;
		this.#kinds = kinds;
		this.#unsubscribe = engine.onIndexChange(() => void this.refresh());
		void this.refresh();
	}

	/** Documents needing review, conflicts first. */
	get items(): ReviewItem[] {
		return this.#items;
	}

	/** True until every listed document has been looked at once. */
	get loading(): boolean {
		return this.#loading;
	}

	get conflictCount(): number {
		return this.#items.reduce((n, item) => n + item.conflicts.length, 0);
	}

	itemFor(name: string): ReviewItem | undefined {
		return this.#items.find((item) => item.name === name);
	}

	/** Re-reads the index; resolves once documents it newly lists have been opened and read. */
	refresh(): Promise<void> {
		if (this.#syncing) {
			this.#again = true;
			return this.#syncing;
		}
		this.#syncing = this.#sync().finally(() => {
			this.#syncing = null;
			if (this.#again && !this.#destroyed) {
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
		for (const entry of listed) this.#entries.set(entry.name, entry);
		for (const name of [...this.#entries.keys()]) if (!names.has(name)) this.#entries.delete(name);
		// Titles may have changed (an account renamed), so re-read what is already watched.
		for (const name of this.#watched.keys()) this.#read(name);
		this.#publish();

		const queue = listed.filter((entry) => !this.#watched.has(entry.name)).map((entry) => entry.name);
		const worker = async (): Promise<void> => {
			for (let name = queue.shift(); name !== undefined && !this.#destroyed; name = queue.shift()) {
				await this.#watch(name);
				this.#publish();
			}
		};
		await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, worker));
		this.#publish();
		this.#loading = false;
	}

	async #watch(name: string): Promise<void> {
		let doc: Y.Doc;
		try {
			doc = await this.#engine.open(name);
		} catch {
			// A document the device cannot open has nothing to review here; its page says why.
			return;
		}
		if (this.#destroyed || this.#watched.has(name)) {
			this.#engine.release(name);
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
		this.#watched.set(name, {
			doc,
			stop: () => {
				conflicts.unobserve(onChange);
				attention.unobserve(onChange);
			}
		});
		this.#read(name);
	}

	#unwatch(name: string): void {
		const watched = this.#watched.get(name);
		if (!watched) return;
		watched.stop();
		this.#watched.delete(name);
		this.#found.delete(name);
		this.#engine.release(name);
	}

	#read(name: string): void {
		const entry = this.#entries.get(name);
		const watched = this.#watched.get(name);
		const item = entry && watched ? reviewItemOf(entry, watched.doc) : null;
		if (item) this.#found.set(name, item);
		else this.#found.delete(name);
	}

	#publish(): void {
		if (!this.#destroyed) this.#items = sortReviewItems(this.#found.values());
	}

	destroy(): void {
		this.#destroyed = true;
		this.#unsubscribe();
		for (const name of [...this.#watched.keys()]) this.#unwatch(name);
	}
}
