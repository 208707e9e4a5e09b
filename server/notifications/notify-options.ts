/** What a server-sent inbox message may say beyond its kind, title and body. */
export interface NotifyOptions {
	/** Shown as a toast when it arrives. */
	urgent?: boolean;
	/** The record the message is about: a document name (`order:<id>`) or an app path (`/orders/<id>`). */
	link?: string | null;
	/** Who wrote it, when a person did (a manager's message). */
	from?: string | null;
}

/**
 * A message as callers hand it over. `urgent` and `link` may also ride on the
 * message itself (the inventory's notices do); the options argument wins.
 */
export interface OutgoingMessage {
	kind: string;
	title: string;
	body: string;
	urgent?: boolean;
	link?: string | null;
}

/** Writes one message to a user's inbox; resolves with its id, or undefined when it could not be written. */
export type Notify = (userId: string, message: OutgoingMessage, options?: NotifyOptions) => Promise<string | undefined>;
