import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { accountContacts, accountFields, accountNotes, addContact, createAccount, listConflicts, removeContact } from '../../../src/lib/model';
import { inspectWrite, SERVER_POLICY_ORIGIN, type WriteGuardContext } from '../../../server/policy/write-guard';
import type { UserRecord } from '../../../server/store/document-store';

/**
 * Replicas of one account and the server's write guard, over a network that
 * cuts connections (dropping what was in flight), duplicates messages and
 * interleaves replicas at random. Each connection keeps its own order, as a
 * websocket does; a reconnect re-syncs by state vector, as the relay does.
 */

const DOC = 'account:prop-1';
const FIELDS = ['phone', 'email', 'city'] as const;
const VALUES = ['a', 'b', 'c'] as const;
const INITIAL = { phone: 'p0', email: 'e0', city: 'Lyon', territory: 'north' };

interface Write {
	id: Y.ID;
	field: string;
	value: unknown;
	by: string;
	/** Ids of earlier writes of the same field present on the writer's replica when it wrote. */
	seen: Y.ID[];
	/** The value the writer had on screen when it wrote. */
	displayed: unknown;
}

interface Replica {
	user: UserRecord;
	doc: Y.Doc;
	/** Its own edits, as made: what a device keeps until the server says they are durable. */
	own: Uint8Array[];
	connected: boolean;
	toServer: Uint8Array[];
	fromServer: Uint8Array[];
}

const user = (id: string, role: 'rep' | 'manager'): UserRecord => ({ id, username: id, displayName: id, role, territories: ['north'], passwordHash: '' });
const NET = Symbol('network');
const guardContext: WriteGuardContext = { rules: () => [], notify: () => undefined, now: () => '2026-11-24T10:00:00.000Z' };

type Command =
	| { type: 'set'; replica: number; field: (typeof FIELDS)[number] | 'territory'; value: (typeof VALUES)[number] }
	| { type: 'type'; replica: number; at: number; text: string }
	| { type: 'addContact'; replica: number; name: string }
	| { type: 'removeContact'; replica: number; index: number }
	| { type: 'toServer'; replica: number; duplicate: boolean }
	| { type: 'toReplica'; replica: number; duplicate: boolean }
	| { type: 'cut'; replica: number }
	| { type: 'reconnect'; replica: number };

function commandArb(replicas: number): fc.Arbitrary<Command> {
	const r = fc.nat({ max: replicas - 1 });
	return fc.oneof(
		{ weight: 4, arbitrary: fc.record({ type: fc.constant('set' as const), replica: r, field: fc.constantFrom(...FIELDS, 'territory' as const), value: fc.constantFrom(...VALUES) }) },
		{ weight: 2, arbitrary: fc.record({ type: fc.constant('type' as const), replica: r, at: fc.nat({ max: 40 }), text: fc.constantFrom('x', 'yz', '!') }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('addContact' as const), replica: r, name: fc.constantFrom('Ann', 'Bob') }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('removeContact' as const), replica: r, index: fc.nat({ max: 3 }) }) },
		{ weight: 5, arbitrary: fc.record({ type: fc.constant('toServer' as const), replica: r, duplicate: fc.boolean() }) },
		{ weight: 5, arbitrary: fc.record({ type: fc.constant('toReplica' as const), replica: r, duplicate: fc.boolean() }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('cut' as const), replica: r }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('reconnect' as const), replica: r }) }
	);
}

