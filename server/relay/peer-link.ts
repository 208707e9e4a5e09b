import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { decodeDurableSnapshot, encodeAwarenessUpdate, encodeDurable, encodeQueryAwareness, encodeSyncStep1, encodeSyncStep2, MessageType } from '../../src/lib/protocol';
import type { DocumentFanout, FanoutSubscriber } from '../fanout/document-fanout';
import type { Logger } from '../log';
import type { SharedDocument } from './shared-document';

/** Messages kept while the document loads; past this the catch-up on attach has to do. */
const MAX_EARLY_MESSAGES = 1000;

/**
 * One document's link to its copies on other relay instances. Peers speak the
 * y-websocket messages among themselves: updates and awareness as sessions
 * see them, sync step 1 to ask for what a peer holds (answered with step 2 and
 * what the peer knows is stored), query-awareness to ask who is here, and the
 * durable snapshot to say what was stored. What a peer sends is applied as a
 * peer change: relayed to this instance's sessions, neither stored nor sent on.
 * A peer that committed a territory move says access changed: this instance
 * checks its own sessions of the document again.
 */
export class PeerLink implements FanoutSubscriber {
	private doc: SharedDocument | undefined;
	private early: Uint8Array[] = [];
	private closed = false;

	constructor(
		private readonly fanout: DocumentFanout,
		readonly docName: string,
		private readonly log: Logger,
		private readonly onAccessChanged: (docName: string) => void
	) {}

	/** Subscribes; call before reading the store, so nothing published meanwhile is missed. */
	open(): Promise<void> {
		return this.fanout.subscribe(this.docName, this);
	}

	/** The document is loaded: apply what came meanwhile, then ask peers for what the store lacks. */
	attach(doc: SharedDocument): void {
		this.doc = doc;
		const early = this.early;
		this.early = [];
		for (const message of early) this.handle(doc, message);
		this.askPeers(doc);
	}

	receive(message: Uint8Array): void {
		if (this.closed) return;
		if (this.doc) this.handle(this.doc, message);
		else if (this.early.length < MAX_EARLY_MESSAGES) this.early.push(message);
	}

	missed(): void {
		if (!this.doc || this.closed) return;
		this.askPeers(this.doc);
		// A peer may have moved the document to another territory meanwhile; its word on that is lost too.
		this.onAccessChanged(this.docName);
	}

	close(): Promise<void> {
		this.closed = true;
		this.doc = undefined;
		this.early = [];
		return this.fanout.unsubscribe(this.docName);
	}

	private askPeers(doc: SharedDocument): void {
		this.fanout.publish(this.docName, encodeSyncStep1(doc.doc));
		this.fanout.publish(this.docName, encodeQueryAwareness());
	}

	private handle(doc: SharedDocument, message: Uint8Array): void {
		if (doc.destroyed) return;
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MessageType.Sync:
					return this.handleSync(doc, decoder);
				case MessageType.Awareness:
					return doc.applyPeerAwareness(decoding.readVarUint8Array(decoder));
				case MessageType.QueryAwareness: {
					const present = doc.localPresence();
					if (present.length > 0) this.fanout.publish(this.docName, encodeAwarenessUpdate(doc.awareness, present));
					return;
				}
				case MessageType.Durable:
					return doc.markStoredByPeer(decodeDurableSnapshot(decoding.readVarUint8Array(decoder)));
				case MessageType.AccessChanged:
					return this.onAccessChanged(this.docName);
				default:
					throw new Error(`unknown message type ${type}`);
			}
		} catch (err) {
			// A peer runs the same code; a message it sent that does not decode is a bug, not an attack.
			this.log.error({ err, doc: this.docName }, 'message from another instance does not decode; ignored');
		}
	}

	private handleSync(doc: SharedDocument, decoder: decoding.Decoder): void {
		const syncType = decoding.readVarUint(decoder);
		const body = decoding.readVarUint8Array(decoder);
		if (syncType === syncProtocol.messageYjsSyncStep1) {
			this.fanout.publish(this.docName, encodeSyncStep2(doc.doc, body));
			this.fanout.publish(this.docName, encodeDurable(doc.durableSnapshot()));
			return;
		}
		if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
			throw new Error(`unknown sync message type ${syncType}`);
		}
		// Validate before it reaches the live document, as for a session's update.
		Y.decodeUpdate(body);
		doc.applyPeerUpdate(body);
	}
}
