import type * as Y from 'yjs';
import { isUpdateDurable } from '../protocol';

/** One local edit not yet acknowledged as durable by the server. */
export interface PendingEntry {
	/** Row id in the device database; undefined until (or unless) persisted. */
	id?: number;
	docName: string;
	update: Uint8Array;
	/** ISO time of the edit. */
	at: string;
	/** Parts of the document the edit touched ("phone", "notes", "contacts"). */
	changed: string[];
}

/** Where pending edits survive a reload (the device database), if anywhere. */
export interface PendingStorage {
	add(entry: PendingEntry): Promise<number>;
	delete(ids: number[]): Promise<void>;
}

/**
 * Local edits per document until the server says they are durable. An edit
 * leaves only when the server's durable snapshot contains it, so "sent" is never
 * mistaken for "safe".
 */
export class PendingChanges {
	private readonly byDoc = new Map<string, PendingEntry[]>();
	private readonly listeners = new Set<() => void>();

	constructor(private readonly storage?: PendingStorage) {}

	/** Loads what a previous run left waiting. */
	restore(entries: PendingEntry[]): void {
		for (const entry of entries) this.entriesOf(entry.docName).push(entry);
		this.changed();
	}

	record(docName: string, update: Uint8Array, at: string, changed: string[]): void {
		const entry: PendingEntry = { docName, update, at, changed };
		this.entriesOf(docName).push(entry);
		if (this.storage) {
			this.storage.add(entry).then(
				(id) => {
					// Acknowledged before it was written: remove the row just written.
					if (!this.byDoc.get(docName)?.includes(entry)) void this.storage?.delete([id]);
					else entry.id = id;
				},
				() => {
					// The edit is in the document's own store either way; only the waiting list is lost.
				}
			);
		}
		this.changed();
	}

	/** Drops every edit the durable snapshot contains; true when nothing of the doc waits any more. */
	acknowledge(docName: string, durable: Y.Snapshot): boolean {
		const entries = this.byDoc.get(docName);
		if (!entries) return true;
		const kept: PendingEntry[] = [];
		const done: number[] = [];
		for (const entry of entries) {
			if (isUpdateDurable(entry.update, durable)) {
				if (entry.id !== undefined) done.push(entry.id);
			} else kept.push(entry);
		}
		if (kept.length === entries.length) return kept.length === 0;
		if (kept.length === 0) this.byDoc.delete(docName);
		else this.byDoc.set(docName, kept);
		if (done.length > 0) void this.storage?.delete(done);
		this.changed();
		return kept.length === 0;
	}

	updates(docName: string): Uint8Array[] {
		return (this.byDoc.get(docName) ?? []).map((e) => e.update);
	}

	entries(docName: string): readonly PendingEntry[] {
		return this.byDoc.get(docName) ?? [];
	}

	documents(): string[] {
		return [...this.byDoc.keys()];
	}

	has(docName: string): boolean {
		return this.byDoc.has(docName);
	}

	get documentCount(): number {
		return this.byDoc.size;
	}

	/** Forgets a document's waiting edits (the rep chose to discard them). */
	discard(docName: string): void {
		const entries = this.byDoc.get(docName);
		if (!entries) return;
		this.byDoc.delete(docName);
		const ids = entries.flatMap((e) => (e.id === undefined ? [] : [e.id]));
		if (ids.length > 0) void this.storage?.delete(ids);
		this.changed();
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private entriesOf(docName: string): PendingEntry[] {
		let entries = this.byDoc.get(docName);
		if (!entries) {
			entries = [];
			this.byDoc.set(docName, entries);
		}
		return entries;
	}

	private changed(): void {
		for (const listener of this.listeners) listener();
	}
}
