import { tryParseDocName } from '../../src/lib/model/names';
import type { DocumentStore, UserRecord } from '../store/document-store';

/**
 * What one user may do with one document. Checked when a connection subscribes;
 * the relay enforces `write` on every update it receives.
 */
export interface DocAccess {
	read: boolean;
	write: boolean;
	/** Why read or write is refused; shown to the client. */
	reason?: string;
	/**
	 * The document does not exist yet and this user may only create it for an
	 * account it can see: the relay checks the first update's accountId.
	 */
	mustReferenceVisibleAccount?: boolean;
	/** Writes are taken and then put back by the server (so replicas converge) rather than refused. */
	readOnlyConverges?: boolean;
}

const FULL: DocAccess = { read: true, write: true };
const READ_ONLY = (reason: string): DocAccess => ({ read: true, write: false, reason, readOnlyConverges: true });
const DENIED = (reason: string): DocAccess => ({ read: false, write: false, reason });

export async function accountTerritory(store: DocumentStore, accountId: string): Promise<string | null | undefined> {
	const summary = await store.getSummary(`account:${accountId}`);
	return summary ? summary.territory : undefined;
}

export async function canSeeAccount(store: DocumentStore, user: UserRecord, accountId: string): Promise<boolean> {
	if (user.role === 'admin') return true;
	const territory = await accountTerritory(store, accountId);
	return territory != null && user.territories.includes(territory);
}

export async function resolveAccess(store: DocumentStore, user: UserRecord, docName: string): Promise<DocAccess> {
	const parsed = tryParseDocName(docName);
	if (!parsed) return DENIED(`"${docName}" is not a document name`);
	if (user.role === 'admin') return FULL;

	switch (parsed.kind) {
		case 'account': {
			const territory = await accountTerritory(store, parsed.id);
			if (territory === undefined) {
				return user.role === 'manager' ? FULL : DENIED(`account ${parsed.id} does not exist`);
			}
			if (territory !== null && user.territories.includes(territory)) return FULL;
			return DENIED(`account ${parsed.id} is outside your territories`);
		}
		case 'visit':
		case 'order': {
			const summary = await store.getSummary(docName);
			if (!summary) return { ...FULL, mustReferenceVisibleAccount: true };
			if (summary.accountId && (await canSeeAccount(store, user, summary.accountId))) return FULL;
			return DENIED(`${parsed.kind} ${parsed.id} belongs to an account outside your territories`);
		}
		case 'catalog':
		case 'stock':
			return READ_ONLY(`${parsed.kind} documents are maintained by the office`);
		case 'inbox':
			if (parsed.id === user.id) return FULL;
			// Managers write plan changes and messages into their own reps' inboxes only.
			if (user.role === 'manager' && (await sharesTerritory(store, user, parsed.id))) return FULL;
			return DENIED('another user\'s inbox');
	}
}

async function sharesTerritory(store: DocumentStore, user: UserRecord, otherId: string): Promise<boolean> {
	const other = await store.getUserById(otherId);
	return other !== undefined && other.territories.some((t) => user.territories.includes(t));
}
