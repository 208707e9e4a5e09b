import * as Y from 'yjs';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addContact, createAccount, readAccountFields, readContacts, setAccountFields, updateContact, type DocKind } from '../../../src/lib/model';
import { ClockState } from '../../../src/lib/state/clock.svelte';
import { DeviceIndexState } from '../../../src/lib/state/device-index.svelte';
import { followDocument, LiveDocumentState } from '../../../src/lib/state/live-document.svelte';
import { PendingState } from '../../../src/lib/state/pending.svelte';
import { openDocument, OpenAbortedError } from '../../../src/lib/state/open-document';
import { SyncStatusState } from '../../../src/lib/state/sync-status.svelte';
import { YDocState, YTypeState } from '../../../src/lib/state/y-state.svelte';
import type { DeviceDocEntry, PendingDocument, SyncStatus } from '../../../src/lib/sync/engine-types';
import { deviceEntry, syncStatus } from '../../helpers/ui-fixtures';

function newAccount(): Y.Doc {
	const doc = new Y.Doc();
	createAccount(doc, { name: 'Boulangerie', territory: 'north', priceList: 'standard', warehouse: 'east' });
	return doc;
}

describe('YDocState', () => {
	it('re-reads the document after local and remote changes', () => {
		const doc = newAccount();
		const state = new YDocState(doc, readAccountFields);
		setAccountFields(doc, { phone: '+33 1' });
		expect(state.current.phone).toBe('+33 1');

		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		setAccountFields(remote, { city: 'Lille' });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
		expect(state.current.city).toBe('Lille');
		state.destroy();
	});

	it('drives effects that read it', () => {
		const doc = newAccount();
		const state = new YDocState(doc, readAccountFields);
		const seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(state.current.name);
			});
		});
		flushSync();
		setAccountFields(doc, { name: 'Boulangerie du Nord' });
		flushSync();
		expect(seen).toEqual(['Boulangerie', 'Boulangerie du Nord']);
		stop();
		state.destroy();
	});

	it('stops following the document once destroyed', () => {
		const doc = newAccount();
		const state = new YDocState(doc, readAccountFields);
		state.destroy();
		setAccountFields(doc, { name: 'Renamed' });
		expect(state.current.name).toBe('Boulangerie');
	});
});

describe('YTypeState', () => {
	it('follows changes nested inside one shared type', () => {
		const doc = newAccount();
		const id = addContact(doc, { name: 'Anna' });
		const contacts = new YTypeState(doc.getArray<Y.Map<unknown>>('contacts'), () => readContacts(doc));
		updateContact(doc, id, { phone: '0601' });
		expect(contacts.current).toEqual([{ id, name: 'Anna', role: '', phone: '0601', email: '' }]);
		contacts.destroy();
		updateContact(doc, id, { phone: '0602' });
		expect(contacts.current[0]?.phone).toBe('0601');
	});

	it('ignores changes to other parts of the document', () => {
		const doc = newAccount();
		let reads = 0;
		const contacts = new YTypeState(doc.getArray<Y.Map<unknown>>('contacts'), () => {
			reads++;
			return readContacts(doc);
		});
		setAccountFields(doc, { phone: '1' });
		expect(reads).toBe(1);
		contacts.destroy();
	});
});

const statusOf = syncStatus;

/** The engine's subscription surface with a status and an index the test can change. */
class EngineEvents {
	status = statusOf();
	entries: DeviceDocEntry[] = [];
	waiting: PendingDocument[] = [];

	pending(): PendingDocument[] {
		return this.waiting;
	}
	readonly statusListeners = new Set<(status: SyncStatus) => void>();
	readonly indexListeners = new Set<() => void>();

	onStatus(listener: (status: SyncStatus) => void): () => void {
		this.statusListeners.add(listener);
		listener(this.status);
		return () => this.statusListeners.delete(listener);
	}

	setStatus(status: SyncStatus): void {
		this.status = status;
		for (const listener of this.statusListeners) listener(status);
	}

	list(kind: DocKind): DeviceDocEntry[] {
		return this.entries.filter((entry) => entry.kind === kind);
	}

	onIndexChange(listener: () => void): () => void {
		this.indexListeners.add(listener);
		return () => this.indexListeners.delete(listener);
	}

	setEntries(entries: DeviceDocEntry[]): void {
		this.entries = entries;
		for (const listener of this.indexListeners) listener();
	}
}

function entry(name: string, kind: DocKind): DeviceDocEntry {
	return deviceEntry(name, { kind, territory: null, updatedAt: '' });
}

describe('SyncStatusState', () => {
	it('follows the engine status until destroyed', () => {
		const engine = new EngineEvents();
		const state = new SyncStatusState(engine);
		engine.setStatus(statusOf({ waiting: 3 }));
		expect(state.current.waiting).toBe(3);
		state.destroy();
		expect(engine.statusListeners.size).toBe(0);
	});
});

