import { encodePermissionDenied, MalformedMessageError, MessageType } from '../../src/lib/protocol';
import type { DocAccess } from '../auth/permissions';
import type { UserRecord } from '../store/document-store';
import type { DocumentRegistry } from './document-registry';
import { newSessionId, type DocSession } from './session';
import type { SharedDocument } from './shared-document';

/** Messages a channel holds while its document loads; more means a misbehaving client. */
const MAX_QUEUED_WHILE_OPENING = 1000;

export interface DocChannelOptions {
	docName: string;
	user: UserRecord;
	speaksExtensions: boolean;
	send(payload: Uint8Array): void;
	/** Called when a message from the client breaks the protocol. */
	fail(error: Error): void;
	resolveAccess(user: UserRecord, docName: string): Promise<DocAccess>;
	registry: DocumentRegistry;
	/** Access was taken away while open (a `/doc` socket closes; a `/sync` one keeps its other documents). */
	onRevoked?(reason: string): void;
}

export type ChannelState = 'opening' | 'open' | 'denied' | 'closed';

/**
 * One client's subscription to one document, and the serialized queue of its
 * messages: they are applied in the order sent, after the document loaded and
 * the user's access was checked. Used by both `/doc/<name>` and `/sync`.
 */
export class DocChannel implements DocSession {
	readonly id = newSessionId();
	access: DocAccess = { read: false, write: false };
	state: ChannelState = 'opening';
	private doc: SharedDocument | undefined;
	private readonly queue: Uint8Array[] = [];
	private draining = false;

	constructor(private readonly options: DocChannelOptions) {}

	get docName(): string {
		return this.options.docName;
	}
	get user(): UserRecord {
		return this.options.user;
	}
	get speaksExtensions(): boolean {
		return this.options.speaksExtensions;
	}

	send(payload: Uint8Array): void {
		if (this.state === 'open' || this.state === 'opening') this.options.send(payload);
	}

	fail(error: Error): void {
		this.options.fail(error);
	}

	/** Checks access and joins the shared document; resolves to the final state. */
	async open(): Promise<ChannelState> {
		try {
			this.access = await this.options.resolveAccess(this.user, this.docName);
			if (this.isClosed()) return this.state;
			if (!this.access.read) {
				this.state = 'denied';
				this.queue.length = 0;
				this.options.send(encodePermissionDenied(this.access.reason ?? 'access denied'));
				return this.state;
			}
			const doc = await this.options.registry.get(this.docName);
			if (this.isClosed()) return this.state;
			this.doc = doc;
			this.state = 'open';
			doc.addSession(this, { quiet: this.queue[0]?.length === 1 && this.queue[0][0] === MessageType.Watch });
			this.drain();
			return this.state;
		} catch (err) {
			if (this.state !== 'closed') this.options.fail(err instanceof Error ? err : new Error(String(err)));
			return this.state;
		}
	}

	/** Queues one per-document message from the client. */
	push(payload: Uint8Array): void {
		if (this.state === 'denied' || this.state === 'closed') return;
		if (this.state === 'opening' && this.queue.length >= MAX_QUEUED_WHILE_OPENING) {
			this.options.fail(new MalformedMessageError(`too many messages for ${this.docName} before it opened`));
			return;
		}
		this.queue.push(payload);
		if (this.state === 'open') this.drain();
	}

	/**
	 * Hands queued messages to the document in order. Most are handled at once; one
	 * that must wait (its write check looks something up) holds the rest until done.
	 */
	private drain(): void {
		if (this.draining) return;
		this.draining = true;
		try {
			while (this.queue.length > 0 && this.state === 'open' && this.doc) {
				const pending = this.doc.receive(this, this.queue.shift()!);
				if (pending) {
					pending.then(
						() => this.resume(),
						(err: unknown) => this.failDraining(err)
					);
					return;
				}
			}
		} catch (err) {
			this.failDraining(err);
			return;
		}
		this.draining = false;
	}

	private resume(): void {
		this.draining = false;
		this.drain();
	}

	private failDraining(err: unknown): void {
		this.draining = false;
		this.queue.length = 0;
		this.options.fail(err instanceof Error ? err : new Error(String(err)));
	}

	revoke(reason: string): void {
		if (this.state !== 'open') return;
		this.options.send(encodePermissionDenied(reason));
		this.state = 'denied';
		this.queue.length = 0;
		this.doc?.removeSession(this);
		this.doc = undefined;
		this.options.onRevoked?.(reason);
	}

	/** A method, not a field read, because close() may run while open() awaits. */
	private isClosed(): boolean {
		return this.state === 'closed';
	}

	close(): void {
		if (this.state === 'closed') return;
		this.state = 'closed';
		this.queue.length = 0;
		this.doc?.removeSession(this);
		this.doc = undefined;
	}
}
