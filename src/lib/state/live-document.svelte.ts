import type * as Y from 'yjs';
import type { SyncEngineApi } from '../sync/engine-types';
import { errorMessage } from '../ui/error-message';
import { OpenAbortedError, openDocument } from './open-document';
import { YDocState } from './y-state.svelte';

/**
 * One document a screen has open: loads it from the engine, keeps a snapshot of it
 * current, and on `destroy()` stops observing and releases it.
 */
export class LiveDocumentState<T> {
	#doc: Y.Doc | null = $state.raw(null);
	#snapshot: YDocState<T> | null = $state.raw(null);
	#error: string | null = $state.raw(null);
	readonly #controller = new AbortController();
	readonly name: string;

	constructor(engine: Pick<SyncEngineApi, 'open' | 'release'>, name: string, read: (doc: Y.Doc) => T) {
		this.name = name;
		openDocument(engine, name, this.#controller.signal).then(
			(doc) => {
				if (this.#controller.signal.aborted) return;
				this.#doc = doc;
				this.#snapshot = new YDocState(doc, read);
			},
			(error: unknown) => {
				if (!(error instanceof OpenAbortedError)) this.#error = errorMessage(error, `Could not open ${name}`);
			}
		);
	}

	/** Null while loading or after a failure. */
	get doc(): Y.Doc | null {
		return this.#doc;
	}

	get current(): T | null {
		return this.#snapshot?.current ?? null;
	}

	get error(): string | null {
		return this.#error;
	}

	get loading(): boolean {
		return this.#doc === null && this.#error === null;
	}

	destroy(): void {
		this.#snapshot?.destroy();
		this.#controller.abort();
	}
}

/**
 * Keeps the document named by `name()` open for the calling component: opened when
 * the name appears or changes, released when it changes or the component goes.
 * Call while a component (or effect root) is being set up.
 */
export function followDocument<T>(
	engine: Pick<SyncEngineApi, 'open' | 'release'>,
	name: () => string | null,
	read: (doc: Y.Doc) => T
): { readonly state: LiveDocumentState<T> | null } {
	let live: LiveDocumentState<T> | null = $state.raw(null);
	$effect(() => {
		const current = name();
		if (current === null) {
			live = null;
			return;
		}
		const opened = new LiveDocumentState(engine, current, read);
		live = opened;
		return () => opened.destroy();
	});
	return {
		get state() {
			return live;
		}
	};
}
