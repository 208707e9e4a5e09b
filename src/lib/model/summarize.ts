import type * as Y from 'yjs';
import { readAccountFields } from './account';
import { parseDocName, type DocKind } from './names';
import { readOrderFields } from './order';
import { readVisitFields } from './visit';

/** The listable facts of one document; the store adds `name` and `updatedAt`. */
export interface SummaryFields {
	kind: DocKind;
	territory: string | null;
	owner: string | null;
	accountId: string | null;
	day: string | null;
	title: string;
}

export interface AccountLookup {
	territory: string | null;
	title: string;
}

/** Visits and orders take their territory from their account, which lives in another document. */
export type LookupAccount = (accountId: string) => AccountLookup | undefined;

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

function nonEmpty(value: string): string | null {
	return value === '' ? null : value;
}

/** Throws InvalidDocNameError for a malformed name; the kind comes from the name, not the content. */
export function summarizeDocument(name: string, doc: Y.Doc, lookupAccount: LookupAccount): SummaryFields {
	const { kind, id } = parseDocName(name);
	switch (kind) {
		case 'account': {
			const fields = readAccountFields(doc);
			return {
				kind,
				territory: nonEmpty(fields.territory),
				owner: null,
				accountId: null,
				day: null,
				title: fields.name || id
			};
		}
		case 'visit': {
			const fields = readVisitFields(doc);
			const accountId = nonEmpty(fields.accountId);
			const account = accountId === null ? undefined : lookupAccount(accountId);
			return {
				kind,
				territory: account?.territory ?? null,
				owner: nonEmpty(fields.repId),
				accountId,
				day: DATE_PREFIX.test(fields.plannedDate) ? fields.plannedDate.slice(0, 10) : null,
				title: `${account?.title ?? accountId ?? id} · ${fields.plannedDate}`
			};
		}
		case 'order': {
			const fields = readOrderFields(doc);
			const accountId = nonEmpty(fields.accountId);
			const account = accountId === null ? undefined : lookupAccount(accountId);
			return {
				kind,
				territory: account?.territory ?? null,
				owner: nonEmpty(fields.repId),
				accountId,
				day: DATE_PREFIX.test(fields.createdAt) ? fields.createdAt.slice(0, 10) : null,
				title: `${account?.title ?? accountId ?? id} · order ${fields.poNumber || id}`
			};
		}
		case 'catalog':
			return { kind, territory: null, owner: null, accountId: null, day: null, title: `Catalog ${id}` };
		case 'stock':
			return { kind, territory: null, owner: null, accountId: null, day: null, title: `Stock ${id}` };
		case 'inbox':
			return { kind, territory: null, owner: id, accountId: null, day: null, title: 'Inbox' };
	}
}
