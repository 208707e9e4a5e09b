import type * as Y from 'yjs';
import { YDocState } from './y-state.svelte';

/**
 * A snapshot of `doc()` for the calling component, re-read on every change and
 * re-made when the document (or anything `read` depends on) changes; stops
 * observing when the component goes. Call while a component is being set up.
 */
export function followSnapshot<T>(doc: () => Y.Doc, read: (doc: Y.Doc) => T): { readonly current: T | null } {
	let state: YDocState<T> | null = $state.raw(null);
	$effect(() => {
		const snapshot = new YDocState(doc(), read);
		state = snapshot;
		return () => snapshot.destroy();
	});
	return {
		get current() {
			return state?.current ?? null;
		}
	};
}
