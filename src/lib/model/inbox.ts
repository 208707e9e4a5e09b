import type * as Y from 'yjs';
import { initMeta } from './meta';
import { findRecord, recordMap, recordMaps, type RecordValues } from './records';
import { asNullableString, asString, newId } from './values';

export interface InboxMessage {
	id: string;
	/** What the message is about, e.g. `welcome`, `order_confirmed`, `conflict`. */
	kind: string;
	title: string;
	body: string;
	/** ISO-8601 UTC. */
	at: string;
	readAt: string | null;
	/** Worth interrupting the user for (a toast); absent means not urgent. Optional in v1. */
	urgent?: boolean;
	/** The record the message is about: a document name (`order:<id>`) or an app path (`/orders/<id>`). Optional in v1. */
	link?: string | null;
	/** Who wrote it, as the reader knows them; absent for the server's own messages. Optional in v1. */
	from?: string | null;
}

export type InboxMessageInit = Omit<InboxMessage, 'id' | 'readAt'> & { id?: string; readAt?: string | null };

export interface InboxInit {
	messages?: InboxMessageInit[];
}

export function inboxMessages(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>('messages');
}

export function createInbox(doc: Y.Doc, init: InboxInit = {}): void {
	doc.transact(() => {
		initMeta(doc, 'inbox');
		for (const message of init.messages ?? []) addMessage(doc, message);
	});
}

/** Returns the new message's id. */
export function addMessage(doc: Y.Doc, message: InboxMessageInit): string {
	const id = message.id ?? newId();
	const record: RecordValues = {
		id,
		kind: message.kind,
		title: message.title,
		body: message.body,
		at: message.at,
		readAt: message.readAt ?? null,
		// Optional fields are stored only when they say something, so older readers see the v1 shape.
		urgent: message.urgent === true ? true : undefined,
		link: message.link ?? undefined,
		from: message.from ?? undefined
	};
	doc.transact(() => {
		inboxMessages(doc).push([recordMap(record)]);
	});
	return id;
}

/** Keeps the first read time if the owner already read it on another device. */
export function markRead(doc: Y.Doc, id: string, at: string): boolean {
	const message = findRecord(inboxMessages(doc), id);
	if (!message) return false;
	if (typeof message.get('readAt') !== 'string') doc.transact(() => message.set('readAt', at));
	return true;
}

function readMessage(map: Y.Map<unknown>): InboxMessage {
	const link = asNullableString(map.get('link'));
	const from = asNullableString(map.get('from'));
	return {
		id: asString(map.get('id')),
		kind: asString(map.get('kind')),
		title: asString(map.get('title')),
		body: asString(map.get('body')),
		at: asString(map.get('at')),
		readAt: asNullableString(map.get('readAt')),
		...(map.get('urgent') === true ? { urgent: true } : {}),
		...(link !== null ? { link } : {}),
		...(from !== null ? { from } : {})
	};
}

/** Messages in the order they were added. */
export function readInbox(doc: Y.Doc): InboxMessage[] {
	return recordMaps(inboxMessages(doc)).map(readMessage);
}

export function unreadCount(doc: Y.Doc): number {
	return readInbox(doc).filter((message) => message.readAt === null).length;
}
