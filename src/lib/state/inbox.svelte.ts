import { readInbox, type InboxMessage } from '../model/inbox';
import { docName } from '../model/names';
import type { SyncEngineApi } from '../sync/engine-types';
import { DeviceIndexState } from './device-index.svelte';
import { followDocument, type LiveDocumentState } from './live-document.svelte';

/**
 * The signed-in user's inbox for the calling component. It is opened only once
 * the device's list of records names it: a user without an inbox yet (the first
 * message creates it on the server) gets it with the next sync, instead of a
 * local empty copy the engine would drop as not being theirs.
 * Call while a component is being set up.
 */
export function followInbox(
	engine: Pick<SyncEngineApi, 'open' | 'release' | 'list' | 'onIndexChange'>,
	userId: string | null
): { readonly state: LiveDocumentState<InboxMessage[]> | null; readonly messages: InboxMessage[] } {
	const index = new DeviceIndexState(engine, 'inbox');
	$effect(() => () => index.destroy());
	const name = userId === null ? null : docName('inbox', userId);
	const listed = $derived(name !== null && index.entries.some((entry) => entry.name === name));
	const inbox = followDocument(engine, () => (listed ? name : null), readInbox);
	return {
		get state() {
			return inbox.state;
		},
		get messages() {
			return inbox.state?.current ?? [];
		}
	};
}
