import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { accountNotes, addContact, createAccount } from '../../../src/lib/model';
import { encodeUpdate, MalformedMessageError } from '../../../src/lib/protocol';
import type { DocSession } from '../../../server/relay/session';
import { SharedDocument } from '../../../server/relay/shared-document';
import { USERS } from '../../helpers/fixture';
import { replicaContent } from '../../helpers/replica-content';

const DOC = 'account:south-1';

function replica(base: Uint8Array, clientID: number): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	Y.applyUpdate(doc, base);
	return doc;
}

/** What a change made on `doc` adds to `before`. */
function changeOf(doc: Y.Doc, change: () => void): Uint8Array {
	const before = Y.encodeStateVector(doc);
	change();
	return Y.encodeStateAsUpdate(doc, before);
}

describe('a change held back for its dependencies', () => {
	const stored = new Y.Doc();
	createAccount(stored, { name: 'Épicerie du Sud', territory: 'south', priceList: 'standard', warehouse: 'east', notes: 'Back door.' });
	const base = Y.encodeStateAsUpdate(stored);
	const session: DocSession = {
		id: 1,
		user: { ...USERS.repSouth, territories: [...USERS.repSouth.territories], passwordHash: '' },
		access: { read: true, write: true },
		speaksExtensions: true,
		send: () => {},
		fail: () => {},
		revoke: () => {}
	};

	function setup() {
		const shared = new SharedDocument(DOC, base, { onUpdate: () => {}, checkWrite: () => null, maxDocumentBytes: 1 << 20 });
		shared.addSession(session);
		// Another device's note the relay never got, and a change placed right before it: held back.
		const other = replica(base, 2000);
		accountNotes(other).insert(0, 'Ring twice. ');
		const writer = replica(base, 1000);
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(other));
		const heldBack = changeOf(writer, () => accountNotes(writer).insert(0, 'Closed on Mondays. '));
		return { shared, heldBack, missing: Y.encodeStateAsUpdate(other) };
	}

	const encodesAsItReads = (doc: Y.Doc) => {
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		return JSON.stringify(replicaContent(copy, DOC)) === JSON.stringify(replicaContent(doc, DOC));
	};

	it('refuses other content under the same ids as malformed, and the document still reads back as it encodes', async () => {
		const { shared, heldBack } = setup();
		await shared.receive(session, encodeUpdate(heldBack));
		expect(shared.doc.store.pendingStructs).not.toBeNull();
		// The same client and clocks, other content: a contact instead of the note.
		const forger = replica(base, 1000);
		const forged = changeOf(forger, () => addContact(forger, { id: 'c1', name: 'Marie' }));
		expect(() => shared.receive(session, encodeUpdate(forged))).toThrow(MalformedMessageError);
		expect(encodesAsItReads(shared.doc)).toBe(true);
		shared.destroy();
	});

	it('takes the same change sent again, and applies it once what it needs arrives', async () => {
		const { shared, heldBack, missing } = setup();
		await shared.receive(session, encodeUpdate(heldBack));
		await shared.receive(session, encodeUpdate(heldBack));
		await shared.receive(session, encodeUpdate(missing));
		expect(accountNotes(shared.doc).toString()).toBe('Closed on Mondays. Ring twice. Back door.');
		expect(encodesAsItReads(shared.doc)).toBe(true);
		shared.destroy();
	});
});
