import type * as Y from 'yjs';
import { summarizeDocument } from '../../src/lib/model/summarize';
import type { DocumentStore, DocumentSummary } from '../store/document-store';

interface AccountInfo {
	territory: string | null;
	title: string;
}

export interface PreparedProjection {
	summarize(name: string, doc: Y.Doc, updatedAt: string): DocumentSummary;
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
	constructor(private readonly store: DocumentStore) {}

	async prepare(docs: Array<{ name: string; doc: Y.Doc }>): Promise<PreparedProjection> {
		const accounts = new Map<string, AccountInfo>();
		const noLookup = () => undefined;
		for (const { name, doc } of docs) {
			if (!name.startsWith('account:')) continue;
			const s = summarizeDocument(name, doc, noLookup);
			accounts.set(name.slice('account:'.length), { territory: s.territory, title: s.title });
		}
		const dependents: DocumentSummary[] = [];
		const moved: string[] = [];
		for (const [accountId, info] of accounts) {
			const before = await this.store.getSummary(`account:${accountId}`);
			if (!before || before.territory === info.territory) continue;
			moved.push(`account:${accountId}`);
			for (const dependent of await this.store.listSummaries({ accountId })) {
				if (dependent.territory !== info.territory) dependents.push({ ...dependent, territory: info.territory });
				moved.push(dependent.name);
			}
		}
		const wanted = new Set<string>();
		for (const { name, doc } of docs) {
			if (!name.startsWith('visit:') && !name.startsWith('order:')) continue;
			const accountId = doc.getMap('fields').get('accountId');
			if (typeof accountId === 'string' && !accounts.has(accountId)) wanted.add(accountId);
		}
		await Promise.all(
			[...wanted].map(async (accountId) => {
				const summary = await this.store.getSummary(`account:${accountId}`);
				if (summary) accounts.set(accountId, { territory: summary.territory, title: summary.title });
			})
		);
		return {
			dependents,
			moved,
			summarize: (name, doc, updatedAt) => ({
				name,
				...summarizeDocument(name, doc, (accountId) => accounts.get(accountId)),
				updatedAt
			})
		};
	}
}
