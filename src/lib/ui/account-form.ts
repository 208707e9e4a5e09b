import type { AccountFields } from '../model/account';
import type { SessionUser } from '../session/login';

/** The account fields any rep may edit, in the order the form shows them. */
export const EDITABLE_ACCOUNT_FIELDS = [
	{ key: 'name', label: 'Name', type: 'text', autocomplete: 'organization' },
	{ key: 'address', label: 'Address', type: 'text', autocomplete: 'street-address' },
	{ key: 'city', label: 'City', type: 'text', autocomplete: 'address-level2' },
	{ key: 'postalCode', label: 'Postal code', type: 'text', autocomplete: 'postal-code' },
	{ key: 'phone', label: 'Phone', type: 'tel', autocomplete: 'tel' },
	{ key: 'email', label: 'Email', type: 'email', autocomplete: 'email' }
] as const satisfies readonly { key: keyof AccountFields; label: string; type: string; autocomplete: string }[];

export type EditableAccountField = (typeof EDITABLE_ACCOUNT_FIELDS)[number]['key'];

/** Labels for the protected fields; the relay undoes a rep's write to any of them. */
export const PROTECTED_FIELD_LABELS = {
	territory: 'Territory',
	status: 'Account status',
	priceList: 'Price list',
	warehouse: 'Warehouse',
	creditLimit: 'Credit limit'
} as const;

export function canEditProtectedFields(user: Pick<SessionUser, 'role'> | null | undefined): boolean {
	return user?.role === 'manager' || user?.role === 'admin';
}

/** "1234.5" or "1 234,50" euros typed by a person → integer cents, or null when it is not an amount. */
export function parseMoneyInput(text: string): number | null {
	const normalized = text.replace(/[\s€]/g, '').replace(',', '.');
	if (!/^\d+(\.\d{0,2})?$/.test(normalized)) return null;
	return Math.round(Number(normalized) * 100);
}
