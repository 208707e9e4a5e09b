import * as Y from 'yjs';
import { clearAttention, DEVICE_COUNTER_MAPS, isCounterRaise, listAttention, listConflicts, parseCounterKey, recordConflict, setAttention } from '../../src/lib/model';
import { attentionMap } from '../../src/lib/model/attention';
import { parseDocName } from '../../src/lib/model/names';
import { sameValue } from '../../src/lib/model/records';
import type { Scalar } from '../../src/lib/model/values';
import type { UserRecord } from '../store/document-store';
import { analyseFieldWrites, type DecodedUpdate, type FieldWrites } from './field-conflicts';
import { inspectInboxWrite } from './inbox-guard';
import { evaluateRules, type ValidationRule } from './validation-rules';
import { describeField, fieldRulesFor, type FieldRules } from './write-rules';

/** Who last wrote each field, kept by the server so a conflict can say who and when. */
export const EDITS_MAP = 'edits';

export interface EditRecord {
	by: string;
	name: string;
	at: string;
}

export interface WriteGuardContext {
	rules(): readonly ValidationRule[];
	/** Tells a user something through their inbox. */
	notify(userId: string, message: { kind: string; title: string; body: string }): void;
	now(): string;
}

/**
 * What applying an update changed: Yjs's `transaction.changed`, each type with the
 * map keys written in it (null for a list or text). Undefined when not known.
 */
export type AppliedChanges = Y.Transaction['changed'];

export interface WriteInspection {
	/**
	 * Runs after the update was applied: corrections, conflicts, flags. Returns what
	 * to tell the writer. Given what the update changed, it looks only at that.
	 */
	finish(changed?: AppliedChanges): string[];
}

export const SERVER_POLICY_ORIGIN = { kind: 'server', reason: 'policy' } as const;

/** The values kept of fields no rule protects for this writer (most writers): none. Only ever read. */
const NOTHING_GUARDED: ReadonlyMap<string, unknown> = new Map();

/**
 * Looks at one incoming update before it is applied and, once applied, writes
 * the server's answer in one transaction: protected values put back, true
 * conflicts recorded with both values, who last wrote each field, and the
 * validation flags. The update itself is always applied, so every replica
 * converges on the server's corrected state.
 */
export function inspectWrite(
	doc: Y.Doc,
	docName: string,
	user: UserRecord,
	update: DecodedUpdate,
	origin: unknown,
	context: WriteGuardContext
): WriteInspection {
	const { kind } = parseDocName(docName);
	if (kind === 'stock') return guardStockCounters(doc, user, origin);
	if (kind === 'inbox') return inspectInboxWrite(doc, docName, user, SERVER_POLICY_ORIGIN);
	const rules = fieldRulesFor(kind, user.role);
	if (rules.readOnly) return undoEverything(doc, kind, origin);

	const hasFields = kind === 'account' || kind === 'visit' || kind === 'order';
	const writes: FieldWrites = hasFields ? analyseFieldWrites(doc, update) : { written: [], concurrent: [] };
	const fields = doc.getMap('fields');
	const guarded = [...rules.protectedFields, ...(rules.forbiddenStatuses.length > 0 ? ['status'] : [])];
	const fieldsBefore = guarded.length === 0 ? NOTHING_GUARDED : new Map(guarded.map((key) => [key, fields.get(key)]));
	const mapsBefore = new Map(rules.serverOnlyMaps.map((name) => [name, copyEntries(doc.getMap(name))]));
	const archivedBefore = kind === 'account' && fields.get('status') === 'archived';

	return {
		finish(changed) {
			const refusals: string[] = [];
			// Most updates leave the guard nothing to write: no transaction then (each costs its bookkeeping).
			const quiet =
				writes.written.length === 0 &&
				writes.concurrent.length === 0 &&
				!protectedChanged(doc, rules, fieldsBefore, changed) &&
				!serverMapsChanged(doc, mapsBefore, changed) &&
				!ruleFlagsOutdated(doc, kind, context.rules(), changed);
			if (quiet) return refusals;
			const now = context.now();
			doc.transact(() => {
				const reverted = restoreProtected(doc, rules, fieldsBefore, refusals);
				restoreServerMaps(doc, mapsBefore, refusals);
				recordConflicts(doc, writes, reverted, user, now);
				recordEdits(doc, writes, reverted, user, now);
				flagRuleBreaches(doc, kind, context.rules(), now);
			}, SERVER_POLICY_ORIGIN);
			const editedAfterArchive = writes.written.filter((f) => f !== 'status');
			if (archivedBefore && editedAfterArchive.length > 0) notifyArchived(doc, docName, user, context);
			return refusals;
		}
	};
}