function simulate(replicaCount: number, commands: Command[]) {
	const server = new Y.Doc();
	createAccount(server, { name: 'Prop', ...INITIAL, priceList: 'standard', warehouse: 'east' });
	const writes: Write[] = [];
	const idsOf = (doc: Y.Doc, field: string) =>
		writes.filter((w) => w.field === field && w.id.clock < Y.getState(doc.store, w.id.client)).map((w) => w.id);

	const replicas: Replica[] = Array.from({ length: replicaCount }, (_, i) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), NET);
		const replica: Replica = { user: user(`u${i}`, i === 0 ? 'manager' : 'rep'), doc, own: [], connected: true, toServer: [], fromServer: [] };
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === NET) return;
			replica.own.push(update);
			if (replica.connected) replica.toServer.push(update);
		});
		return replica;
	});
	server.on('update', (update: Uint8Array) => {
		for (const r of replicas) if (r.connected) r.fromServer.push(update);
	});
	// What the server itself writes (corrections) counts as writes that saw what the server had.
	server.on('afterTransaction', (tr: Y.Transaction) => {
		if (tr.origin !== SERVER_POLICY_ORIGIN) return;
		const fields = accountFields(server) as unknown as Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>>;
		for (const key of tr.changed.get(fields) ?? []) {
			const item = accountFields(server)._map.get(key!);
			if (item && !item.deleted) writes.push({ id: item.id, field: key!, value: accountFields(server).get(key!), by: 'server', seen: idsOf(server, key!).filter((id) => !Y.compareIDs(id, item.id)), displayed: undefined });
		}
	});

	const toServer = (replica: Replica, update: Uint8Array) => {
		const origin = { kind: 'session', replica };
		const inspection = inspectWrite(server, DOC, replica.user, Y.decodeUpdate(update), origin, guardContext);
		Y.applyUpdate(server, update, origin);
		inspection.finish();
	};
	const resync = (replica: Replica) => {
		replica.toServer = [];
		replica.fromServer = [];
		replica.connected = true;
		// As the device does on reconnect: its waiting edits as made, then the diff.
		const durable = Y.snapshot(server);
		replica.own = replica.own.filter((u) => !Y.snapshotContainsUpdate(durable, u));
		if (replica.own.length > 0) toServer(replica, Y.mergeUpdates(replica.own));
		toServer(replica, Y.encodeStateAsUpdate(replica.doc, Y.encodeStateVector(server)));
		Y.applyUpdate(replica.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(replica.doc)), NET);
		replica.fromServer = [];
	};

	for (const command of commands) {
		const replica = replicas[command.replica]!;
		switch (command.type) {
			case 'set': {
				const seen = idsOf(replica.doc, command.field);
				const displayed = accountFields(replica.doc).get(command.field);
				accountFields(replica.doc).set(command.field, command.value);
				const item = accountFields(replica.doc)._map.get(command.field)!;
				writes.push({ id: item.id, field: command.field, value: command.value, by: replica.user.id, seen, displayed });
				break;
			}
			case 'type': {
				const notes = accountNotes(replica.doc);
				notes.insert(Math.min(command.at, notes.length), command.text);
				break;
			}
			case 'addContact':
				addContact(replica.doc, { name: command.name });
				break;
			case 'removeContact': {
				const contacts = accountContacts(replica.doc);
				const target = contacts.get(Math.min(command.index, contacts.length - 1));
				if (target) removeContact(replica.doc, String(target.get('id')));
				break;
			}
			case 'toServer': {
				const update = replica.toServer.shift();
				if (update) {
					toServer(replica, update);
					if (command.duplicate) toServer(replica, update);
				}
				break;
			}
			case 'toReplica': {
				const update = replica.fromServer.shift();
				if (update) {
					Y.applyUpdate(replica.doc, update, NET);
					if (command.duplicate) Y.applyUpdate(replica.doc, update, NET);
				}
				break;
			}
			case 'cut':
				replica.connected = false;
				replica.toServer = [];
				replica.fromServer = [];
				break;
			case 'reconnect':
				if (!replica.connected) resync(replica);
				break;
		}
	}
	// Everyone comes back; the corrections a resync provokes travel too.
	for (let round = 0; round < 3; round++) for (const r of replicas) resync(r);
	return { server, replicas, writes };
}

describe('merge, conflict detection and protected fields under a faulty network', () => {
	it('converges, loses no edit silently, and detects exactly the real conflicts', () => {
		const scenario = fc.integer({ min: 3, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.array(commandArb(n), { minLength: 5, maxLength: 60 })));
		fc.assert(
			fc.property(scenario, ([n, commands]) => {
				const { server, replicas, writes } = simulate(n, commands);
				const state = (doc: Y.Doc) => ({
					fields: accountFields(doc).toJSON(),
					notes: accountNotes(doc).toString(),
					contacts: accountContacts(doc).toJSON(),
					conflicts: doc.getMap('conflicts').toJSON()
				});
				// 1. Every replica equals the server.
				for (const r of replicas) expect(state(r.doc)).toEqual(state(server));

				const conflicts = listConflicts(server);
				const saw = (later: Write, earlier: Write) => later.seen.some((id) => Y.compareIDs(id, earlier.id));
				for (const field of FIELDS) {
					const ofField = writes.filter((w) => w.field === field);
					const final = accountFields(server).get(field);
					const recorded = conflicts.filter((c) => c.field === field);
					const recordedValues = new Set(recorded.flatMap((c) => c.values.map((v) => v.value)));
					// 2. No write vanishes without trace: it is the final value, someone replaced it
					//    having it on screen, or it is up for review.
					for (const w of ofField) {
						const replacedKnowingly = ofField.some((other) => other !== w && (saw(other, w) || other.displayed === w.value));
						expect(w.value === final || replacedKnowingly || recordedValues.has(w.value as string)).toBe(true);
					}
					// 3. Every real conflict is detected: two last writes with different values, neither
					//    writer having had the other's value on screen.
					const heads = ofField.filter((w) => !ofField.some((other) => other !== w && saw(other, w)));
					const independent = heads.some((a) =>
						heads.some((b) => a.value !== b.value && a.displayed !== b.value && b.displayed !== a.value)
					);
					if (independent) expect(recorded.length).toBeGreaterThan(0);
					// 4. Every detected conflict is real: two writes of the field that did not see each other,
					//    and every value shown was written by the one named.
					if (recorded.length > 0) {
						expect(ofField.some((a) => ofField.some((b) => a !== b && !saw(a, b) && !saw(b, a)))).toBe(true);
						for (const v of recorded.flatMap((c) => c.values)) {
							const authors = ofField.filter((w) => w.value === v.value).map((w) => w.by);
							expect(authors.includes(v.by) || (v.value === INITIAL[field] && v.by === 'unknown')).toBe(true);
						}
					}
				}
				// 5. Protected: the territory is the initial one or one a manager set.
				const territory = accountFields(server).get('territory');
				const managerValues = writes.filter((w) => w.field === 'territory' && w.by === replicas[0]!.user.id).map((w) => w.value);
				expect([INITIAL.territory, ...managerValues]).toContain(territory);
			}),
			{ numRuns: Number(process.env.PROPERTY_RUNS ?? 300) }
		);
	});
});
