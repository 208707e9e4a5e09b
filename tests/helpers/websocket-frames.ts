/**
 * Splits a raw TCP byte stream of one websocket direction into its HTTP head and
 * then whole frames (RFC 6455 §5.2), without unmasking or inflating anything, so
 * a proxy can hold back, repeat or cut frames without corrupting the stream.
 */
export class WebSocketFrameSplitter {
	private buffered: Buffer = Buffer.alloc(0);
	private inHead = true;
	/** A head that was not a websocket upgrade: the rest is passed through as it comes. */
	private raw = false;

	/** Complete units in stream order: the head first, then one entry per frame. */
	push(chunk: Buffer): Buffer[] {
		if (this.raw) return [chunk];
		this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
		const units: Buffer[] = [];
		if (this.inHead) {
			const end = this.buffered.indexOf('\r\n\r\n');
			if (end < 0) return units;
			const head = this.buffered.subarray(0, end + 4);
			units.push(head);
			this.buffered = this.buffered.subarray(end + 4);
			this.inHead = false;
			const text = head.toString('latin1');
			const refused = text.startsWith('HTTP/') && !text.startsWith('HTTP/1.1 101');
			if (refused || !/^upgrade:\s*websocket/im.test(text)) {
				this.raw = true;
				if (this.buffered.length > 0) units.push(this.buffered);
				this.buffered = Buffer.alloc(0);
				return units;
			}
		}
		for (;;) {
			const size = frameSize(this.buffered);
			if (size === undefined || size > this.buffered.length) break;
			units.push(this.buffered.subarray(0, size));
			this.buffered = this.buffered.subarray(size);
		}
		return units;
	}
}

/** Whole length of the frame at the start of `bytes`, or undefined while its header is incomplete. */
function frameSize(bytes: Buffer): number | undefined {
	if (bytes.length < 2) return undefined;
	const masked = (bytes[1]! & 0x80) !== 0;
	let length = bytes[1]! & 0x7f;
	let header = 2;
	if (length === 126) {
		if (bytes.length < 4) return undefined;
		length = bytes.readUInt16BE(2);
		header = 4;
	} else if (length === 127) {
		if (bytes.length < 10) return undefined;
		length = Number(bytes.readBigUInt64BE(2));
		header = 10;
	}
	return header + (masked ? 4 : 0) + length;
}

/**
 * Whether a frame is a whole message of its own (final, text or binary, not
 * compressed): delivering it twice is a duplicated message, not a broken stream.
 * Compressed frames are left alone because a peer that keeps a compression
 * context between messages could not inflate the second copy.
 */
export function isWholeUncompressedMessage(frame: Buffer): boolean {
	if (frame.length < 2) return false;
	const first = frame[0]!;
	const final = (first & 0x80) !== 0;
	const compressed = (first & 0x40) !== 0;
	const opcode = first & 0x0f;
	return final && !compressed && (opcode === 0x1 || opcode === 0x2);
}
