import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { PendingDocument, SyncStatus } from '../../../src/lib/sync/engine-types';
import { createInbox, createVisit, readInbox, readMeta, readVisit, type DocKind } from '../../../src/lib/model';
import { applyRouteWrites } from '../../../src/lib/planning/apply-route';
import { cancelVisit, changeVisit, planVisit } from '../../../src/lib/planning/plan-visits';

/** A device's documents with the engine's open/release/create shape, in memory. */
class MemoryDevice {
	readonly docs = new Map<string, Y.Doc>();
	private next = 0;

	async open(name: string): Promise<Y.Doc> {
		let doc = this.docs.get(name);
		if (!doc) {
			doc = new Y.Doc();
			this.docs.set(name, doc);
		}
		return doc;
	}
	release(): void {}
	async create(kind: DocKind, init: (doc: Y.Doc) => void): Promise<string> {
		const name = `${kind}:new-${++this.next}`;
		const doc = await this.open(name);
		doc.transact(() => init(doc));
		return name;
	}
}

const manager = { displayName: 'Marie Manager' };

describe('a manager planning visits', () => {
	it('creates a visit for a rep and tells them in their inbox, creating the inbox when the device has none', async () => {
		const device = new MemoryDevice();
		const name = await planVisit(device, manager, {
			accountId: 'acc-1',
			accountTitle: 'Café des Pentes',
			repId: 'u-rep',
			day: '2026-11-25',
			sequence: 4,
			appointmentAt: '2026-11-25T09:30:00.000Z',
			priority: 'high'
		});
		expect(readVisit(device.docs.get(name)!)).toMatchObject({
			accountId: 'acc-1',
			repId: 'u-rep',
			plannedDate: '2026-11-25',
			sequence: 4,
			status: 'planned',
			appointmentAt: '2026-11-25T09:30:00.000Z',
			priority: 'high'
		});
		const inbox = device.docs.get('inbox:u-rep')!;
		expect(readMeta(inbox)?.kind).toBe('inbox');
		expect(readInbox(inbox)).toEqual([expect.objectContaining({ kind: 'visit_planned', title: 'New visit: Café des Pentes', readAt: null })]);
	});

	it('online, sends the message only once the server has stored the new visit', async () => {
		const device = new MemoryDevice();
		let waiting: PendingDocument[] = [];
		const listeners = new Set<(status: SyncStatus) => void>();
		const status = { connection: 'online' } as SyncStatus;
		const engine = {
			open: (name: string) => device.open(name),
			release: () => undefined,
			create: async (kind: DocKind, init: (doc: Y.Doc) => void) => {
				const name = await device.create(kind, init);
				waiting = [{ name, kind, title: name, since: '', edits: 1, changed: ['accountId'] }];
				return name;
			},
			status,
			pending: () => waiting,
			onStatus: (listener: (status: SyncStatus) => void) => {
				listeners.add(listener);
				listener(status);
				return () => listeners.delete(listener);
			}
		};
		const planned = planVisit(engine, manager, { accountId: 'a', accountTitle: 'A', repId: 'u-rep', day: '2026-11-25', sequence: 1, appointmentAt: null, priority: 'normal' });
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(device.docs.has('inbox:u-rep')).toBe(false);
		waiting = [];
		for (const listener of listeners) listener(status);
		await planned;
		expect(readInbox(device.docs.get('inbox:u-rep')!)).toHaveLength(1);
		expect(listeners.size).toBe(0);
	});

	it('adds to an inbox that already has messages, which merges with the server copy', async () => {
		const device = new MemoryDevice();
		const server = new Y.Doc();
		createInbox(server, { messages: [{ id: 'welcome', kind: 'welcome', title: 'Welcome', body: '', at: '2026-11-24T06:00:00.000Z' }] });
		await planVisit(device, manager, { accountId: 'a', accountTitle: 'A', repId: 'u-rep', day: '2026-11-25', sequence: 1, appointmentAt: null, priority: 'normal' });
		const inbox = device.docs.get('inbox:u-rep')!;
		Y.applyUpdate(server, Y.encodeStateAsUpdate(inbox));
		Y.applyUpdate(inbox, Y.encodeStateAsUpdate(server));
		expect(readInbox(server).map((m) => m.kind).sort()).toEqual(['visit_planned', 'welcome']);
		expect(readInbox(inbox)).toEqual(readInbox(server));
	});

	it('reschedules a visit (forgetting its old planned time) and tells the rep', async () => {
		const device = new MemoryDevice();
		const visit = await device.open('visit:v1');
		createVisit(visit, { accountId: 'a', repId: 'u-rep', plannedDate: '2026-11-24', sequence: 2, plannedAt: '2026-11-24T09:00:00.000Z' });
		await changeVisit(device, manager, { name: 'visit:v1', accountTitle: 'Tabac', day: '2026-11-26', sequence: 7 });
		expect(readVisit(visit)).toMatchObject({ plannedDate: '2026-11-26', sequence: 7, plannedAt: null });
		expect(readInbox(device.docs.get('inbox:u-rep')!).map((m) => [m.kind, m.title])).toEqual([['visit_rescheduled', 'Visit moved: Tabac']]);
	});

	it('reassigns a visit and tells both reps', async () => {
		const device = new MemoryDevice();
		const visit = await device.open('visit:v1');
		createVisit(visit, { accountId: 'a', repId: 'u-old', plannedDate: '2026-11-24', sequence: 2 });
		await changeVisit(device, manager, { name: 'visit:v1', accountTitle: 'Tabac', repId: 'u-new', sequence: 5 });
		expect(readVisit(visit)).toMatchObject({ repId: 'u-new', sequence: 5 });
		expect(readInbox(device.docs.get('inbox:u-new')!).map((m) => m.kind)).toEqual(['visit_reassigned']);
		expect(readInbox(device.docs.get('inbox:u-old')!).map((m) => m.kind)).toEqual(['visit_removed']);
	});

	it('sends nothing when only the priority changes, and cancels only a visit still planned', async () => {
		const device = new MemoryDevice();
		const visit = await device.open('visit:v1');
		createVisit(visit, { accountId: 'a', repId: 'u-rep', plannedDate: '2026-11-24', sequence: 1 });
		await changeVisit(device, manager, { name: 'visit:v1', accountTitle: 'Tabac', priority: 'high' });
		expect(readVisit(visit).priority).toBe('high');
		expect(device.docs.has('inbox:u-rep')).toBe(false);

		await cancelVisit(device, manager, 'visit:v1', 'Tabac');
		expect(readVisit(visit).status).toBe('cancelled');
		expect(readInbox(device.docs.get('inbox:u-rep')!).map((m) => m.kind)).toEqual(['visit_removed']);
		await cancelVisit(device, manager, 'visit:v1', 'Tabac');
		expect(readInbox(device.docs.get('inbox:u-rep')!)).toHaveLength(1);
	});

	it("writes a route's order into the visits, counting only the ones that changed", async () => {
		const device = new MemoryDevice();
		for (const id of ['a', 'b']) createVisit(await device.open(`visit:${id}`), { accountId: id, repId: 'r', plannedDate: '2026-11-24', sequence: 1 });
		const changed = await applyRouteWrites(device, [
			{ name: 'visit:a', fields: { sequence: 2, plannedAt: '2026-11-24T10:00:00.000Z' } },
			{ name: 'visit:b', fields: { sequence: 1 } }
		]);
		expect(changed).toBe(1);
		expect(readVisit(device.docs.get('visit:a')!)).toMatchObject({ sequence: 2, plannedAt: '2026-11-24T10:00:00.000Z' });
	});
});
