import * as Y from 'yjs';
import type { Scalar } from './values';

/**
 * Nested records (contacts, tasks, lines, messages) are Y.Maps inside a Y.Array so
 * two people editing different fields of one record both keep their change.
 */

export type RecordValues = Record<string, Scalar | undefined>;

/** Sets every defined value that differs from what is there; returns the keys it changed. */
export function setChanged(map: Y.Map<unknown>, values: RecordValues): string[] {
	const changed: string[] = [];
	for (const [key, value] of Object.entries(values)) {
		if (value === undefined || map.get(key) === value) continue;
		map.set(key, value);
		changed.push(key);
	}
	return changed;
}

export function recordMap(values: RecordValues): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(values)) {
		if (value !== undefined) map.set(key, value);
	}
	return map;
}

export function recordMaps<T>(array: Y.Array<T>): Y.Map<unknown>[] {
	const maps: Y.Map<unknown>[] = [];
	for (const item of array) if (item instanceof Y.Map) maps.push(item);
	return maps;
}

/** Position of the record with this id in the array, or -1. */
export function indexOfRecord<T>(array: Y.Array<T>, id: string): number {
	let index = 0;
	for (const item of array) {
		if (item instanceof Y.Map && item.get('id') === id) return index;
		index++;
	}
	return -1;
}

export function findRecord<T>(array: Y.Array<T>, id: string): Y.Map<unknown> | undefined {
	const index = indexOfRecord(array, id);
	if (index < 0) return undefined;
	const item = array.get(index);
	return item instanceof Y.Map ? item : undefined;
}

/** Replaces the whole content of a Y.Text, e.g. when a document is first created. */
export function replaceText(text: Y.Text, value: string): void {
	if (text.toString() === value) return;
	text.delete(0, text.length);
	text.insert(0, value);
}

/** Structural equality for the small JSON values stored in maps (products, allocations, attention). */
export function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const aKeys = Object.keys(a);
	const bKeys = Object.keys(b);
	if (aKeys.length !== bKeys.length) return false;
	return aKeys.every(
		(key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
	);
}
