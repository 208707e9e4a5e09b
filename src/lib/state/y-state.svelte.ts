import type * as Y from 'yjs';

/**
 * A Svelte-readable snapshot of a whole Y.Doc, re-read after every transaction that
 * changed it, local or remote. `read` builds a fresh plain value (the model's
 * readers do), so components never hold live Yjs objects in their state.
 */
export class YDocState<T> {
	#current: T = $state.raw() as T;
	readonly #doc: Y.Doc;
	readonly #read: (doc: Y.Doc) => T;
	readonly #onUpdate = (): void => {
		this.#current = this.#read(this.#doc);
	};

	constructor(doc: Y.Doc, read: (doc: Y.Doc) => T) {
		this.#doc = doc;
		this.#read = read;
		this.#current = read(doc);
		doc.on('update', this.#onUpdate);
	}

	get current(): T {
		return this.#current;
	}

	destroy(): void {
		this.#doc.off('update', this.#onUpdate);
	}
}

/** Any shared type: Y.Map, Y.Array, Y.Text, nested or top-level. */
export interface DeepObservable {
	observeDeep(listener: () => void): void;
	unobserveDeep(listener: () => void): void;
}

/**
 * The same for one shared type and everything nested in it (a contacts array whose
 * maps change, say), so edits elsewhere in the document do not re-read it.
 */
export class YTypeState<Type extends DeepObservable, T> {
	#current: T = $state.raw() as T;
	readonly #type: Type;
	readonly #read: (type: Type) => T;
	readonly #onChange = (): void => {
		this.#current = this.#read(this.#type);
	};

	constructor(type: Type, read: (type: Type) => T) {
		this.#type = type;
		this.#read = read;
		this.#current = read(type);
		type.observeDeep(this.#onChange);
	}

	get current(): T {
		return this.#current;
	}

	destroy(): void {
		this.#type.unobserveDeep(this.#onChange);
	}
}
