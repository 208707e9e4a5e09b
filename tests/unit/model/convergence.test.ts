import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	accountNotes,
	addContact,
	addOrderLine,
	addTask,
	createAccount,
	createOrder,
	createVisit,
	readAccount,
	readOrder,
	readVisit,
	removeContact,
	setAccountFields,
	setVisitFields,
	updateContact,
	updateOrderLine,
	visitReport
} from '../../../src/lib/model';
import { exchange, replicaOf } from './helpers';

function baseAccount(): Y.Doc {
	const doc = new Y.Doc();
	createAccount(doc, {
		name: 'Bistrot du Marché',
		territory: 'lyon-centre',
		priceList: 'standard',
		warehouse: 'lyon-east',
		notes: 'Terrace in summer.',
		contacts: [{ id: 'c1', name: 'Paul Roux', role: 'Manager' }]
	});
	return doc;
}

describe('concurrent edits converge', () => {
	it('keeps both sides of edits to different account fields and contacts', () => {
		const office = baseAccount();
		const field = replicaOf(office);

		setAccountFields(office, { creditLimit: 800_000, status: 'on_hold' });
		updateContact(office, 'c1', { role: 'Owner' });
		const officeContact = addContact(office, { name: 'Office contact' });
		accountNotes(office).insert(0, 'Pays at 30 days. ');

		setAccountFields(field, { phone: '04 72 10 20 30' });
		updateContact(field, 'c1', { phone: '06 11 22 33 44' });
		const fieldContact = addContact(field, { name: 'Field contact' });
		const notes = accountNotes(field);
		notes.insert(notes.length, ' Ask for Paul.');

		exchange(office, field);

		const merged = readAccount(office);
		expect(readAccount(field)).toEqual(merged);
		expect(merged).toMatchObject({ creditLimit: 800_000, status: 'on_hold', phone: '04 72 10 20 30' });
		expect(merged.contacts.find((contact) => contact.id === 'c1')).toMatchObject({ role: 'Owner', phone: '06 11 22 33 44' });
		expect(merged.contacts.map((contact) => contact.id).sort()).toEqual(['c1', officeContact, fieldContact].sort());
		expect(merged.notes).toBe('Pays at 30 days. Terrace in summer. Ask for Paul.');
	});

	it('settles a remove against a concurrent update of the same contact to one answer on both sides', () => {
		const a = baseAccount();
		const b = replicaOf(a);
		removeContact(a, 'c1');
		updateContact(b, 'c1', { phone: '06 00 00 00 00' });
		exchange(a, b);
		expect(readAccount(a)).toEqual(readAccount(b));
		expect(readAccount(a).contacts).toEqual([]);
	});

	it('merges a rep checking in with a manager rescheduling and adding a task', () => {
		const rep = new Y.Doc();
		createVisit(rep, { accountId: 'acc-1', repId: 'u-rep1', plannedDate: '2025-03-12', sequence: 3 });
		const manager = replicaOf(rep);

		setVisitFields(rep, { status: 'checked_in', checkInAt: '2025-03-12T09:00:00.000Z' });
		visitReport(rep).insert(0, 'Owner away.');
		setVisitFields(manager, { sequence: 1 });
		const task = addTask(manager, { title: 'Bring the new price list' });

		exchange(rep, manager);
		expect(readVisit(rep)).toEqual(readVisit(manager));
		expect(readVisit(rep)).toMatchObject({ status: 'checked_in', sequence: 1, report: 'Owner away.' });
		expect(readVisit(rep).tasks).toEqual([{ id: task, title: 'Bring the new price list', done: false }]);
	});

	it('merges order lines added on two devices', () => {
		const a = new Y.Doc();
		createOrder(a, {
			accountId: 'acc-1',
			repId: 'u-rep1',
			createdAt: '2025-03-12T09:00:00.000Z',
			warehouse: 'lyon-east',
			priceList: 'standard',
			lines: [{ id: 'l1', sku: 'BEV-0001', qty: 1, unitPrice: 100 }]
		});
		const b = replicaOf(a);
		addOrderLine(a, { id: 'la', sku: 'BEV-0002', qty: 2, unitPrice: 200 });
		addOrderLine(b, { id: 'lb', sku: 'BEV-0003', qty: 3, unitPrice: 300 });
		updateOrderLine(b, 'l1', { qty: 5 });
		exchange(a, b);
		expect(readOrder(a)).toEqual(readOrder(b));
		expect(readOrder(a).lines.map((line) => line.id).sort()).toEqual(['l1', 'la', 'lb']);
		expect(readOrder(a).lines.find((line) => line.id === 'l1')?.qty).toBe(5);
	});

	it('converges for any interleaving of field, contact and notes edits on three replicas', () => {
		const edit = fc.oneof(
			fc.record({ op: fc.constant('phone' as const), value: fc.string({ maxLength: 8 }) }),
			fc.record({ op: fc.constant('credit' as const), value: fc.nat(1_000_000) }),
			fc.record({ op: fc.constant('addContact' as const), value: fc.string({ maxLength: 8 }) }),
			fc.record({ op: fc.constant('renameFirst' as const), value: fc.string({ maxLength: 8 }) }),
			fc.record({ op: fc.constant('removeFirst' as const), value: fc.constant(0) }),
			fc.record({ op: fc.constant('notes' as const), value: fc.string({ maxLength: 8 }) })
		);
		type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;
		const apply = (doc: Y.Doc, step: Edit): void => {
			const first = readAccount(doc).contacts[0];
			switch (step.op) {
				case 'phone':
					setAccountFields(doc, { phone: step.value });
					break;
				case 'credit':
					setAccountFields(doc, { creditLimit: step.value });
					break;
				case 'addContact':
					addContact(doc, { name: step.value });
					break;
				case 'renameFirst':
					if (first) updateContact(doc, first.id, { name: step.value });
					break;
				case 'removeFirst':
					if (first) removeContact(doc, first.id);
					break;
				case 'notes':
					accountNotes(doc).insert(0, step.value);
					break;
			}
		};
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.nat(2), edit), { maxLength: 30 }), (steps) => {
				const replicas = [baseAccount()];
				replicas.push(replicaOf(replicas[0]!), replicaOf(replicas[0]!));
				for (const [which, step] of steps) apply(replicas[which]!, step);
				const [a, b, c] = replicas as [Y.Doc, Y.Doc, Y.Doc];
				exchange(a, b);
				exchange(b, c);
				exchange(a, c);
				expect(readAccount(b)).toEqual(readAccount(a));
				expect(readAccount(c)).toEqual(readAccount(a));
			}),
			{ numRuns: 200 }
		);
	});
});
