import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import { encodeUpdate, MessageType } from '../../../src/lib/protocol';

/** The same message built with y-protocols' own encoder, as every stock client reads it. */
function referenceUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

describe('encodeUpdate', () => {
	// Each length around a boundary of the varuint's byte count (1, 2, 3 and 4 bytes).
	it.each([0, 1, 127, 128, 129, 16_383, 16_384, 16_385, 2_097_151, 2_097_152, 3_000_000])('frames an update of %i bytes as y-protocols does', (length) => {
		const update = new Uint8Array(length).map((_, i) => (i * 7) % 251);
		const ours = encodeUpdate(update);
		const reference = referenceUpdateMessage(update);
		expect(ours.byteLength).toBe(reference.byteLength);
		// Compared as buffers: element-wise equality of megabytes takes seconds.
		expect(Buffer.compare(ours, reference)).toBe(0);
	});
});
