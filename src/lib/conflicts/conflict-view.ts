import type * as Y from 'yjs';
import { accountFields, readAccountFields } from '../model/account';
import { listAttention, type Attention } from '../model/attention';
import { listConflicts } from '../model/conflicts';
import { sameValue } from '../model/records';
import type { Scalar } from '../model/values';
import type { SessionUser } from '../session/login';
import { formatClock, formatDay, localDay } from '../ui/clock-time';
import { fieldLabel } from '../ui/field-labels';
import { formatMoney } from '../ui/money';
import { statusLabel } from '../ui/status-labels';
import { namesFromEdits, readEdit } from './edits';
import { canKeep, type EditableKind } from './keep-value';

export interface ConflictChoice {
	value: Scalar;
	/** The value as the form would show it. */
	text: string;
	/** User id of who wrote it. */
	by: string;
	/** Their name when the device knows it, else the id. */
	who: string;
	at: string;
	/** "24 Nov 2026 14:32", local time. */
	when: string;
	/** The document holds this value now (the one CRDT rules kept). */
	current: boolean;
	/** The viewer may keep it (see canKeep). */
	allowed: boolean;
}

export interface ConflictView {
	id: string;
	field: string;
	label: string;
	choices: ConflictChoice[];
}

export interface ArchivedNotice {
	/** Who archived it, when the relay recorded it. */
	by: string | null;
	at: string | null;
}

/** Everything the review part of a document page shows. */
export interface DocumentReview {
	conflicts: ConflictView[];
	attention: Attention[];
	archived: ArchivedNotice | null;
}

export type Viewer = Pick<SessionUser, 'id' | 'displayName' | 'role'>;

export function formatFieldValue(kind: EditableKind, field: string, value: Scalar): string {
	if (value === null || value === '') return '(empty)';
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (kind === 'account' && field === 'creditLimit' && typeof value === 'number') return formatMoney(value);
	if (field === 'status' && typeof value === 'string') return statusLabel(value);
	return String(value);
}

export function formatWhen(iso: string): string {
	const date = new Date(iso);
	if (iso === '' || Number.isNaN(date.getTime())) return '';
	return `${formatDay(localDay(date))} ${formatClock(iso)}`;
}

/** Open conflicts, oldest first, in words, with who wrote each value by name. */
export function conflictViews(doc: Y.Doc, kind: EditableKind, viewer: Viewer | null): ConflictView[] {
	const names = namesFromEdits(doc, new Map(viewer ? [[viewer.id, viewer.displayName]] : []));
	const fields = doc.getMap<unknown>('fields');
	const open = listConflicts(doc, { status: 'open' });
	const firstAt = (values: { at: string }[]) => values.reduce((min, v) => (v.at < min ? v.at : min), values[0]?.at ?? '');
	open.sort((a, b) => firstAt(a.values).localeCompare(firstAt(b.values)) || a.field.localeCompare(b.field));
	return open.map((conflict) => ({
		id: conflict.id,
		field: conflict.field,
		label: fieldLabel(kind, conflict.field),
		choices: conflict.values.map((entry) => ({
			value: entry.value,
			text: formatFieldValue(kind, conflict.field, entry.value),
			by: entry.by,
			who: names.get(entry.by) ?? entry.by,
			at: entry.at,
			when: formatWhen(entry.at),
			current: sameValue(fields.get(conflict.field) ?? null, entry.value),
			allowed: canKeep(kind, conflict.field, entry.value, viewer?.role ?? null)
		}))
	}));
}

export function archivedNotice(doc: Y.Doc): ArchivedNotice | null {
	if (!accountFields(doc).has('status') || readAccountFields(doc).status !== 'archived') return null;
	const edit = readEdit(doc, 'status');
	return { by: edit?.name || edit?.by || null, at: edit?.at || null };
}

export function readDocumentReview(doc: Y.Doc, kind: EditableKind, viewer: Viewer | null): DocumentReview {
	return {
		conflicts: conflictViews(doc, kind, viewer),
		attention: listAttention(doc).sort((a, b) => a.field.localeCompare(b.field) || a.ruleId.localeCompare(b.ruleId)),
		archived: kind === 'account' ? archivedNotice(doc) : null
	};
}
