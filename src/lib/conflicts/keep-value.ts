import type * as Y from 'yjs';
import { PROTECTED_ACCOUNT_FIELDS, setAccountFields, type AccountFields } from '../model/account';
import { getConflict, resolveConflict } from '../model/conflicts';
import { SERVER_ORDER_STATUSES, setOrderFields, type OrderFields } from '../model/order';
import type { Scalar } from '../model/values';
import { setVisitFields, type VisitFields } from '../model/visit';
import type { SessionUser } from '../session/login';

/** The kinds whose documents carry `conflicts`: the ones people edit. */
export const EDITABLE_KINDS = ['account', 'visit', 'order'] as const;
export type EditableKind = (typeof EDITABLE_KINDS)[number];

export function isEditableKind(kind: string): kind is EditableKind {
	return (EDITABLE_KINDS as readonly string[]).includes(kind);
}

// Conflict values are whatever two replicas wrote to one field, so they already have
// the field's type; the typed setters still check integers (credit limit, sequence).
const WRITERS: Record<EditableKind, (doc: Y.Doc, values: Record<string, Scalar>) => void> = {
	account: (doc, values) => setAccountFields(doc, values as Partial<AccountFields>),
	visit: (doc, values) => setVisitFields(doc, values as Partial<VisitFields>),
	order: (doc, values) => setOrderFields(doc, values as Partial<OrderFields>)
};

/**
 * Whether this person may settle a conflict on this value. The relay would undo a
 * rep's write to a protected field, so offering it would only produce a refusal.
 */
export function canKeep(kind: EditableKind, field: string, value: Scalar, role: SessionUser['role'] | null): boolean {
	if (role === 'admin') return true;
	if (kind === 'account' && (PROTECTED_ACCOUNT_FIELDS as readonly string[]).includes(field)) return role === 'manager';
	if (kind === 'order' && field === 'status') return !(SERVER_ORDER_STATUSES as readonly Scalar[]).includes(value);
	return role !== null;
}

export class ConflictGoneError extends Error {
	constructor(
		readonly docName: string,
		readonly conflictId: string
	) {
		super(`conflict ${conflictId} is no longer in ${docName}`);
		this.name = 'ConflictGoneError';
	}
}

/**
 * Sets the field to the chosen value and closes the conflict in one transaction, so
 * every replica receives the decision and the value together.
 */
export function keepConflictValue(
	doc: Y.Doc,
	docName: string,
	kind: EditableKind,
	conflictId: string,
	value: Scalar,
	resolution: { by: string; at: string }
): void {
	const conflict = getConflict(doc, conflictId);
	if (!conflict) throw new ConflictGoneError(docName, conflictId);
	doc.transact(() => {
		WRITERS[kind](doc, { [conflict.field]: value });
		resolveConflict(doc, conflictId, resolution);
	});
}
