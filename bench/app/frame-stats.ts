/**
 * What the `/sync` messages of a window were made of: each websocket message
 * is split into its per-document frames and every frame classified by the
 * per-document message it carries, so a byte count says which part of the
 * protocol it paid for.
 */
import * as encoding from 'lib0/encoding';
import { decodeFrames, MessageType } from '../../src/lib/protocol/index';

export type FrameKind =
	| 'sync step 1'
	| 'sync step 2 (empty)'
	| 'sync step 2'
	| 'update'
	| 'durable ack'
	| 'write refused'
	| 'awareness'
	| 'permission denied'
	| 'unsubscribe'
	| 'other';

export interface FrameRow {
	direction: 'sent' | 'received';
	kind: FrameKind;
	/** Frames for documents the window was about (e.g. edited ones), and for all the others. */
	touched: { frames: number; bytes: number };
	untouched: { frames: number; bytes: number };
}

export interface FrameStats {
	rows: FrameRow[];
	/** Bytes spent on document names (the frame header), both directions. */
	nameBytes: number;
	/** Distinct documents that appeared in a frame. */
	documents: number;
	/** Messages that did not decode as `/sync` frames (counted whole under "other"). */
	undecoded: number;
	/** Every frame of a few chosen documents, in order: what one document's exchange looked like. */
	samples: Array<{ docName: string; frames: Array<{ direction: 'sent' | 'received'; kind: FrameKind; bytes: number }> }>;
}

/** `touched`: names of the documents that actually changed; everything else is overhead of the window. */
export function frameStats(
	messages: Array<{ direction: 'sent' | 'received'; payload: Uint8Array }>,
	touched: ReadonlySet<string>,
	sampleDocs: readonly string[] = []
): FrameStats {
	const samples = sampleDocs.map((docName) => ({ docName, frames: [] as FrameStats['samples'][number]['frames'] }));
	const rows = new Map<string, FrameRow>();
	const docs = new Set<string>();
	let nameBytes = 0;
	let undecoded = 0;
	const add = (direction: 'sent' | 'received', kind: FrameKind, docName: string | null, bytes: number) => {
		const key = `${direction}:${kind}`;
		const row = rows.get(key) ?? { direction, kind, touched: { frames: 0, bytes: 0 }, untouched: { frames: 0, bytes: 0 } };
		const side = docName !== null && touched.has(docName) ? row.touched : row.untouched;
		side.frames++;
		side.bytes += bytes;
		rows.set(key, row);
	};
	for (const { direction, payload } of messages) {
		let frames;
		try {
			frames = decodeFrames(payload);
		} catch {
			undecoded++;
			add(direction, 'other', null, payload.byteLength);
			continue;
		}
		for (const { docName, payload: body } of frames) {
			docs.add(docName);
			const header = varStringLength(docName) + varUintLength(body.byteLength);
			nameBytes += header;
			const kind = classify(body);
			add(direction, kind, docName, header + body.byteLength);
			samples.find((x) => x.docName === docName)?.frames.push({ direction, kind, bytes: header + body.byteLength });
		}
	}
	const order: FrameKind[] = ['sync step 1', 'sync step 2 (empty)', 'sync step 2', 'update', 'durable ack', 'write refused', 'awareness', 'permission denied', 'unsubscribe', 'other'];
	const sorted = [...rows.values()].sort((a, b) => (a.direction === b.direction ? order.indexOf(a.kind) - order.indexOf(b.kind) : a.direction === 'sent' ? -1 : 1));
	return { rows: sorted, nameBytes, documents: docs.size, undecoded, samples };
}

function classify(body: Uint8Array): FrameKind {
	switch (body[0]) {
		case MessageType.Sync:
			if (body[1] === 0) return 'sync step 1';
			// Step 2 and update carry varUint8Array(update); an update with no structs and no deletions is [0, 0].
			if (body[1] === 1) return body.byteLength <= 5 && body[2] === 2 && body[3] === 0 && body[4] === 0 ? 'sync step 2 (empty)' : 'sync step 2';
			if (body[1] === 2) return 'update';
			return 'other';
		case MessageType.Durable:
			return 'durable ack';
		case MessageType.WriteRefused:
			return 'write refused';
		case MessageType.Awareness:
			return 'awareness';
		case MessageType.Auth:
			return 'permission denied';
		case MessageType.Unsubscribe:
			return 'unsubscribe';
		default:
			return 'other';
	}
}

function varStringLength(text: string): number {
	const bytes = new TextEncoder().encode(text).byteLength;
	return varUintLength(bytes) + bytes;
}

function varUintLength(n: number): number {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, n);
	return encoding.length(e);
}
