import * as Y from 'yjs';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { addMessage, createInbox, type DocKind } from '../../../src/lib/model';
import { followInbox } from '../../../src/lib/state/inbox.svelte';
import type { DeviceDocEntry } from '../../../src/lib/sync/engine-types';
import { deviceEntry } from '../../helpers/ui-fixtures';

/** The part of the engine an inbox needs: the device's list of records and its documents. */
class Device {
	entries: DeviceDocEntry[] = [];
	readonly docs = new Map<string, Y.Doc>();
	readonly opened: string[] = [];
	private readonly listeners = new Set<() => void>();
	list(kind: DocKind): DeviceDocEntry[] {
		return this.entries.filter((e) => e.kind === kind);
	}
	onIndexChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	setEntries(entries: DeviceDocEntry[]): void {
		this.entries = entries;
		for (const l of this.listeners) l();
	}
	async open(name: string): Promise<Y.Doc> {
		this.opened.push(name);
		let doc = this.docs.get(name);
		if (!doc) this.docs.set(name, (doc = new Y.Doc()));
		return doc;
	}
	release(): void {}
}

describe('followInbox', () => {
	it('waits until the device lists the inbox, then follows it; other index changes do not reopen it', async () => {
		const device = new Device();
		const server = new Y.Doc();
		createInbox(server);
		addMessage(server, { kind: 'manager_message', title: 'Hello', body: '', at: '2026-11-24T08:00:00.000Z' });
		let inbox: ReturnType<typeof followInbox> | undefined;
		const stop = $effect.root(() => {
			inbox = followInbox(device, 'u1');
		});
		flushSync();
		expect(device.opened).toEqual([]);
		expect(inbox!.messages).toEqual([]);

		device.docs.set('inbox:u1', server);
		device.setEntries([deviceEntry('inbox:u1')]);
		flushSync();
		await vi.waitFor(() => expect(inbox!.messages.map((m) => m.title)).toEqual(['Hello']));

		device.setEntries([deviceEntry('inbox:u1'), deviceEntry('account:a1')]);
		flushSync();
		addMessage(server, { kind: 'manager_message', title: 'Again', body: '', at: '2026-11-24T09:00:00.000Z' });
		expect(inbox!.messages.map((m) => m.title)).toEqual(['Hello', 'Again']);
		expect(device.opened).toEqual(['inbox:u1']);
		stop();
	});

	it('opens nothing without a signed-in user', () => {
		const device = new Device();
		device.setEntries([deviceEntry('inbox:u1')]);
		const stop = $effect.root(() => {
			followInbox(device, null);
		});
		flushSync();
		expect(device.opened).toEqual([]);
		stop();
	});
});
