import { PROTECTED_ACCOUNT_FIELDS, SERVER_ORDER_STATUSES } from '../../src/lib/model';
import type { DocKind } from '../../src/lib/model/names';
import type { Role } from '../store/document-store';

/**
 * Who may change what inside a document they can write. The relay applies every
 * update (so no replica diverges), then writes back what the writer was not
 * allowed to change; these rules say what that is.
 */
export interface FieldRules {
	/** Keys of `fields` this role may not change. */
	protectedFields: readonly string[];
	/** Root maps only the server writes (for anyone but the server). */
	serverOnlyMaps: readonly string[];
	/** Values of `fields.status` this role may not set. */
	forbiddenStatuses: readonly string[];
	/** Nothing in the document may be changed by this role. */
	readOnly: boolean;
}

const NONE: FieldRules = { protectedFields: [], serverOnlyMaps: ['attention'], forbiddenStatuses: [], readOnly: false };

export function fieldRulesFor(kind: DocKind, role: Role): FieldRules {
	if (role === 'admin') return NONE;
	switch (kind) {
		case 'account':
			return role === 'rep' ? { ...NONE, protectedFields: PROTECTED_ACCOUNT_FIELDS } : NONE;
		case 'order':
			return { ...NONE, serverOnlyMaps: ['attention', 'allocation'], forbiddenStatuses: SERVER_ORDER_STATUSES };
		case 'catalog':
		case 'stock':
			return { ...NONE, readOnly: true };
		default:
			return NONE;
	}
}

export function describeField(field: string): string {
	return field.replace(/([A-Z])/g, ' $1').toLowerCase();
}
