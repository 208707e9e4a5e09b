import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import { loadDocumentState } from '../../server/store/compaction';
import type { DocumentStore } from '../../server/store/document-store';

/** The shared types an editable document holds (document contract v1). */
const TYPES = {
	account: { text: 'notes', list: 'contacts' },
	visit: { text: 'report', list: 'tasks' },
	order: { text: undefined, list: 'lines' }
} as const;

export type EditableKind = keyof typeof TYPES;

/** What a person would see of a replica: every shared type as plain data. */
export function replicaContent(doc: Y.Doc, docName: string): Record<string, unknown> {
	const kind = docName.split(':')[0] as EditableKind;
	const types = TYPES[kind];
	if (!types) throw new Error(`no content reader for ${docName}`);
	return {
		meta: doc.getMap('meta').toJSON(),
		fields: doc.getMap('fields').toJSON(),
		text: types.text ? doc.getText(types.text).toString() : null,
		list: doc.getArray(types.list).toJSON(),
		conflicts: doc.getMap('conflicts').toJSON(),
		attention: doc.getMap('attention').toJSON(),
		allocation: kind === 'order' ? doc.getMap('allocation').toJSON() : null
	};
}

/** Same content and the same history (state vector and deletions), so later edits merge alike too. */
export function sameReplica(a: Y.Doc, b: Y.Doc, docName: string): boolean {
	return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b)) && isDeepStrictEqual(replicaContent(a, docName), replicaContent(b, docName));
}

/** The document as the store holds it, as a fresh Y.Doc (empty when the store has nothing). */
export async function storedDocument(store: DocumentStore, docName: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const { update } = await loadDocumentState(store, docName);
	if (update) Y.applyUpdate(doc, update);
	return doc;
}
