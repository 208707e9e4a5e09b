import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MalformedMessageError } from './errors';

/**
 * `/sync` framing: one websocket message carries one or more frames, each
 * `varString(docName) · varUint8Array(payload)`, where payload is exactly the
 * per-document message `/doc/<name>` would carry. Concatenating frames is how a
 * device subscribes to hundreds of documents in one message.
 */
export interface DocFrame {
	docName: string;
	payload: Uint8Array;
}

export function writeFrame(encoder: encoding.Encoder, docName: string, payload: Uint8Array): void {
	encoding.writeVarString(encoder, docName);
	encoding.writeVarUint8Array(encoder, payload);
}

export function encodeFrames(frames: Iterable<DocFrame>): Uint8Array {
	const encoder = encoding.createEncoder();
	for (const frame of frames) writeFrame(encoder, frame.docName, frame.payload);
	return encoding.toUint8Array(encoder);
}

export function encodeFrame(docName: string, payload: Uint8Array): Uint8Array {
	return encodeFrames([{ docName, payload }]);
}

/** Decodes every frame of one websocket message or throws MalformedMessageError. */
export function decodeFrames(data: Uint8Array, maxFrames = 10_000): DocFrame[] {
	const decoder = decoding.createDecoder(data);
	const frames: DocFrame[] = [];
	try {
		while (decoding.hasContent(decoder)) {
			if (frames.length >= maxFrames) throw new MalformedMessageError(`more than ${maxFrames} frames in one message`);
			const docName = decoding.readVarString(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			frames.push({ docName, payload });
		}
	} catch (err) {
		if (err instanceof MalformedMessageError) throw err;
		throw new MalformedMessageError('frame does not decode', { cause: err });
	}
	if (frames.length === 0) throw new MalformedMessageError('empty message');
	return frames;
}
