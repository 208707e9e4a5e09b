import type { EditableKind } from '../conflicts/keep-value';
import type { ReviewItem } from '../conflicts/review-list';
import { ReviewWatcher, type ReviewEngine } from '../conflicts/review-watcher';

/** The device's documents that need a person (open conflicts, validation flags), as Svelte state. */
export class DeviceReviewState {
	#items: ReviewItem[] = $state.raw([]);
	#loading = $state(true);
	readonly #watcher: ReviewWatcher;

	constructor(engine: ReviewEngine, kinds?: readonly EditableKind[]) {
		this.#watcher = new ReviewWatcher(
			engine,
			(items, loading) => {
				this.#items = items;
				this.#loading = loading;
			},
			kinds
		);
	}

	/** Documents needing review, conflicts first. */
	get items(): ReviewItem[] {
		return this.#items;
	}

	/** True until every listed document has been looked at once. */
	get loading(): boolean {
		return this.#loading;
	}

	/** Open conflicts across all these documents (a document may have several). */
	get conflictCount(): number {
		return this.#items.reduce((n, item) => n + item.conflicts.length, 0);
	}

	/** Resolves once documents the index newly lists have been read. */
	refresh(): Promise<void> {
		return this.#watcher.refresh();
	}

	destroy(): void {
		this.#watcher.destroy();
	}
}
