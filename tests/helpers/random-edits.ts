import type * as Y from 'yjs';
import {
	accountContacts,
	accountNotes,
	addContact,
	addOrderLine,
	addTask,
	orderLines,
	removeContact,
	removeOrderLine,
	removeTask,
	setAccountFields,
	setOrderFields,
	setTaskDone,
	setVisitFields,
	updateContact,
	updateOrderLine,
	visitReport,
	visitTasks
} from '../../src/lib/model';
import type { Random } from '../../server/seed/random';

/**
 * One edit a person could make to an account, a visit or a draft order, chosen by `random`:
 * fields a rep may change, text typed or deleted anywhere, list entries added,
 * changed or removed. `tag` makes every written value traceable to its writer.
 */
export function randomEdit(doc: Y.Doc, docName: string, random: Random, tag: string): void {
	const kind = docName.split(':')[0];
	if (kind === 'account') editAccount(doc, random, tag);
	else if (kind === 'visit') editVisit(doc, random, tag);
	else if (kind === 'order') editOrder(doc, random, tag);
	else throw new Error(`no random edits for ${docName}`);
}

function editAccount(doc: Y.Doc, random: Random, tag: string): void {
	const notes = accountNotes(doc);
	const contacts = accountContacts(doc).toArray();
	switch (random.weighted([['field', 3], ['type', 4], ['erase', 2], ['addContact', 1], ['editContact', 1], ['removeContact', 1]] as const)) {
		case 'field':
			setAccountFields(doc, { [random.pick(['phone', 'email', 'city', 'address'] as const)]: tag });
			return;
		case 'type':
			notes.insert(random.int(0, notes.length), `[${tag}]`);
			return;
		case 'erase':
			if (notes.length > 0) {
				const at = random.int(0, notes.length - 1);
				notes.delete(at, Math.min(random.int(1, 6), notes.length - at));
			}
			return;
		case 'addContact':
			addContact(doc, { id: `contact-${tag}`, name: tag });
			return;
		case 'editContact':
			if (contacts.length > 0) updateContact(doc, String(random.pick(contacts).get('id')), { role: tag });
			return;
		case 'removeContact':
			if (contacts.length > 0) removeContact(doc, String(random.pick(contacts).get('id')));
			return;
	}
}

function editVisit(doc: Y.Doc, random: Random, tag: string): void {
	const report = visitReport(doc);
	const tasks = visitTasks(doc).toArray();
	switch (random.weighted([['field', 2], ['type', 4], ['erase', 2], ['addTask', 1], ['tick', 1], ['removeTask', 1]] as const)) {
		case 'field':
			setVisitFields(doc, { outcome: tag });
			return;
		case 'type':
			report.insert(random.int(0, report.length), `[${tag}]`);
			return;
		case 'erase':
			if (report.length > 0) {
				const at = random.int(0, report.length - 1);
				report.delete(at, Math.min(random.int(1, 6), report.length - at));
			}
			return;
		case 'addTask':
			addTask(doc, { id: `task-${tag}`, title: tag });
			return;
		case 'tick':
			if (tasks.length > 0) setTaskDone(doc, String(random.pick(tasks).get('id')), random.chance(0.5));
			return;
		case 'removeTask':
			if (tasks.length > 0) removeTask(doc, String(random.pick(tasks).get('id')));
			return;
	}
}

function editOrder(doc: Y.Doc, random: Random, tag: string): void {
	const lines = orderLines(doc).toArray();
	switch (random.weighted([['po', 1], ['addLine', 2], ['quantity', 3], ['removeLine', 1]] as const)) {
		case 'po':
			setOrderFields(doc, { poNumber: tag });
			return;
		case 'addLine':
			addOrderLine(doc, { id: `line-${tag}`, sku: 'BEV-0001', qty: random.int(1, 12), unitPrice: 95 });
			return;
		case 'quantity':
			if (lines.length > 0) updateOrderLine(doc, String(random.pick(lines).get('id')), { qty: random.int(1, 12) });
			return;
		case 'removeLine':
			if (lines.length > 0) removeOrderLine(doc, String(random.pick(lines).get('id')));
			return;
	}
}
