import type { DocKind } from '../model/names';
import { EDITABLE_ACCOUNT_FIELDS, PROTECTED_FIELD_LABELS } from './account-form';

const ACCOUNT_LABELS: Record<string, string> = {
	...Object.fromEntries(EDITABLE_ACCOUNT_FIELDS.map((field) => [field.key, field.label])),
	...PROTECTED_FIELD_LABELS,
	notes: 'Notes',
	contacts: 'Contacts',
	lat: 'Latitude',
	lng: 'Longitude'
};

const VISIT_LABELS: Record<string, string> = {
	status: 'Visit status',
	plannedDate: 'Planned date',
	sequence: 'Route position',
	outcome: 'Outcome',
	report: 'Visit report',
	tasks: 'Tasks',
	checkInAt: 'Check-in time',
	checkOutAt: 'Check-out time',
	appointmentAt: 'Appointment',
	priority: 'Priority'
};

const ORDER_LABELS: Record<string, string> = {
	status: 'Order status',
	poNumber: 'PO number',
	warehouse: 'Warehouse',
	priceList: 'Price list',
	lines: 'Lines'
};

const LABELS: Partial<Record<DocKind, Record<string, string>>> = { account: ACCOUNT_LABELS, visit: VISIT_LABELS, order: ORDER_LABELS };

/**
 * Words for a field key as people read it on the form ("postalCode" → "Postal code").
 * Presence may also carry a form label rather than a key; it comes back unchanged.
 */
export function fieldLabel(kind: DocKind, field: string): string {
	const known = LABELS[kind]?.[field];
	if (known) return known;
	if (!/^[a-z][A-Za-z0-9]*$/.test(field)) return field;
	const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}
