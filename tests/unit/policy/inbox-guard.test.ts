import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addMessage, createInbox, inboxMessages, markRead, readInbox } from '../../../src/lib/model';
import { findRecord } from '../../../src/lib/model/records';
import { INBOX_REFUSALS } from '../../../server/policy/inbox-guard';
import { inspectWrite, type WriteGuardContext } from '../../../server/policy/write-guard';
import type { UserRecord } from '../../../server/store/document-store';

const rep: UserRecord = { id: 'u-rep', username: 'rep', displayName: 'Rep', role: 'rep', territories: ['north'], passwordHash: '' };
const manager: UserRecord = { ...rep, id: 'u-manager', username: 'manager', displayName: 'Manager', role: 'manager' };
const admin: UserRecord = { ...rep, id: 'u-admin', username: 'admin', displayName: 'Admin', role: 'admin', territories: [] };
const NAME = 'inbox:u-rep';
const context: WriteGuardContext = { rules: () => [], now: () => '2026-11-24T08:00:00.000Z', notify: () => {} };

/** The server's inbox with one message, and a device replica of it. */
function world() {
	const server = new Y.Doc();
	createInbox(server, { messages: [{ id: 'm1', kind: 'manager_message', title: 'Call the bakery', body: 'Before noon.', at: '2026-11-24T07:00:00.000Z', urgent: true }] });
	const device = new Y.Doc();
	Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
	/** Sends the device's changes through the write guard as `user`; the device then gets the server's answer. */
	const deliver = (from: Y.Doc, user: UserRecord): string[] => {
		const update = Y.encodeStateAsUpdate(from, Y.encodeStateVector(server));
		const origin = { kind: 'session' };
		const inspection = inspectWrite(server, NAME, user, Y.decodeUpdate(update), origin, context);
		Y.applyUpdate(server, update, origin);
		const refusals = inspection.finish();
		Y.applyUpdate(from, Y.encodeStateAsUpdate(server, Y.encodeStateVector(from)));
		return refusals;
	};
	return { server, device, deliver };
}

describe('inbox write rules', () => {
	it('lets the owner mark a message read, and nothing is put back', () => {
		const { server, device, deliver } = world();
		markRead(device, 'm1', '2026-11-24T09:00:00.000Z');
		expect(deliver(device, rep)).toEqual([]);
		expect(readInbox(server)[0]!.readAt).toBe('2026-11-24T09:00:00.000Z');
	});

	it('takes either time when two of the owner\'s devices mark the same message read at once', () => {
		const { server, device, deliver } = world();
		const phone = new Y.Doc();
		Y.applyUpdate(phone, Y.encodeStateAsUpdate(server));
		markRead(device, 'm1', '2026-11-24T09:00:00.000Z');
		markRead(phone, 'm1', '2026-11-24T09:00:01.000Z');
		expect(deliver(device, rep)).toEqual([]);
		expect(deliver(phone, rep)).toEqual([]);
		expect(readInbox(server)[0]!.readAt).not.toBeNull();
		expect(readInbox(phone)).toEqual(readInbox(server));
	});

	it('removes a message the owner forged, and the device converges on the server\'s inbox', () => {
		const { server, device, deliver } = world();
		addMessage(device, { kind: 'manager_message', title: 'You are promoted', body: 'Signed, the boss', at: '2026-11-24T08:30:00.000Z' });
		expect(deliver(device, rep)).toEqual([INBOX_REFUSALS.add]);
		expect(readInbox(server).map((m) => m.id)).toEqual(['m1']);
		expect(readInbox(device)).toEqual(readInbox(server));
	});

	it('puts back a rewritten title, an unset urgency and an un-read message', () => {
		const { server, device, deliver } = world();
		markRead(device, 'm1', '2026-11-24T09:00:00.000Z');
		expect(deliver(device, rep)).toEqual([]);
		device.transact(() => {
			const message = findRecord(inboxMessages(device), 'm1')!;
			message.set('title', 'Nothing to do');
			message.delete('urgent');
			message.set('readAt', null);
		});
		expect(deliver(device, rep)).toEqual([INBOX_REFUSALS.change]);
		expect(readInbox(server)[0]).toMatchObject({ title: 'Call the bakery', urgent: true, readAt: '2026-11-24T09:00:00.000Z' });
		expect(readInbox(device)).toEqual(readInbox(server));
	});

	it('brings back a message the owner deleted', () => {
		const { server, device, deliver } = world();
		inboxMessages(device).delete(0, 1);
		expect(deliver(device, rep)).toEqual([INBOX_REFUSALS.remove]);
		expect(readInbox(server)).toEqual([expect.objectContaining({ id: 'm1', title: 'Call the bakery', urgent: true })]);
		expect(readInbox(device)).toEqual(readInbox(server));
	});

	it('lets a manager add a message but not mark the rep\'s messages read or change them', () => {
		const { server, deliver } = world();
		const office = new Y.Doc();
		Y.applyUpdate(office, Y.encodeStateAsUpdate(server));
		addMessage(office, { kind: 'visit_planned', title: 'New visit: Bakery', body: 'Tomorrow.', at: '2026-11-24T08:00:00.000Z' });
		expect(deliver(office, manager)).toEqual([]);
		expect(readInbox(server).map((m) => m.title)).toEqual(['Call the bakery', 'New visit: Bakery']);

		markRead(office, 'm1', '2026-11-24T09:00:00.000Z');
		expect(deliver(office, manager)).toEqual([INBOX_REFUSALS.change]);
		expect(readInbox(server)[0]!.readAt).toBeNull();
	});

	it('drops a message without a title, whoever adds it', () => {
		const { server, deliver } = world();
		const office = new Y.Doc();
		Y.applyUpdate(office, Y.encodeStateAsUpdate(server));
		addMessage(office, { kind: 'notice', title: '', body: 'No subject', at: '2026-11-24T08:00:00.000Z' });
		expect(deliver(office, admin)).toEqual([INBOX_REFUSALS.malformed]);
		expect(readInbox(server)).toHaveLength(1);
	});
});
