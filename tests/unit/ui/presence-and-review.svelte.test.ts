import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { afterEach, describe, expect, it } from 'vitest';
import { keepConflictValue } from '../../../src/lib/conflicts/keep-value';
import { clearAttention, createAccount, recordConflict, setAttention, type DocKind } from '../../../src/lib/model';
import { DeviceReviewState } from '../../../src/lib/state/device-review.svelte';
import { PresenceState } from '../../../src/lib/state/presence-state.svelte';
import type { DeviceDocEntry } from '../../../src/lib/sync/engine-types';

const cleanup: (() => void)[] = [];
afterEach(() => {
	for (const step of cleanup.splice(0).reverse()) step();
});

/** One device's awareness of a shared document. */
function device(): Awareness {
	const awareness = new Awareness(new Y.Doc());
	cleanup.push(() => awareness.destroy());
	return awareness;
}

/**
 * A relay between awareness instances from now on: like the real one it forwards
 * changes as they happen, and a device connected later has not heard earlier ones.
 */
function relay(...devices: Awareness[]): void {
	for (const from of devices) {
		const forward = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			if (origin === 'relay') return;
			const update = encodeAwarenessUpdate(from, [...added, ...updated, ...removed]);
			for (const to of devices) if (to !== from) applyAwarenessUpdate(to, update, 'relay');
		};
		from.on('update', forward);
		cleanup.push(() => from.off('update', forward));
	}
}

const REP = { id: 'u-rep', name: 'Rep North', role: 'rep' };
const MANAGER = { id: 'u-manager', name: 'Manager', role: 'manager' };

describe('PresenceState', () => {
	it('shows each person to the other, with the field they are in', () => {
		const phone = device();
		const office = device();
		relay(phone, office);
		const rep = new PresenceState(phone, REP);
		const manager = new PresenceState(office, MANAGER);
		expect(rep.others.map((p) => [p.user.name, p.field])).toEqual([['Manager', null]]);
		expect(manager.others.map((p) => [p.user.name, p.user.role, p.field])).toEqual([['Rep North', 'rep', null]]);

		manager.editing('phone');
		expect(rep.others[0]!.field).toBe('phone');
		manager.editing(null);
		expect(rep.others[0]!.field).toBeNull();
		rep.destroy();
		manager.destroy();
	});

	it('tells someone who arrives later about the people already there', () => {
		const phone = device();
		const office = device();
		const manager = new PresenceState(office, MANAGER);
		// The office announced itself before the phone was listening.
		relay(phone, office);
		const rep = new PresenceState(phone, REP);
		expect(rep.others.map((p) => p.user.name)).toEqual(['Manager']);
		expect(manager.others.map((p) => p.user.name)).toEqual(['Rep North']);
		rep.destroy();
		manager.destroy();
	});

	it('withdraws the announcement when the page closes', () => {
		const phone = device();
		const office = device();
		relay(phone, office);
		const rep = new PresenceState(phone, REP);
		const manager = new PresenceState(office, MANAGER);
		manager.destroy();
		expect(rep.others).toEqual([]);
		expect(office.getLocalState()).toBeNull();
		manager.editing('phone');
		expect(rep.others).toEqual([]);
		rep.destroy();
	});

	it('ignores states that do not say who is there', () => {
		const phone = device();
		const stranger = device();
		relay(phone, stranger);
		const rep = new PresenceState(phone, REP);
		stranger.setLocalState({ cursor: 3 });
		expect(rep.others).toEqual([]);
		rep.destroy();
	});
});

/** The engine's index and documents, in memory. */
class FakeDevice {
	readonly docs = new Map<string, Y.Doc>();
	readonly released: string[] = [];
	entries: DeviceDocEntry[] = [];
	readonly #listeners = new Set<() => void>();

	add(name: string, title = name): Y.Doc {
		const doc = new Y.Doc();
		createAccount(doc, { name: title, territory: 'north', priceList: 'standard', warehouse: 'east' });
		this.docs.set(name, doc);
		const kind = name.slice(0, name.indexOf(':')) as DocKind;
		this.entries = [...this.entries, { name, kind, title, subtitle: null, territory: null, accountId: null, day: null, status: null, sequence: null, searchText: '', updatedAt: '' }];
		for (const listener of this.#listeners) listener();
		return doc;
	}

	rename(name: string, title: string): void {
		this.entries = this.entries.map((entry) => (entry.name === name ? { ...entry, title } : entry));
		for (const listener of this.#listeners) listener();
	}

	list(kind: DocKind): DeviceDocEntry[] {
		return this.entries.filter((e) => e.kind === kind);
	}
	onIndexChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
	async open(name: string): Promise<Y.Doc> {
		await Promise.resolve();
		return this.docs.get(name) ?? new Y.Doc();
	}
	release(name: string): void {
		this.released.push(name);
	}
	get listenerCount(): number {
		return this.#listeners.size;
	}
}

function conflictOn(doc: Y.Doc, field: string): string {
	return recordConflict(doc, {
		field,
		values: [
			{ value: 'a', by: 'u-1', at: '2026-11-24T09:00:00.000Z' },
			{ value: 'b', by: 'u-2', at: '2026-11-24T09:01:00.000Z' }
		]
	});
}

describe('DeviceReviewState', () => {
	it('finds conflicts and flags across the device and follows them as they come and go', async () => {
		const device = new FakeDevice();
		const nord = device.add('account:nord', 'Boulangerie du Nord');
		device.add('account:calm', 'Calm café');
		const sud = device.add('account:sud', 'Épicerie du Sud');
		const id = conflictOn(nord, 'phone');
		setAttention(sud, 'postal', { field: 'postalCode', message: 'postal code is required', at: '' });

		const review = new DeviceReviewState(device);
		expect(review.loading).toBe(true);
		await review.refresh();
		expect(review.loading).toBe(false);
		expect(review.items.map((i) => [i.title, i.conflicts, i.attention])).toEqual([
			['Boulangerie du Nord', ['Phone'], []],
			['Épicerie du Sud', [], ['postal code is required']]
		]);
		expect(review.conflictCount).toBe(1);

		keepConflictValue(nord, 'account:nord', 'account', id, 'b', { by: 'u-1', at: '' });
		clearAttention(sud, 'postal');
		expect(review.items).toEqual([]);

		const late = device.add('account:late', 'Late arrival');
		conflictOn(late, 'email');
		conflictOn(late, 'city');
		await review.refresh();
		expect(review.items.map((i) => [i.title, i.conflicts])).toEqual([['Late arrival', ['City', 'Email']]]);
		expect(review.conflictCount).toBe(2);
		device.rename('account:late', 'Café tardif');
		await review.refresh();
		expect(review.items.map((i) => i.title)).toEqual(['Café tardif']);

		review.destroy();
		expect(device.listenerCount).toBe(0);
		expect(device.released.sort()).toEqual(['account:calm', 'account:late', 'account:nord', 'account:sud']);
		conflictOn(sud, 'phone');
		expect(review.items.map((i) => i.title)).toEqual(['Café tardif']);
	});
});
