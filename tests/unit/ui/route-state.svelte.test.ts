import * as Y from 'yjs';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { createAccount, createVisit, readVisitFields, setVisitFields, type DocKind } from '../../../src/lib/model';
import { followDayVisits } from '../../../src/lib/state/day-visits.svelte';
import { DocumentSetState, followDocuments } from '../../../src/lib/state/document-set.svelte';
import { FieldConfigState, TeamState } from '../../../src/lib/state/field-config.svelte';
import type { DeviceDocEntry } from '../../../src/lib/sync/engine-types';
import { deviceEntry } from '../../helpers/ui-fixtures';

/** A device's documents and index with the engine's shape, all in memory. */
class MemoryDevice {
	readonly docs = new Map<string, Y.Doc>();
	readonly released: string[] = [];
	entries: DeviceDocEntry[] = [];
	readonly listeners = new Set<() => void>();

	async open(name: string): Promise<Y.Doc> {
		let doc = this.docs.get(name);
		if (!doc) {
			doc = new Y.Doc();
			this.docs.set(name, doc);
		}
		return doc;
	}
	release(name: string): void {
		this.released.push(name);
	}
	list(kind: DocKind): DeviceDocEntry[] {
		return this.entries.filter((entry) => entry.kind === kind);
	}
	onIndexChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	setEntries(entries: DeviceDocEntry[]): void {
		this.entries = entries;
		for (const listener of this.listeners) listener();
	}
}

function entry(name: string, day: string | null = null): DeviceDocEntry {
	return deviceEntry(name, { day, updatedAt: '' });
}

/** Lets opened documents arrive and the batched snapshot land. */
async function settle(): Promise<void> {
	for (let i = 0; i < 5; i++) await Promise.resolve();
	await new Promise((resolve) => setTimeout(resolve, 0));
	flushSync();
}

describe('DocumentSetState', () => {
	it('opens the named documents, follows their changes, and releases the ones that leave', async () => {
		const device = new MemoryDevice();
		const a = await device.open('visit:a');
		createVisit(a, { accountId: 'x', repId: 'r', plannedDate: '2026-11-24', sequence: 1 });
		const set = new DocumentSetState(device, readVisitFields);
		set.sync(['visit:a', 'visit:b']);
		await settle();
		expect([...set.values.keys()].sort()).toEqual(['visit:a', 'visit:b']);
		expect(set.values.get('visit:a')?.sequence).toBe(1);

		setVisitFields(a, { sequence: 4 });
		await settle();
		expect(set.values.get('visit:a')?.sequence).toBe(4);

		set.sync(['visit:b']);
		await settle();
		expect([...set.values.keys()]).toEqual(['visit:b']);
		expect(device.released).toEqual(['visit:a']);
		set.destroy();
		expect(device.released.sort()).toEqual(['visit:a', 'visit:b']);
	});

	it('follows the names a component gives it and lets go with the component', async () => {
		const device = new MemoryDevice();
		let names = $state(['visit:a']);
		let set: DocumentSetState<string> | undefined;
		const stop = $effect.root(() => {
			set = followDocuments(device, () => names, () => 'read');
		});
		await settle();
		expect([...set!.values.keys()]).toEqual(['visit:a']);
		names = ['visit:c'];
		await settle();
		expect([...set!.values.keys()]).toEqual(['visit:c']);
		stop();
		expect(device.released).toEqual(['visit:a', 'visit:c']);
	});
});

describe('followDayVisits', () => {
	it("reads one rep's day from the visit documents with their accounts, and follows edits", async () => {
		const device = new MemoryDevice();
		const account = await device.open('account:a1');
		createAccount(account, { name: 'Boulangerie', territory: 'north', priceList: 'p', warehouse: 'w', lat: 45.77, lng: 4.83 });
		const mine = await device.open('visit:mine');
		createVisit(mine, { accountId: 'a1', repId: 'u-rep', plannedDate: '2026-11-24', sequence: 2 });
		const theirs = await device.open('visit:theirs');
		createVisit(theirs, { accountId: 'a1', repId: 'u-other', plannedDate: '2026-11-24', sequence: 1 });
		device.setEntries([entry('account:a1'), entry('visit:mine', '2026-11-24'), entry('visit:theirs', '2026-11-24'), entry('visit:later', '2026-11-25')]);

		let view: ReturnType<typeof followDayVisits> | undefined;
		const stop = $effect.root(() => {
			view = followDayVisits(device, () => '2026-11-24', () => 'u-rep');
		});
		await vi.waitFor(async () => {
			await settle();
			expect(view!.visits.map((v) => [v.name, v.title, v.position])).toEqual([['visit:mine', 'Boulangerie', { lat: 45.77, lng: 4.83 }]]);
		});
		expect(view!.loading).toBe(false);
		setVisitFields(mine, { plannedDate: '2026-11-25' });
		await settle();
		expect(view!.visits).toEqual([]);
		stop();
	});
});

class MemoryStorage {
	readonly items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.items.set(key, value);
	}
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('FieldConfigState and TeamState', () => {
	it("uses the server's config, keeps it, and uses the kept copy when the server cannot be reached", async () => {
		const storage = new MemoryStorage();
		const online = new FieldConfigState({ fetch: (async () => json({ mapStyleUrl: 'https://maps.example.com/style.json', geofenceRadiusM: 150 })) as typeof fetch, storage });
		expect(online.current.geofenceRadiusM).toBe(200);
		await online.loaded;
		expect(online.current).toEqual({ mapStyleUrl: 'https://maps.example.com/style.json', geofenceRadiusM: 150 });

		const offline = new FieldConfigState({ fetch: (async () => Promise.reject(new TypeError('offline'))) as typeof fetch, storage });
		expect(offline.current.geofenceRadiusM).toBe(150);
		await expect(offline.loaded).resolves.toEqual({ mapStyleUrl: 'https://maps.example.com/style.json', geofenceRadiusM: 150 });
	});

	it("lists a manager's reps, remembered per user for offline use", async () => {
		const storage = new MemoryStorage();
		const reps = [{ id: 'u-1', username: 'rep1', displayName: 'Rep One', role: 'rep', territories: ['north'] }];
		const online = new TeamState({ fetch: (async () => json({ users: reps })) as typeof fetch, storage, userId: 'u-m', token: 't' });
		await vi.waitFor(() => expect(online.users.map((u) => u.displayName)).toEqual(['Rep One']));
		const offline = new TeamState({ fetch: (async () => Promise.reject(new TypeError('offline'))) as typeof fetch, storage, userId: 'u-m', token: 't' });
		expect(offline.users.map((u) => u.id)).toEqual(['u-1']);
		const stranger = new TeamState({ fetch: (async () => Promise.reject(new TypeError('offline'))) as typeof fetch, storage, userId: 'u-x', token: 't' });
		await vi.waitFor(() => expect(stranger.error).toBe('offline'));
	});
});
