import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { AuthMessage, MessageType } from './message-types';

/** Encoders for one document's channel; pure, no sockets. */

function encode(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	return encode((e) => {
		encoding.writeVarUint(e, MessageType.Sync);
		syncProtocol.writeSyncStep1(e, doc);
	});
}

export function encodeSyncStep2(doc: Y.Doc, remoteStateVector?: Uint8Array): Uint8Array {
	return encode((e) => {
		encoding.writeVarUint(e, MessageType.Sync);
		syncProtocol.writeSyncStep2(e, doc, remoteStateVector);
	});
}

/**
 * Every relayed change is framed here, so it is one exact allocation rather than an
 * encoder's buffer and its copy: Sync, Update (one byte each), the length as a varuint, the update.
 */
export function encodeUpdate(update: Uint8Array): Uint8Array {
	let length = update.byteLength;
	let lengthBytes = 1;
	while (length >= 0x80 ** lengthBytes) lengthBytes++;
	const message = new Uint8Array(2 + lengthBytes + length);
	message[0] = MessageType.Sync;
	message[1] = syncProtocol.messageYjsUpdate;
	let at = 2;
	while (length >= 0x80) {
		message[at++] = (length & 0x7f) | 0x80;
		length = Math.floor(length / 0x80);
	}
	message[at++] = length;
	message.set(update, at);
	return message;
}

export function encodeAwarenessUpdate(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	return encode((e) => {
		encoding.writeVarUint(e, MessageType.Awareness);
		encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	});
}

export function encodeQueryAwareness(): Uint8Array {
	return encode((e) => encoding.writeVarUint(e, MessageType.QueryAwareness));
}

export function encodePermissionDenied(reason: string): Uint8Array {
	return encode((e) => {
		encoding.writeVarUint(e, MessageType.Auth);
		encoding.writeVarUint(e, AuthMessage.PermissionDenied);
		encoding.writeVarString(e, reason);
	});
}

/** The durable acknowledgement: a Yjs snapshot of what the store has committed. */
export function encodeDurable(snapshot: Y.Snapshot): Uint8Array {
	return encode((e) => {
		encoding.writeVarUint(e, MessageType.Durable);
		encoding.writeVarUint8Array(e, Y.encodeSnapshot(snapshot));
	});
}

export function encodeWriteRefused(reason: string): Uint8Array {
	return encode((e) => {
		encoding.writeVarUint(e, MessageType.WriteRefused);
		encoding.writeVarString(e, reason);
	});
}

export function encodeWatch(): Uint8Array {
	return encode((e) => encoding.writeVarUint(e, MessageType.Watch));
}

export function encodeAccessChanged(): Uint8Array {
	return encode((e) => encoding.writeVarUint(e, MessageType.AccessChanged));
}

export function encodeUnsubscribe(): Uint8Array {
	return encode((e) => encoding.writeVarUint(e, MessageType.Unsubscribe));
}
