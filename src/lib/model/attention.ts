import type * as Y from 'yjs';
import { asString, isPlainObject } from './values';

/**
 * What server-side validation rules say is wrong with a document right now, keyed by
 * rule id. Rules rerun on every change, so writes that change nothing are skipped to
 * keep reruns from producing updates.
 */

export interface AttentionRecord {
	field: string;
	message: string;
	at: string;
}

export interface Attention extends AttentionRecord {
	ruleId: string;
}

export function attentionMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('attention');
}

function toAttention(ruleId: string, value: unknown): Attention | undefined {
	if (!isPlainObject(value)) return undefined;
	return { ruleId, field: asString(value.field), message: asString(value.message), at: asString(value.at) };
}

/** Returns false when the rule already said exactly this (its `at` is kept, not bumped). */
export function setAttention(doc: Y.Doc, ruleId: string, record: AttentionRecord): boolean {
	const map = attentionMap(doc);
	const current = toAttention(ruleId, map.get(ruleId));
	if (current && current.field === record.field && current.message === record.message) return false;
	const value: AttentionRecord = { field: record.field, message: record.message, at: record.at };
	doc.transact(() => map.set(ruleId, value));
	return true;
}

export function clearAttention(doc: Y.Doc, ruleId: string): boolean {
	const map = attentionMap(doc);
	if (!map.has(ruleId)) return false;
	doc.transact(() => map.delete(ruleId));
	return true;
}

export function listAttention(doc: Y.Doc): Attention[] {
	const result: Attention[] = [];
	for (const [ruleId, value] of attentionMap(doc).entries()) {
		const attention = toAttention(ruleId, value);
		if (attention) result.push(attention);
	}
	return result;
}
