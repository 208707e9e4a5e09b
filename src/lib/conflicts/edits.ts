import type * as Y from 'yjs';
import { asString, isPlainObject } from '../model/values';

/**
 * Who last wrote each field, as the relay records it in the document's `edits` map
 * (field → {by, name, at}). Conflicts store only user ids, so this is where the
 * device learns the names to show next to each value.
 */
export interface FieldEdit {
	by: string;
	name: string;
	at: string;
}

export function editsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('edits');
}

export function readEdit(doc: Y.Doc, field: string): FieldEdit | undefined {
	const value = editsMap(doc).get(field);
	if (!isPlainObject(value)) return undefined;
	return { by: asString(value.by), name: asString(value.name), at: asString(value.at) };
}

/** User id → display name, from every field's last writer; `known` (e.g. the signed-in user) fills gaps. */
export function namesFromEdits(doc: Y.Doc, known: ReadonlyMap<string, string> = new Map()): Map<string, string> {
	const names = new Map(known);
	for (const field of editsMap(doc).keys()) {
		const edit = readEdit(doc, field);
		if (edit && edit.by && edit.name && !names.has(edit.by)) names.set(edit.by, edit.name);
	}
	return names;
}
