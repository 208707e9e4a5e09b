import fc from 'fast-check';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { accountNotes, addContact, removeContact, setAccountFields } from '../../src/lib/model';
import {
	encodeAwarenessUpdate,
	encodeFrame,
	encodeFrames,
	encodeQueryAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUnsubscribe,
	encodeUpdate,
	encodeWatch
} from '../../src/lib/protocol';

/** Valid messages to start mutating from: what a real client sends about one account. */
export interface MessageCorpus {
	/** Per-document messages, as `/doc/<name>` carries them. */
	doc: Uint8Array[];
	/** Whole `/sync` messages: single frames and several frames together. */
	sync: Uint8Array[];
}

/**
 * Real messages about `docName`, built on a copy of `base` (the document as the
 * relay holds it) so that its updates apply there rather than wait for missing history.
 */
export function buildCorpus(docName: string, base: Y.Doc): MessageCorpus {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
	const updates: Uint8Array[] = [];
	copy.on('update', (update: Uint8Array) => updates.push(update));
	accountNotes(copy).insert(0, 'Closed on Mondays. ');
	setAccountFields(copy, { phone: '+33 4 00 00 00 99', city: 'Lyon' });
	const contact = addContact(copy, { id: 'fuzz-contact', name: 'Marie', role: 'owner' });
	accountNotes(copy).delete(3, 4);
	removeContact(copy, contact);
	const awareness = new awarenessProtocol.Awareness(copy);
	awareness.setLocalState({ user: { name: 'Fuzz' }, field: 'phone' });

	const doc = [
		encodeSyncStep1(copy),
		encodeSyncStep2(copy, Y.encodeStateVector(base)),
		...updates.map((u) => encodeUpdate(u)),
		encodeAwarenessUpdate(awareness, [copy.clientID]),
		encodeQueryAwareness(),
		encodeWatch()
	];
	awareness.destroy();
	copy.destroy();
	const sync = [
		...doc.map((message) => encodeFrame(docName, message)),
		encodeFrame(docName, encodeUnsubscribe()),
		encodeFrames(doc.map((payload) => ({ docName, payload })))
	];
	return { doc, sync };
}

type Mutation =
	| { kind: 'flip'; at: number; bit: number }
	| { kind: 'set'; at: number; value: number }
	| { kind: 'truncate'; at: number }
	| { kind: 'extend'; bytes: Uint8Array }
	| { kind: 'insert'; at: number; bytes: Uint8Array }
	| { kind: 'remove'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
	// Boundary values are where length prefixes and varints go wrong.
	fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff, 0x64, 0x67) }),
	fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
	fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
	fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) })
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
	const out = Uint8Array.from(bytes);
	const at = out.length === 0 ? 0 : ('at' in m ? m.at % out.length : 0);
	switch (m.kind) {
		case 'flip':
			if (out.length > 0) out[at] = out[at]! ^ (1 << m.bit);
			return out;
		case 'set':
			if (out.length > 0) out[at] = m.value;
			return out;
		case 'truncate':
			return out.subarray(0, at);
		case 'extend':
			return concat(out, m.bytes);
		case 'insert':
			return concat(out.subarray(0, at), m.bytes, out.subarray(at));
		case 'remove':
			return concat(out.subarray(0, at), out.subarray(at + m.count));
	}
}

function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/** A valid message with one to four byte-level mutations: flipped, overwritten, cut short, extended, spliced. */
export function mutatedMessage(corpus: Uint8Array[]): fc.Arbitrary<Uint8Array> {
	return fc
		.tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 4 }))
		.map(([base, mutations]) => mutations.reduce(mutate, base));
}

/** Mostly mutated valid messages, some plain random bytes, now and then an untouched valid one. */
export function fuzzedMessage(corpus: Uint8Array[]): fc.Arbitrary<Uint8Array> {
	return fc.oneof(
		{ weight: 6, arbitrary: mutatedMessage(corpus) },
		{ weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }) },
		{ weight: 1, arbitrary: fc.constantFrom(...corpus) }
	);
}
