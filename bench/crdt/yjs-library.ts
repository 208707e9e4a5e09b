/** Yjs through our own model helpers (src/lib/model), as the app and the relay write documents. */
import * as Y from 'yjs';
import {
	accountContacts,
	accountNotes,
	addContact,
	addOrderLine,
	addTask,
	createAccount,
	createOrder,
	createVisit,
	metaMap,
	orderAllocation,
	orderFields,
	orderLines,
	setAccountFields,
	setOrderFields,
	setTaskDone,
	setVisitFields,
	updateContact,
	updateOrderLine,
	visitFields,
	visitReport,
	visitTasks,
	writeAllocation,
	type AccountInit,
	type ContactInit,
	type OrderInit,
	type OrderLineInit,
	type VisitInit
} from '../../src/lib/model/index';
import { applyTextValue } from '../../src/lib/ui/text-diff';
import type { DocContent, Kind, RecordValues } from './field-day';
import { kindOf, type CrdtLibrary, type PlainDoc } from './library';

function createDoc(content: DocContent): Y.Doc {
	const doc = new Y.Doc();
	switch (content.kind) {
		case 'account':
			createAccount(doc, { ...content.fields, notes: content.text ?? '', contacts: content.records as ContactInit[] } as AccountInit);
			break;
		case 'visit':
			createVisit(doc, {
				...content.fields,
				report: content.text ?? '',
				tasks: content.records.map((t) => ({ id: String(t.id), title: String(t.title), done: t.done === true }))
			} as VisitInit);
			break;
		case 'order':
			doc.transact(() => {
				createOrder(doc, { ...content.fields, lines: content.records as OrderLineInit[] } as OrderInit);
				for (const [lineId, allocation] of Object.entries(content.allocation)) writeAllocation(doc, lineId, allocation);
			});
			break;
	}
	return doc;
}

function textOf(doc: Y.Doc, kind: Kind): Y.Text | null {
	if (kind === 'account') return accountNotes(doc);
	if (kind === 'visit') return visitReport(doc);
	return null;
}

function setFields(doc: Y.Doc, kind: Kind, values: RecordValues): void {
	if (kind === 'account') setAccountFields(doc, values);
	else if (kind === 'visit') setVisitFields(doc, values);
	else setOrderFields(doc, values);
}

export const yjsLibrary: CrdtLibrary<Y.Doc, Uint8Array> = {
	name: 'Yjs',
	create: createDoc,
	save: (doc) => Y.encodeStateAsUpdate(doc),
	load(bytes) {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, bytes);
		return doc;
	},
	version: (doc) => Y.encodeStateVector(doc),
	edit(doc, edit) {
		const kind = kindOf(edit.doc);
		switch (edit.kind) {
			case 'set':
				setFields(doc, kind, edit.values);
				break;
			case 'type': {
				// The text area writes the whole new value on every input event; the helper turns it into one splice.
				const text = textOf(doc, kind);
				if (!text) throw new Error(`${edit.doc} has no text`);
				for (const ch of edit.chars) applyTextValue(text, text.toString() + ch);
				break;
			}
			case 'add':
				if (kind === 'account') addContact(doc, edit.record as unknown as ContactInit);
				else if (kind === 'visit') addTask(doc, { id: String(edit.record.id), title: String(edit.record.title), done: edit.record.done === true });
				else addOrderLine(doc, edit.record as unknown as OrderLineInit);
				break;
			case 'update':
				if (kind === 'account') updateContact(doc, edit.id, edit.values);
				else if (kind === 'visit') setTaskDone(doc, edit.id, edit.values.done === true);
				else updateOrderLine(doc, edit.id, edit.values);
				break;
		}
		return doc;
	},
	changesSince: (doc, since) => Y.encodeStateAsUpdate(doc, since),
	applyChanges(doc, changes) {
		Y.applyUpdate(doc, changes);
		return doc;
	},
	read(doc, kind): PlainDoc {
		const list = kind === 'account' ? accountContacts(doc) : kind === 'visit' ? visitTasks(doc) : orderLines(doc);
		const fields = kind === 'account' ? doc.getMap('fields') : kind === 'visit' ? visitFields(doc) : orderFields(doc);
		return {
			meta: metaMap(doc).toJSON(),
			fields: fields.toJSON(),
			text: textOf(doc, kind)?.toString() ?? null,
			records: list.toJSON() as Array<Record<string, unknown>>,
			allocation: kind === 'order' ? orderAllocation(doc).toJSON() : {}
		};
	},
	free: (doc) => doc.destroy()
};
