/**
 * How relay instances that serve the same documents hear each other. Each
 * instance subscribes to the documents it holds in memory and publishes the
 * messages its own clients and its own server code produced; the others apply
 * them. Messages are opaque bytes here (y-websocket messages, see
 * server/relay/peer-link.ts); delivery is at most once, in publish order per
 * publisher and document, and never back to the publisher.
 */
export interface FanoutSubscriber {
	/** A message another instance published for the document. */
	receive(message: Uint8Array): void;
	/**
	 * The link to the other instances was down and is back: messages published
	 * meanwhile are lost, so whatever state they carried must be asked for again.
	 */
	missed?(): void;
}

export interface DocumentFanout {
	/** Whether a publish can reach another instance at all (a relay alone: no), so work only peers need can be skipped. */
	readonly hasPeers: boolean;
	/**
	 * Whether messages can flow to and from the other instances now: false before
	 * open, after close, and while the broker is out of reach (the fan-out keeps
	 * trying; subscribers hear `missed` once it is back).
	 */
	readonly connected: boolean;
	/** Connects; rejects with a clear error when the broker cannot be reached. */
	open(): Promise<void>;
	/**
	 * Starts delivering what other instances publish for `docName`. Resolves once
	 * the subscription is live: anything published after that reaches the
	 * subscriber. One subscriber per document; subscribing again replaces it.
	 */
	subscribe(docName: string, subscriber: FanoutSubscriber): Promise<void>;
	/** Stops delivering `docName`; nothing reaches its subscriber once this is called. */
	unsubscribe(docName: string): Promise<void>;
	/** Sends `message` to every other instance subscribed to `docName`. The bytes are copied. */
	publish(docName: string, message: Uint8Array): void;
	/** Drops every subscription and releases connections. Idempotent. */
	close(): Promise<void>;
}
