import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createAccount } from '../../../src/lib/model';
import { decodeFrames, encodeFrames, MalformedMessageError } from '../../../src/lib/protocol';
import { SharedDocument } from '../../../server/relay/shared-document';
import type { DocSession } from '../../../server/relay/session';
import { USERS } from '../../helpers/fixture';
import { buildCorpus, fuzzedMessage } from '../../helpers/frame-mutations';
import { replicaContent } from '../../helpers/replica-content';

/** Runs per property; `FUZZ_RUNS=100000` for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
/** Each run on the shared document also rebuilds it twice, so fewer of those. */
const DOCUMENT_RUNS = Math.ceil(RUNS / 2);
const TIMEOUT_MS = Math.max(30_000, RUNS * 10);
const DOC = 'account:south-1';

function storedAccount(): Y.Doc {
	const doc = new Y.Doc();
	createAccount(doc, { name: 'Épicerie du Sud', territory: 'south', priceList: 'standard', warehouse: 'east', notes: 'Back door.' });
	return doc;
}

const corpus = buildCorpus(DOC, storedAccount());

describe('the /sync frame decoder', () => {
	it('gives back exactly the frames that were encoded', () => {
		const frame = fc.record({ docName: fc.string({ unit: 'grapheme', maxLength: 40 }), payload: fc.uint8Array({ maxLength: 64 }) });
		fc.assert(
			fc.property(fc.array(frame, { minLength: 1, maxLength: 8 }), (frames) => {
				expect(decodeFrames(encodeFrames(frames))).toEqual(frames);
			}),
			{ numRuns: RUNS }
		);
	}, TIMEOUT_MS);

	it('reads a mangled or random message in full or rejects it as malformed, never anything else', () => {
		fc.assert(
			fc.property(fuzzedMessage(corpus.sync), (bytes) => {
				let frames;
				try {
					frames = decodeFrames(bytes);
				} catch (err) {
					expect(err).toBeInstanceOf(MalformedMessageError);
					return;
				}
				expect(frames.length).toBeGreaterThan(0);
				// What was read is what a sender of those frames would have meant (overlong varints
				// and names that are not UTF-8 are read leniently, so the bytes may differ).
				expect(decodeFrames(encodeFrames(frames))).toEqual(frames);
			}),
			{ numRuns: RUNS }
		);
	}, TIMEOUT_MS);
});

describe("a document's message handling in the relay", () => {
	const sent: Uint8Array[] = [];
	const session: DocSession = {
		id: 1,
		user: { ...USERS.repSouth, territories: [...USERS.repSouth.territories], passwordHash: '' },
		access: { read: true, write: true },
		speaksExtensions: true,
		send: (payload) => void sent.push(payload),
		fail: () => {},
		revoke: () => {}
	};

	it('takes in a mangled message or rejects it as malformed, and what it hands the store always rebuilds the document', async () => {
		const persisted: Uint8Array[] = [];
		const shared = new SharedDocument(DOC, Y.encodeStateAsUpdate(storedAccount()), {
			onUpdate: (_doc, update) => void persisted.push(update),
			checkWrite: () => null,
			maxDocumentBytes: 1 << 20
		});
		shared.addSession(session);
		let rejected = 0;
		await fc.assert(
			fc.asyncProperty(fuzzedMessage(corpus.doc), async (payload) => {
				const before = Y.encodeStateAsUpdate(shared.doc);
				const snapshot = Y.snapshot(shared.doc);
				persisted.length = 0;
				try {
					await shared.receive(session, payload);
				} catch (err) {
					rejected++;
					expect(err).toBeInstanceOf(MalformedMessageError);
					// Yjs can take in the first structs of an update it then fails on; nothing else changes.
					if (persisted.length === 0) expect(Y.equalSnapshots(Y.snapshot(shared.doc), snapshot)).toBe(true);
				}
				// Memory and store never part: the previous state plus what was handed on is the document now.
				const rebuilt = new Y.Doc();
				Y.applyUpdate(rebuilt, before);
				for (const update of persisted) Y.applyUpdate(rebuilt, update);
				expect(replicaContent(rebuilt, DOC)).toEqual(replicaContent(shared.doc, DOC));
				rebuilt.destroy();
				// And the document still encodes and reads back the same (what a new client receives).
				const copy = new Y.Doc();
				Y.applyUpdate(copy, Y.encodeStateAsUpdate(shared.doc));
				expect(replicaContent(copy, DOC)).toEqual(replicaContent(shared.doc, DOC));
				copy.destroy();
			}),
			{ numRuns: DOCUMENT_RUNS }
		);
		// The generator reached both sides: messages taken in and messages refused.
		expect(rejected).toBeGreaterThan(DOCUMENT_RUNS / 10);
		expect(rejected).toBeLessThan(DOCUMENT_RUNS);
		shared.destroy();
	}, TIMEOUT_MS);
});
