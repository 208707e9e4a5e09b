import type { DocAccess } from '../auth/permissions';
import type { UserRecord } from '../store/document-store';

/**
 * One subscriber of one document: a `/doc/<name>` socket, or one document on a
 * `/sync` socket. The shared document talks to sessions only through this, so it
 * never sees a websocket.
 */
export interface DocSession {
	readonly id: number;
	readonly user: UserRecord;
	access: DocAccess;
	/** Speaks Outrider's additions (durable acks, write-refused); the stock client does not. */
	readonly speaksExtensions: boolean;
	send(payload: Uint8Array): void;
	/** The session sent something that breaks the protocol: its connection is closed. */
	fail(error: Error): void;
	/** The user may no longer read the document: tell them why and stop sending it. */
	revoke(reason: string): void;
}

let nextSessionId = 1;
export function newSessionId(): number {
	return nextSessionId++;
}

/** Where a change to a shared document came from (so it is neither echoed nor stored twice). */
export type UpdateOrigin =
	| { kind: 'session'; session: DocSession }
	| { kind: 'store' }
	| { kind: 'server'; reason: string }
	/** Another relay instance: it stores and publishes the change; here it is only relayed to sessions. */
	| { kind: 'peer' };

export const PEER_ORIGIN: UpdateOrigin = { kind: 'peer' };

export function isPeerOrigin(origin: unknown): boolean {
	const o = origin as UpdateOrigin | null | undefined;
	return !!o && typeof o === 'object' && o.kind === 'peer';
}

export function sessionOf(origin: unknown): DocSession | undefined {
	const o = origin as UpdateOrigin | null | undefined;
	return o && typeof o === 'object' && o.kind === 'session' ? o.session : undefined;
}