function restoreProtected(doc: Y.Doc, rules: FieldRules, before: ReadonlyMap<string, unknown>, refusals: string[]): Set<string> {
	const fields = doc.getMap('fields');
	const reverted = new Set<string>();
	for (const [key, previous] of before) {
		const now = fields.get(key);
		if (!mayNotChange(rules, key, now, previous)) continue;
		if (previous === undefined) fields.delete(key);
		else fields.set(key, previous);
		reverted.add(key);
		refusals.push(
			key === 'status' && !rules.protectedFields.includes(key)
				? `status "${String(now)}" is set by the server only`
				: `${describeField(key)} can only be changed by a manager`
		);
	}
	return reverted;
}

/** Whether the writer changed `key` from `previous` to `now` where its role may not. */
function mayNotChange(rules: FieldRules, key: string, now: unknown, previous: unknown): boolean {
	if (sameValue(now, previous)) return false;
	return rules.protectedFields.includes(key) || (key === 'status' && rules.forbiddenStatuses.includes(String(now)));
}

/** The keys the update wrote in `map`; undefined when it did not touch it. */
function keysWritten(changed: AppliedChanges, map: Y.Map<unknown>): ReadonlySet<string | null> | undefined {
	// Yjs types its `changed` by the generic event type, which a map's own event type does not widen to.
	return changed.get(map as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>);
}

/**
 * A map's entries as they are now. Server-only maps are mostly empty, and this runs
 * for every update: an empty map is known from Yjs's own key table without building
 * its entry iterator.
 */
function copyEntries(map: Y.Map<unknown>): Map<string, unknown> {
	return map._map.size === 0 ? new Map() : new Map(map.entries());
}

/** Whether restoreProtected would put anything back. */
function protectedChanged(doc: Y.Doc, rules: FieldRules, before: ReadonlyMap<string, unknown>, changed: AppliedChanges | undefined): boolean {
	if (before.size === 0) return false;
	const fields = doc.getMap('fields');
	const written = changed && keysWritten(changed, fields);
	if (changed && !written) return false;
	for (const [key, previous] of before) {
		if (written && !written.has(key)) continue;
		if (mayNotChange(rules, key, fields.get(key), previous)) return true;
	}
	return false;
}

/** Whether restoreServerMaps would put anything back. */
function serverMapsChanged(doc: Y.Doc, before: Map<string, Map<string, unknown>>, changed: AppliedChanges | undefined): boolean {
	for (const [name, previous] of before) {
		const map = doc.getMap(name);
		if (changed && !keysWritten(changed, map)) continue;
		const now = copyEntries(map);
		if (now.size !== previous.size) return true;
		for (const [key, value] of previous) if (!now.has(key) || now.get(key) !== value) return true;
	}
	return false;
}

function restoreServerMaps(doc: Y.Doc, before: Map<string, Map<string, unknown>>, refusals: string[]): void {
	for (const [name, previous] of before) {
		const map = doc.getMap(name);
		let changed = false;
		for (const key of [...map.keys()]) {
			if (!previous.has(key)) {
				map.delete(key);
				changed = true;
			}
		}
		for (const [key, value] of previous) {
			if (map.get(key) !== value) {
				map.set(key, value instanceof Y.AbstractType ? value.toJSON() : value);
				changed = true;
			}
		}
		if (changed) refusals.push(`${name} is written by the server only`);
	}
}

function recordConflicts(doc: Y.Doc, writes: FieldWrites, reverted: Set<string>, user: UserRecord, now: string): void {
	const edits = doc.getMap(EDITS_MAP);
	for (const write of writes.concurrent) {
		if (reverted.has(write.field) || sameValue(write.current.value, write.incoming.value)) continue;
		// A diff carries no content for a value already overwritten on the sender; the
		// device sends its waiting edits as made on reconnect, and that copy is recorded.
		if (write.incoming.value === undefined) continue;
		const previous = edits.get(write.field) as EditRecord | undefined;
		const theirs = { value: write.current.value as Scalar, by: previous?.by ?? 'unknown', at: previous?.at ?? now };
		const mine = { value: write.incoming.value as Scalar, by: user.id, at: now };
		const open = listConflicts(doc, { status: 'open' }).find((c) => c.field === write.field);
		if (open) {
			const values = [...open.values];
			for (const v of [theirs, mine]) if (!values.some((x) => sameValue(x.value, v.value))) values.push(v);
			recordConflict(doc, { id: open.id, field: write.field, values });
		} else {
			recordConflict(doc, { field: write.field, values: [theirs, mine] });
		}
	}
}

