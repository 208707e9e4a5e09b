/**
 * Message types of one document's channel. 0–3 are the y-websocket protocol
 * exactly (y-protocols sync, awareness, auth, query-awareness), so the stock
 * client works on `/doc/<name>`. 100+ are Outrider's additions; the relay only
 * sends them to clients that speak them (`/sync`, or `/doc/<name>?acks=1`).
 */
export const MessageType = {
	Sync: 0,
	Awareness: 1,
	Auth: 2,
	QueryAwareness: 3,
	/** server → client: a Yjs snapshot (state vector + delete set) of what is now durable. */
	Durable: 100,
	/** server → client: an update of this client was not applied, with the reason. */
	WriteRefused: 101,
	/** client → server (`/sync` only): stop receiving this document. */
	Unsubscribe: 102,
	/**
	 * client → server (`/sync` only), instead of sync step 1 on reconnect: "I already
	 * have this document as of the manifest; just send me what changes from now on".
	 * The server then skips its own step 1, awareness and durable ack.
	 */
	Watch: 103,
	/**
	 * Between relay instances only (never to or from a client): who may read this document
	 * changed (its account moved to another territory); each instance checks its sessions again.
	 */
	AccessChanged: 104
} as const;

export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of MessageType.Auth, as y-protocols/auth defines them. */
export const AuthMessage = {
	PermissionDenied: 0
} as const;
