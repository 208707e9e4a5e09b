import type * as Y from 'yjs';

/**
 * How one benchmark socket reaches a server. The Yjs document, its edits and
 * the timing belong to the load generator; a transport only carries the
 * document's updates to the server and applies what the server relays.
 */
export interface BenchTransport {
	/** Resolves once the server's answer to our state (sync step 2) has been applied. */
	connect(timeoutMs: number): Promise<void>;
	/** Connected, synced and not closed. */
	readonly isOpen: boolean;
	/** Whether it ever synced: a close after that is the server's doing. */
	readonly synced: boolean;
	close(): Promise<void>;
	terminate(): void;
}

export interface TransportSocket {
	/** Socket number, from 0. */
	index: number;
	/** Which of its document's sockets this is, from 0: multi-instance targets spread a document's sockets over instances. */
	copy: number;
	docName: string;
	/** The generator's document: local edits go out, remote ones are applied to it. */
	doc: Y.Doc;
	/** The server closed the socket (after or before it synced). */
	onClosed(code: number): void;
}

/** Opens one socket for one document; every target's client is one of these. */
export type TransportFactory = (socket: TransportSocket) => BenchTransport;