function recordEdits(doc: Y.Doc, writes: FieldWrites, reverted: Set<string>, user: UserRecord, now: string): void {
	const edits = doc.getMap(EDITS_MAP);
	for (const field of writes.written) {
		if (!reverted.has(field)) edits.set(field, { by: user.id, name: user.displayName, at: now } satisfies EditRecord);
	}
}

/**
 * Whether flagRuleBreaches would set or clear anything. Rules read `fields` and
 * flags live in `attention`: an update touching neither leaves them as they were
 * (a change of the rules themselves re-flags every loaded document).
 */
function ruleFlagsOutdated(doc: Y.Doc, kind: string, rules: readonly ValidationRule[], changed: AppliedChanges | undefined): boolean {
	if (changed && !keysWritten(changed, doc.getMap('fields')) && !keysWritten(changed, attentionMap(doc))) return false;
	const findings = evaluateRules(kind, doc, rules);
	const current = listAttention(doc);
	if (current.some((entry) => !findings.has(entry.ruleId))) return true;
	for (const [ruleId, finding] of findings) {
		const entry = current.find((e) => e.ruleId === ruleId);
		if (!entry || entry.field !== finding.field || entry.message !== finding.message) return true;
	}
	return false;
}

/** Sets and clears `attention` entries so they say exactly what is wrong now. */
export function flagRuleBreaches(doc: Y.Doc, kind: string, rules: readonly ValidationRule[], now: string): void {
	const findings = evaluateRules(kind, doc, rules);
	for (const entry of listAttention(doc)) if (!findings.has(entry.ruleId)) clearAttention(doc, entry.ruleId);
	for (const [ruleId, finding] of findings) setAttention(doc, ruleId, { field: finding.field, message: finding.message, at: now });
}

function notifyArchived(doc: Y.Doc, docName: string, user: UserRecord, context: WriteGuardContext): void {
	const fields = doc.getMap('fields');
	const archivedBy = (doc.getMap(EDITS_MAP).get('status') as EditRecord | undefined)?.name ?? 'the office';
	context.notify(user.id, {
		kind: 'archived-while-editing',
		title: `${String(fields.get('name') ?? docName)} was archived`,
		body: `${archivedBy} archived this account while you were editing it. Your changes were kept.`
	});
}

/** For documents a user may not change at all: the whole update is reverted. */
function undoEverything(doc: Y.Doc, kind: string, origin: unknown, keep: readonly string[] = []): WriteInspection {
	// Catalog and stock hold only maps at the root. Typed as maps here: the untyped
	// placeholders a loaded document starts with are not tracked by an UndoManager.
	const scope = [...doc.share.keys()].filter((name) => !keep.includes(name)).map((name) => doc.getMap(name));
	const undo = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
	return {
		finish() {
			const changed = undo.undoStack.length > 0;
			undo.undo();
			undo.destroy();
			return changed ? [`${kind} documents are maintained by the office`] : [];
		}
	};
}

/**
 * Stock is the server's, for every role: on-hand, allocations and vans move only
 * through the stock ledger. A device may only raise its own counter entries
 * (stock-counters.ts): keys under its user's id, never lowered. Anything else is
 * put back, so the writer's replica converges on the server's figures.
 */
function guardStockCounters(doc: Y.Doc, user: UserRecord, origin: unknown): WriteInspection {
	const others = undoEverything(doc, 'stock', origin, DEVICE_COUNTER_MAPS);
	const before = new Map(DEVICE_COUNTER_MAPS.map((name) => [name, copyEntries(doc.getMap(name))]));
	return {
		finish() {
			const refusals = others.finish();
			let refusedCounter = false;
			doc.transact(() => {
				for (const [name, previous] of before) {
					const map = doc.getMap(name);
					const keys = new Set([...previous.keys(), ...map.keys()]);
					for (const key of keys) {
						const was = previous.get(key);
						const now = map.get(key);
						if (was === now) continue;
						if (parseCounterKey(key)?.userId === user.id && isCounterRaise(was, now)) continue;
						if (was === undefined) map.delete(key);
						else map.set(key, was);
						refusedCounter = true;
					}
				}
			}, SERVER_POLICY_ORIGIN);
			if (refusedCounter) refusals.push('stock counters may only be raised by the device that owns them');
			return refusals;
		}
	};
}
