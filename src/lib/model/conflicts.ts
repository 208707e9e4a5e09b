import type * as Y from 'yjs';
import { sameValue } from './records';
import { asNullableString, asOneOf, asString, isPlainObject, newId, type Scalar } from './values';

/**
 * Concurrent writes to one field that CRDT rules settled silently but a person should
 * decide: the map keeps every contender so the losing value is never lost.
 */

export const CONFLICT_STATUSES = ['open', 'resolved'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

export interface ConflictValue {
	value: Scalar;
	/** User id of who wrote it. */
	by: string;
	at: string;
}

export interface ConflictRecord {
	field: string;
	values: ConflictValue[];
	status: ConflictStatus;
	resolvedBy: string | null;
	resolvedAt: string | null;
}

export interface Conflict extends ConflictRecord {
	id: string;
}

export interface ConflictInit {
	id?: string;
	field: string;
	values: ConflictValue[];
}

export function conflictsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('conflicts');
}

function isScalar(value: unknown): value is Scalar {
	return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function toConflict(id: string, value: unknown): Conflict | undefined {
	if (!isPlainObject(value)) return undefined;
	const values = Array.isArray(value.values) ? value.values : [];
	return {
		id,
		field: asString(value.field),
		values: values.filter(isPlainObject).map((entry) => ({
			value: isScalar(entry.value) ? entry.value : null,
			by: asString(entry.by),
			at: asString(entry.at)
		})),
		status: asOneOf(value.status, CONFLICT_STATUSES, 'open'),
		resolvedBy: asNullableString(value.resolvedBy),
		resolvedAt: asNullableString(value.resolvedAt)
	};
}

function toStored(conflict: ConflictRecord): ConflictRecord {
	return {
		field: conflict.field,
		values: conflict.values.map(({ value, by, at }) => ({ value, by, at })),
		status: conflict.status,
		resolvedBy: conflict.resolvedBy,
		resolvedAt: conflict.resolvedAt
	};
}

/** Returns the conflict's id. Recording the same id again with the same content is a no-op. */
export function recordConflict(doc: Y.Doc, init: ConflictInit): string {
	const id = init.id ?? newId();
	const value = toStored({ field: init.field, values: init.values, status: 'open', resolvedBy: null, resolvedAt: null });
	const map = conflictsMap(doc);
	if (!sameValue(map.get(id), value)) doc.transact(() => map.set(id, value));
	return id;
}

/** Marks a conflict decided; applying the chosen value to the field is the caller's job. */
export function resolveConflict(doc: Y.Doc, id: string, resolution: { by: string; at: string }): boolean {
	const map = conflictsMap(doc);
	const conflict = toConflict(id, map.get(id));
	if (!conflict) return false;
	if (conflict.status === 'resolved') return true;
	const value = toStored({
		field: conflict.field,
		values: conflict.values,
		status: 'resolved',
		resolvedBy: resolution.by,
		resolvedAt: resolution.at
	});
	doc.transact(() => map.set(id, value));
	return true;
}

export function getConflict(doc: Y.Doc, id: string): Conflict | undefined {
	return toConflict(id, conflictsMap(doc).get(id));
}

export function listConflicts(doc: Y.Doc, filter: { status?: ConflictStatus } = {}): Conflict[] {
	const result: Conflict[] = [];
	for (const [id, value] of conflictsMap(doc).entries()) {
		const conflict = toConflict(id, value);
		if (conflict && (filter.status === undefined || conflict.status === filter.status)) result.push(conflict);
	}
	return result;
}
