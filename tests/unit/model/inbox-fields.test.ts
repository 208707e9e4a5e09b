import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addMessage, createInbox, inboxMessages, readInbox } from '../../../src/lib/model';
import { recordMap } from '../../../src/lib/model/records';
import { replicaOf } from './helpers';

describe('optional inbox message fields', () => {
	it('round-trips urgency, link and sender', () => {
		const doc = new Y.Doc();
		createInbox(doc);
		const id = addMessage(doc, { kind: 'account_status', title: 'Bakery is on hold', body: '…', at: '2026-11-24T08:00:00.000Z', urgent: true, link: 'account:north-1', from: 'Manager' });
		expect(readInbox(replicaOf(doc))).toEqual([
			{ id, kind: 'account_status', title: 'Bakery is on hold', body: '…', at: '2026-11-24T08:00:00.000Z', readAt: null, urgent: true, link: 'account:north-1', from: 'Manager' }
		]);
	});

	it('stores nothing for fields left out, so the message has the v1 shape', () => {
		const doc = new Y.Doc();
		addMessage(doc, { kind: 'welcome', title: 'Hi', body: '', at: '2026-11-24T08:00:00.000Z', urgent: false, link: null });
		expect([...inboxMessages(doc).get(0).keys()].sort()).toEqual(['at', 'body', 'id', 'kind', 'readAt', 'title']);
		expect(readInbox(doc)[0]).toEqual({ id: expect.any(String), kind: 'welcome', title: 'Hi', body: '', at: '2026-11-24T08:00:00.000Z', readAt: null });
	});

	it('reads a message whose optional fields another writer got wrong as if they were absent', () => {
		const doc = new Y.Doc();
		inboxMessages(doc).push([recordMap({ id: 'm1', kind: 'notice', title: 'T', body: 'B', at: '2026-11-24T08:00:00.000Z', readAt: null, urgent: 'yes', link: 42, from: false })]);
		expect(readInbox(doc)).toEqual([{ id: 'm1', kind: 'notice', title: 'T', body: 'B', at: '2026-11-24T08:00:00.000Z', readAt: null }]);
	});
});
