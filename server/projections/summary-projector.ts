import type * as Y from 'yjs';
import { summarizeDocument } from '../../src/lib/model/summarize';
import type { DocumentStore, DocumentSummary } from '../store/document-store';
import { forEachInSlices } from '../event-loop-slices';

/** Longest stretch of store lookups before sockets get a turn (an embedded store answers synchronously). */
const LOOKUP_SLICE_MS = 3;
/** Accounts whose stored territory is remembered; past this the memory starts afresh. */
const MAX_REMEMBERED_ACCOUNTS = 100_000;

interface AccountInfo {
	territory: string | null;
	title: string;
}

export interface PreparedProjection {
	/**
	 * The summary of `doc` as it is now, or undefined when it can no longer be
	 * summarised from what was looked up: the lookups may yield, and meanwhile an
	 * account may move or a visit name another account. Such a document waits for
	 * the next batch.
	 */
	summarizeIfCurrent(name: string, doc: Y.Doc, updatedAt: string): DocumentSummary | undefined;
	/**
	 * Summaries of visits and orders whose account moved to another territory in
	 * this batch: they follow their account, so permissions and manifests do too.
	 */
	dependents: DocumentSummary[];
	/** Documents whose territory changed in this batch (the accounts and their dependents): access must be checked again. */
	moved: string[];
}

/**
 * Keeps the summary row of each document (kind, territory, owner, title, day)
 * that lists, the manifest and permissions read without loading documents.
 * Visits and orders take their territory from their account, so the accounts
 * they name are looked up first (in the batch itself, then in the store).
 */
export class SummaryProjector {
	/**
	 * Each account's territory as last stored by or read from the store here: an account
	 * whose document still says the same has not moved, and needs no lookup (most commits).
	 * Only while this relay is the store's one writer: another instance may move an
	 * account and store it without this one knowing, and then moving it back here must
	 * still be seen as a move.
	 */
	private readonly storedTerritory = new Map<string, string | null>();

	/** `soleWriter`: whether no other relay instance writes to the store now. */
	constructor(
		private readonly store: DocumentStore,
		private readonly soleWriter: () => boolean = () => true
	) {}

	/** The store committed these summaries (after prepare's batch was written). */
	noteStored(summaries: readonly DocumentSummary[]): void {
		// A bound, not an eviction policy: forgetting only costs a lookup on an account's next commit.
		if (this.storedTerritory.size > MAX_REMEMBERED_ACCOUNTS) this.storedTerritory.clear();
		for (const summary of summaries) {
			if (summary.kind === 'account') this.storedTerritory.set(summary.name.slice('account:'.length), summary.territory);
		}
	}

	async prepare(docs: Array<{ name: string; doc: Y.Doc }>): Promise<PreparedProjection> {
		const accounts = new Map<string, AccountInfo>();
		const noLookup = () => undefined;
		for (const { name, doc } of docs) {
			if (!name.startsWith('account:')) continue;
			const s = summarizeDocument(name, doc, noLookup);
			accounts.set(name.slice('account:'.length), { territory: s.territory, title: s.title });
		}
		const prepared = new Map([...accounts].map(([accountId, info]) => [accountId, info.territory]));
		const remembered = this.soleWriter();
		if (!remembered) this.storedTerritory.clear();
		const dependents: DocumentSummary[] = [];
		const moved: string[] = [];
		// One lookup per document of the batch: cut into slices so a large batch does not stall sockets.
		await forEachInSlices(accounts, LOOKUP_SLICE_MS, async ([accountId, info]) => {
			if (remembered && this.storedTerritory.get(accountId) === info.territory) return;
			const before = await this.store.getSummary(`account:${accountId}`);
			if (before) this.storedTerritory.set(accountId, before.territory);
			if (!before || before.territory === info.territory) return;
			moved.push(`account:${accountId}`);
			for (const dependent of await this.store.listSummaries({ accountId })) {
				if (dependent.territory !== info.territory) dependents.push({ ...dependent, territory: info.territory });
				moved.push(dependent.name);
			}
		});
		const wanted = new Set<string>();
		for (const { name, doc } of docs) {
			if (!name.startsWith('visit:') && !name.startsWith('order:')) continue;
			const accountId = doc.getMap('fields').get('accountId');
			if (typeof accountId === 'string' && !accounts.has(accountId)) wanted.add(accountId);
		}
		await forEachInSlices(wanted, LOOKUP_SLICE_MS, async (accountId) => {
			const summary = await this.store.getSummary(`account:${accountId}`);
			if (summary) accounts.set(accountId, { territory: summary.territory, title: summary.title });
		});
		return {
			dependents,
			moved,
			summarizeIfCurrent: (name, doc, updatedAt) => {
				if (name.startsWith('visit:') || name.startsWith('order:')) {
					const accountId = doc.getMap('fields').get('accountId');
					if (typeof accountId === 'string' && !prepared.has(accountId) && !wanted.has(accountId)) return undefined;
				}
				const summary = { name, ...summarizeDocument(name, doc, (accountId) => accounts.get(accountId)), updatedAt };
				if (summary.kind === 'account' && prepared.get(name.slice('account:'.length)) !== summary.territory) return undefined;
				return summary;
			}
		};
	}
}
