import * as Y from 'yjs';
import { loadDocumentState } from '../../server/store/compaction';
import type { DocumentStore, DocumentSummary, UserRecord } from '../../server/store/document-store';

export interface StoreContents {
	/** Each document's state as a Y.Doc encodes it after loading, base64 (equal states encode alike). */
	documents: Record<string, string>;
	summaries: DocumentSummary[];
	users: UserRecord[];
}

/** What a store holds, in a form two stores can be compared by. */
export async function storeContents(store: DocumentStore): Promise<StoreContents> {
	const documents: Record<string, string> = {};
	for (const name of await store.listDocumentNames()) {
		const state = await loadDocumentState(store, name);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, state.update!);
		documents[name] = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
		doc.destroy();
	}
	return { documents, summaries: await store.listSummaries(), users: await store.listUsers() };
}
