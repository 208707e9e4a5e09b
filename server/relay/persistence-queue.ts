import * as Y from 'yjs';
import type { Logger } from '../log';
import type { DocumentStore, DocumentSummary } from '../store/document-store';
import type { SummaryProjector } from '../projections/summary-projector';
import { extentOfUpdate, type ChangeExtent } from './change-extent';
import type { DocSession } from './session';
import type { SharedDocument } from './shared-document';
import { forEachInSlices, yieldToEventLoop } from '../event-loop-slices';

/** Longest stretch a commit's own bookkeeping holds the event loop before sockets get a turn. */
const SLICE_MS = 3;
/** Documents folded after one commit; the rest wait for the next ones. */
const COMPACTIONS_PER_COMMIT = 4;

interface PendingDocument {
	updates: Uint8Array[];
	/** What each update adds, in the same order. */
	extents: ChangeExtent[];
	contributors: Set<DocSession>;
}

/** One document's part of a group commit: its queued changes (stored as one row), with the summary of the same instant. */
interface CapturedDocument extends PendingDocument {
	doc: SharedDocument;
	summary: DocumentSummary;
}

export interface PersistenceQueueOptions {
	store: DocumentStore;
	projector: SummaryProjector;
	log: Logger;
	/** How long the first update of a batch waits for company (group commit window). */
	delayMs: number;
	/** After a committed batch, documents with more stored rows than this are compacted. */
	compactAfterRows: number;
	compact(docName: string): Promise<unknown>;
	onCommitted?(batch: { documents: number; updates: number; bytes: number; ms: number; names: string[] }): void;
	onFailed?(error: unknown): void;
	/** Documents whose territory changed with this commit (who may read them changed too). */
	onMoved?(docNames: string[]): void;
}

/**
 * Group commit: updates relayed to other clients at once are gathered for a
 * short window and written in one transaction, with each document's summary.
 * Only after the commit does the sender hear that its change is durable.
 */
export class PersistenceQueue {
	private pending = new Map<SharedDocument, PendingDocument>();
	private timer: NodeJS.Timeout | null = null;
	private flushing: Promise<void> | null = null;
	/** Per document in memory: one that leaves memory takes its count along (its next load checks its rows). */
	private readonly rowsSinceCompaction = new WeakMap<SharedDocument, number>();
	/** Documents past the row limit, oldest first, waiting for their turn to be folded. */
	private readonly compactionDue = new Set<SharedDocument>();
	private retryDelayMs = 100;

	constructor(private readonly options: PersistenceQueueOptions) {}

	/** Queues one change; `extent` says what it adds, and is read from the update when not given. */
	enqueue(doc: SharedDocument, update: Uint8Array, contributor: DocSession | undefined, extent?: ChangeExtent): void {
		let entry = this.pending.get(doc);
		if (!entry) {
			entry = { updates: [], extents: [], contributors: new Set() };
			this.pending.set(doc, entry);
		}
		entry.updates.push(update);
		entry.extents.push(extent ?? extentOfUpdate(update));
		if (contributor) entry.contributors.add(contributor);
		this.schedule(this.options.delayMs);
	}

	hasPending(doc: SharedDocument): boolean {
		return this.pending.has(doc);
	}

	/** Writes everything queued so far (and waits for an in-flight commit). */
	async flush(): Promise<void> {
		while (this.flushing || this.pending.size > 0) {
			if (this.flushing) await this.flushing;
			else await this.runFlush();
		}
	}

