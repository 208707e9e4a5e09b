import type * as Y from 'yjs';

/** The smallest single splice that turns one string into another. */
export interface TextSplice {
	index: number;
	deleteCount: number;
	insert: string;
}

/**
 * Finds the changed middle between a common prefix and suffix. Typing, pasting and
 * deleting a selection are all one splice, and a splice that touches only what the
 * rep changed lets a colleague's edit elsewhere in the same text survive the merge.
 */
export function diffText(before: string, after: string): TextSplice | null {
	if (before === after) return null;
	const limit = Math.min(before.length, after.length);
	let prefix = 0;
	while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
	// Never split a surrogate pair: an emoji is inserted or deleted whole.
	if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
	let suffix = 0;
	const maxSuffix = limit - prefix;
	while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
	if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
	return {
		index: prefix,
		deleteCount: before.length - prefix - suffix,
		insert: after.slice(prefix, after.length - suffix)
	};
}

/** Brings a Y.Text to `value` with one minimal splice in one transaction; false when nothing changed. */
export function applyTextValue(text: Y.Text, value: string, origin?: unknown): boolean {
	const splice = diffText(text.toString(), value);
	if (!splice) return false;
	const apply = (): void => {
		if (splice.deleteCount > 0) text.delete(splice.index, splice.deleteCount);
		if (splice.insert.length > 0) text.insert(splice.index, splice.insert);
	};
	if (text.doc) text.doc.transact(apply, origin);
	else apply();
	return true;
}

/** One step of a Y.Text change event's delta. */
export type TextDeltaStep = { retain?: number; insert?: unknown; delete?: number };

/**
 * Where a caret at `position` belongs after someone else's change, so a remote edit
 * does not throw the rep's cursor around. Text inserted exactly at the caret goes
 * before it, the way the remote typist's own text would appear.
 */
export function transformPosition(position: number, delta: readonly TextDeltaStep[]): number {
	// `consumed` walks the text as it was before the change; the caret moves by `shift`.
	let consumed = 0;
	let shift = 0;
	for (const step of delta) {
		if (consumed > position) break;
		if (step.retain !== undefined) {
			consumed += step.retain;
		} else if (step.insert !== undefined) {
			shift += typeof step.insert === 'string' ? step.insert.length : 1;
		} else if (step.delete !== undefined) {
			shift -= Math.min(step.delete, position - consumed);
			consumed += step.delete;
		}
	}
	return position + shift;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}
