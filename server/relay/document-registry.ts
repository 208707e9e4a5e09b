import type { Logger } from '../log';
import { loadDocumentState, type DocumentState } from '../store/compaction';
import type { DocumentStore } from '../store/document-store';
import type { DocumentFanout } from '../fanout/document-fanout';
import { PeerLink } from './peer-link';
import { SharedDocument, type SharedDocumentHooks } from './shared-document';

export interface DocumentRegistryOptions {
	store: DocumentStore;
	/** Other instances holding the same documents; a document in memory is subscribed. */
	fanout: DocumentFanout;
	log: Logger;
	idleMs: number;
	hooks: SharedDocumentHooks;
	/** Whether the document still has changes waiting for the store (then it stays). */
	hasPendingWrites(doc: SharedDocument): boolean;
	/** Writes what is waiting now (before a document is dropped from memory). */
	flush(): Promise<void>;
	/** Another instance moved this document to another territory: its sessions need checking again. */
	onPeerAccessChanged?(docName: string): void;
	/** A document just loaded with this many stored rows (compaction may be due). */
	onLoaded?(doc: SharedDocument, storedRows: number): void;
}

/**
 * Documents in memory: loaded from the store on first use, shared by every
 * connection that asks for the same name, and dropped after they have been
 * idle (no sessions, nothing left to persist) for `idleMs`.
 */
export class DocumentRegistry {
	private readonly loaded = new Map<string, SharedDocument>();
	private readonly loading = new Map<string, Promise<SharedDocument>>();
	private readonly peerLinks = new Map<string, PeerLink>();
	private readonly sweeper: NodeJS.Timeout;

	constructor(private readonly options: DocumentRegistryOptions) {
		this.sweeper = setInterval(() => void this.evictIdle(), Math.max(250, Math.min(options.idleMs, 10_000)));
		this.sweeper.unref();
	}

	get size(): number {
		return this.loaded.size;
	}

	loadedDocuments(): SharedDocument[] {
		return [...this.loaded.values()];
	}

	peek(name: string): SharedDocument | undefined {
		return this.loaded.get(name);
	}

	/** The shared document, loading it once however many callers ask at the same time. */
	get(name: string): Promise<SharedDocument> {
		const doc = this.loaded.get(name);
		if (doc) return Promise.resolve(doc);
		let pending = this.loading.get(name);
		if (!pending) {
			pending = this.load(name).finally(() => this.loading.delete(name));
			this.loading.set(name, pending);
		}
		return pending;
	}

	private async load(name: string): Promise<SharedDocument> {
		// Subscribed before the store is read, so a change published in between is not missed.
		const link = new PeerLink(this.options.fanout, name, this.options.log, (docName) => this.options.onPeerAccessChanged?.(docName));
		let state: DocumentState;
		try {
			await link.open();
			state = await loadDocumentState(this.options.store, name);
		} catch (err) {
			this.closeLink(link);
			throw err;
		}
		const doc = new SharedDocument(name, state.update, this.options.hooks);
		this.loaded.set(name, doc);
		this.peerLinks.set(name, link);
		link.attach(doc);
		this.options.onLoaded?.(doc, state.rowCount);
		return doc;
	}

	/** Drops documents nobody uses; their pending changes are written first. */
	async evictIdle(now = Date.now()): Promise<number> {
		const idle = [...this.loaded.values()].filter(
			(d) => d.sessionCount === 0 && now - d.lastActiveAt >= this.options.idleMs
		);
		if (idle.length === 0) return 0;
		if (idle.some((d) => this.options.hasPendingWrites(d))) await this.options.flush();
		let evicted = 0;
		for (const doc of idle) {
			// A session may have joined, or a change arrived, while we flushed.
			if (doc.sessionCount > 0 || this.options.hasPendingWrites(doc) || now - doc.lastActiveAt < this.options.idleMs) continue;
			this.loaded.delete(doc.name);
			this.dropPeerLink(doc.name);
			doc.destroy();
			evicted++;
		}
		if (evicted > 0) this.options.log.debug({ evicted, inMemory: this.loaded.size }, 'evicted idle documents');
		return evicted;
	}

	/** Drops every document (after the caller flushed); used at shutdown. */
	clear(): void {
		clearInterval(this.sweeper);
		for (const name of [...this.peerLinks.keys()]) this.dropPeerLink(name);
		for (const doc of this.loaded.values()) doc.destroy();
		this.loaded.clear();
	}

	private dropPeerLink(name: string): void {
		const link = this.peerLinks.get(name);
		if (!link) return;
		this.peerLinks.delete(name);
		this.closeLink(link);
	}

	private closeLink(link: PeerLink): void {
		link.close().catch((err: unknown) => this.options.log.warn({ err, doc: link.docName }, 'could not unsubscribe from other instances'));
	}
}