describe('DeviceIndexState', () => {
	it('lists one kind and re-lists when the index changes', () => {
		const engine = new EngineEvents();
		engine.entries = [entry('account:a', 'account'), entry('visit:v', 'visit')];
		const accounts = new DeviceIndexState(engine, 'account');
		expect(accounts.entries.map((e) => e.name)).toEqual(['account:a']);
		engine.setEntries([...engine.entries, entry('account:b', 'account')]);
		expect(accounts.entries.map((e) => e.name)).toEqual(['account:a', 'account:b']);
		accounts.destroy();
		expect(engine.indexListeners.size).toBe(0);
	});
});

describe('PendingState', () => {
	it('re-reads what waits on status and index changes', () => {
		const engine = new EngineEvents();
		const pending = new PendingState(engine);
		expect(pending.documents).toEqual([]);
		const waiting: PendingDocument = { name: 'account:a', kind: 'account', title: 'A', since: '', edits: 1, changed: ['phone'] };
		engine.waiting = [waiting];
		engine.setStatus(statusOf({ waiting: 1 }));
		expect(pending.documents).toEqual([waiting]);
		engine.waiting = [];
		engine.setEntries([]);
		expect(pending.documents).toEqual([]);
		pending.destroy();
		expect(engine.statusListeners.size + engine.indexListeners.size).toBe(0);
	});
});

/** Documents with the engine's open/release shape; `open` waits until the test lets it finish. */
class SlowDevice {
	readonly doc = newAccount();
	readonly released: string[] = [];
	readonly opened: string[] = [];
	#finish: (() => void)[] = [];

	open(name: string): Promise<Y.Doc> {
		this.opened.push(name);
		return new Promise((resolve) => this.#finish.push(() => resolve(this.doc)));
	}

	release(name: string): void {
		this.released.push(name);
	}

	finishOpening(): void {
		for (const finish of this.#finish.splice(0)) finish();
	}
}

describe('opening documents for a screen', () => {
	it('releases the document when the screen closes', async () => {
		const device = new SlowDevice();
		const controller = new AbortController();
		const opening = openDocument(device, 'account:a', controller.signal);
		device.finishOpening();
		await opening;
		expect(device.released).toEqual([]);
		controller.abort();
		expect(device.released).toEqual(['account:a']);
	});

	it('releases a document that arrives after the screen closed', async () => {
		const device = new SlowDevice();
		const controller = new AbortController();
		const opening = openDocument(device, 'account:a', controller.signal);
		controller.abort();
		device.finishOpening();
		await expect(opening).rejects.toBeInstanceOf(OpenAbortedError);
		expect(device.released).toEqual(['account:a']);
	});

	it('shows loading, then a live snapshot, and releases on destroy', async () => {
		const device = new SlowDevice();
		const live = new LiveDocumentState(device, 'account:a', readAccountFields);
		expect(live.loading).toBe(true);
		expect(live.current).toBeNull();
		device.finishOpening();
		await vi.waitFor(() => expect(live.loading).toBe(false));
		expect(live.current?.name).toBe('Boulangerie');
		setAccountFields(device.doc, { name: 'Renamed' });
		expect(live.current?.name).toBe('Renamed');
		live.destroy();
		expect(device.released).toEqual(['account:a']);
	});

	it('reports a document that cannot be opened', async () => {
		const failing = { open: () => Promise.reject(new Error('device storage is full')), release: () => undefined };
		const live = new LiveDocumentState(failing, 'account:a', readAccountFields);
		await vi.waitFor(() => expect(live.error).toBe('device storage is full'));
		expect(live.loading).toBe(false);
		live.destroy();
	});
});

describe('followDocument', () => {
	it('opens the named document, swaps it when the name changes, and releases on teardown', async () => {
		const device = new SlowDevice();
		let name = $state<string | null>('account:a');
		let followed: { readonly state: LiveDocumentState<string> | null } | undefined;
		const stop = $effect.root(() => {
			followed = followDocument(device, () => name, (doc) => readAccountFields(doc).name);
		});
		flushSync();
		device.finishOpening();
		await vi.waitFor(() => expect(followed?.state?.current).toBe('Boulangerie'));
		expect(device.opened).toEqual(['account:a']);

		name = 'account:b';
		flushSync();
		expect(device.released).toEqual(['account:a']);
		expect(device.opened).toEqual(['account:a', 'account:b']);

		name = null;
		flushSync();
		expect(followed?.state).toBeNull();
		// account:b was still opening: it is released the moment it arrives.
		device.finishOpening();
		await vi.waitFor(() => expect(device.released).toEqual(['account:a', 'account:b']));
		stop();
	});

	it('releases what it holds when its component goes', async () => {
		const device = new SlowDevice();
		const stop = $effect.root(() => {
			followDocument(device, () => 'account:a', readAccountFields);
		});
		flushSync();
		device.finishOpening();
		await vi.waitFor(() => expect(device.opened).toEqual(['account:a']));
		stop();
		expect(device.released).toEqual(['account:a']);
	});
});

describe('ClockState', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('ticks every interval until destroyed', () => {
		vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
		const clock = new ClockState(1000);
		vi.advanceTimersByTime(3000);
		expect(new Date(clock.now).toISOString()).toBe('2026-11-24T10:00:03.000Z');
		clock.destroy();
		vi.advanceTimersByTime(3000);
		expect(new Date(clock.now).toISOString()).toBe('2026-11-24T10:00:03.000Z');
	});
});
