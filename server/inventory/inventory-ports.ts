import type * as Y from 'yjs';

/** What inventory needs from the relay: documents it can read and change as the server. */
export interface ServerDocuments {
	/** Reads a document (loading it from the store if it is not in memory). */
	read<T>(name: string, read: (doc: Y.Doc) => T): Promise<T>;
	/** Changes a document in one server transaction; clients get it as any other update. */
	change<T>(name: string, change: (doc: Y.Doc) => T): Promise<T>;
}

export interface InboxNotice {
	kind: string;
	title: string;
	body: string;
	urgent?: boolean;
	/** App path of what the message is about. */
	link?: string;
}

export type Notify = (userId: string, notice: InboxNotice) => void;