	private schedule(delayMs: number): void {
		if (this.timer || this.flushing) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.runFlush();
		}, delayMs);
	}

	private runFlush(): Promise<void> {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		if (this.flushing) return this.flushing;
		if (this.pending.size === 0) return Promise.resolve();
		this.flushing = this.commitPending().finally(() => {
			this.flushing = null;
			if (this.pending.size > 0) this.schedule(this.options.delayMs);
		});
		return this.flushing;
	}

	private async commitPending(): Promise<void> {
		const started = performance.now();
		const docs = [...this.pending.keys()];
		// Account titles and territories a visit or order summary needs, fetched before
		// the capture below so that the captured updates and the summary see one instant of each doc.
		const projection = await this.options.projector.prepare(docs.map((d) => ({ name: d.name, doc: d.doc })));

		// The capture: this batch's updates and, in the same turn, each document's summary
		// (later changes go to the next batch, and no summary describes a change not stored with it).
		// A document first written while the lookups ran, or changed so that they no longer
		// hold for it, waits for the next batch.
		const now = new Date().toISOString();
		const captured: CapturedDocument[] = [];
		for (const doc of docs) {
			const entry = this.pending.get(doc);
			const summary = entry && projection.summarizeIfCurrent(doc.name, doc.doc, now);
			if (!entry || !summary) continue;
			captured.push({ doc, ...entry, summary });
			this.pending.delete(doc);
		}

		let committed = captured;
		try {
			await this.options.store.write({
				updates: captured.map((c) => ({ docName: c.doc.name, updates: c.updates })),
				// Later summaries of the same name win, so a dependent also in this batch is summarised afresh.
				summaries: [...projection.dependents, ...captured.map((c) => c.summary)]
			});
		} catch (error) {
			this.options.log.error({ err: error, documents: captured.length }, 'store write failed');
			this.options.onFailed?.(error);
			// One document the store refuses must not hold back the others: write each on its own.
			committed = [];
			const failed = new Map<SharedDocument, PendingDocument>();
			for (const [i, c] of captured.entries()) {
				try {
					await this.options.store.write({
						updates: [{ docName: c.doc.name, updates: c.updates }],
						summaries: i === 0 ? [...projection.dependents, c.summary] : [c.summary]
					});
					committed.push(c);
				} catch (err) {
					if (captured.length > 1) this.options.log.error({ err, doc: c.doc.name }, 'store refused this document; retrying it');
					failed.set(c.doc, { updates: c.updates, extents: c.extents, contributors: c.contributors });
				}
			}
			if (failed.size > 0) {
				this.requeue(failed);
				this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
				await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
			}
			if (committed.length === 0) return;
		}
		if (committed.length === captured.length) this.retryDelayMs = 100;
		this.options.projector.noteStored(committed.map((c) => c.summary));

		let bytes = 0;
		let updates = 0;
		await forEachInSlices(committed, SLICE_MS, (c) => {
			for (const update of c.updates) bytes += update.byteLength;
			updates += c.updates.length;
			if (!c.doc.destroyed) c.doc.markDurable(c.extents, c.contributors);
		});
		this.options.onCommitted?.({ documents: committed.length, updates, bytes, ms: performance.now() - started, names: committed.map((c) => c.doc.name) });
		if (projection.moved.length > 0) this.options.onMoved?.(projection.moved);
		await this.compactGrown(committed.map((c) => c.doc));
	}

	private requeue(batch: Map<SharedDocument, PendingDocument>): void {
		// Failed updates go back in front of anything that arrived meanwhile, in order.
		for (const [doc, later] of this.pending) {
			const earlier = batch.get(doc);
			if (earlier) {
				earlier.updates.push(...later.updates);
				earlier.extents.push(...later.extents);
				for (const s of later.contributors) earlier.contributors.add(s);
			} else batch.set(doc, later);
		}
		this.pending = batch;
	}

	/**
	 * Counts each document's rows and folds those past the limit, a few per commit:
	 * documents written at the same pace reach the limit together, and folding them
	 * all at once would hold up the next commits.
	 */
	private async compactGrown(docs: SharedDocument[]): Promise<void> {
		for (const doc of docs) {
			const rows = (this.rowsSinceCompaction.get(doc) ?? 0) + 1;
			this.rowsSinceCompaction.set(doc, rows);
			if (rows >= this.options.compactAfterRows) this.compactionDue.add(doc);
		}
		let started = 0;
		for (const doc of this.compactionDue) {
			if (started++ === COMPACTIONS_PER_COMMIT) break;
			this.compactionDue.delete(doc);
			this.rowsSinceCompaction.delete(doc);
			if (doc.destroyed) continue; // its next load folds its rows if there are many
			try {
				await this.options.compact(doc.name);
				if (!doc.destroyed) doc.resetSizeEstimate(Y.encodeStateAsUpdate(doc.doc).byteLength);
			} catch (error) {
				// The log stays as it was; compaction is retried after more writes.
				this.options.log.warn({ err: error, doc: doc.name }, 'compaction failed');
			}
			await yieldToEventLoop();
		}
	}
}
