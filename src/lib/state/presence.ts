import type * as Y from 'yjs';
import { readMeta } from '../model/meta';

/** A document's snapshot, and whether the device has its content yet (an empty doc reads as defaults). */
export interface Presence<T> {
	present: boolean;
	value: T;
}

export function withPresence<T>(read: (doc: Y.Doc) => T): (doc: Y.Doc) => Presence<T> {
	return (doc) => ({ present: readMeta(doc) !== undefined, value: read(doc) });
}
