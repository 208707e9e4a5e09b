import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { detectConcurrentFieldWrites } from '../../../server/policy/field-conflicts';

/** Three replicas: the server and two devices that start from the server's state. */
function world() {
	const server = new Y.Doc();
	server.getMap('fields').set('phone', '01');
	server.getMap('fields').set('city', 'Lyon');
	const replica = () => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
		return doc;
	};
	/** What `doc` has that the server lacks: the update it would send on reconnect. */
	const outbox = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server));
	const deliver = (doc: Y.Doc) => {
		const update = outbox(doc);
		const found = detectConcurrentFieldWrites(server, update);
		Y.applyUpdate(server, update);
		return found;
	};
	return { server, a: replica(), b: replica(), deliver };
}

describe('detectConcurrentFieldWrites', () => {
	it('finds no conflict for sequential edits, however close in time', () => {
		const { server, a, b, deliver } = world();
		a.getMap('fields').set('phone', '02');
		expect(deliver(a)).toEqual([]);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
		b.getMap('fields').set('phone', '03');
		expect(deliver(b)).toEqual([]);
	});

	it('finds the conflict when two replicas set the same field without seeing each other', () => {
		const { a, b, deliver } = world();
		a.getMap('fields').set('phone', 'from-a');
		b.getMap('fields').set('phone', 'from-b');
		expect(deliver(a)).toEqual([]);
		expect(deliver(b)).toEqual([
			{ field: 'phone', current: { value: 'from-a', client: a.clientID }, incoming: { value: 'from-b', client: b.clientID } }
		]);
	});

	it('reports the last of several offline writes as the incoming value', () => {
		const { a, b, deliver } = world();
		a.getMap('fields').set('phone', 'from-a');
		b.getMap('fields').set('phone', 'b-first');
		b.getMap('fields').set('phone', 'b-second');
		deliver(a);
		expect(deliver(b).map((c) => c.incoming.value)).toEqual(['b-second']);
	});

	it('keeps different fields apart: both kept, no conflict', () => {
		const { server, a, b, deliver } = world();
		a.getMap('fields').set('phone', 'from-a');
		b.getMap('fields').set('city', 'Villeurbanne');
		deliver(a);
		expect(deliver(b)).toEqual([]);
		expect(server.getMap('fields').toJSON()).toEqual({ phone: 'from-a', city: 'Villeurbanne' });
	});

	it('sees a write that replaced a concurrent pair as having seen the current value', () => {
		const { server, a, b, deliver } = world();
		a.getMap('fields').set('phone', 'from-a');
		b.getMap('fields').set('phone', 'from-b');
		deliver(a);
		deliver(b);
		// A person resolves on replica a after syncing: a sequential write, not a new conflict.
		Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
		a.getMap('fields').set('phone', 'decided');
		expect(deliver(a)).toEqual([]);
	});

	it('ignores an update the document already has', () => {
		const { server, a } = world();
		a.getMap('fields').set('phone', 'from-a');
		const update = Y.encodeStateAsUpdate(a, Y.encodeStateVector(server));
		Y.applyUpdate(server, update);
		expect(detectConcurrentFieldWrites(server, update)).toEqual([]);
	});

	it('finds concurrent first writes of a field that did not exist', () => {
		const { a, b, deliver } = world();
		a.getMap('fields').set('email', 'a@x');
		b.getMap('fields').set('email', 'b@x');
		deliver(a);
		expect(deliver(b).map((c) => c.field)).toEqual(['email']);
	});
});
