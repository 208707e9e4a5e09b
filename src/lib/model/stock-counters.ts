import type * as Y from 'yjs';
import { readOnHand } from './stock';
import { asNumber, assertInteger } from './values';

/**
 * Reservation counters of a `stock:<warehouseId>` document.
 *
 * Submitting an order offline must lower the stock a device shows at once, and
 * concurrent submissions on other devices must all count when the replicas merge.
 * A shared "remaining" number would lose all but one of concurrent decrements
 * (a Y.Map key is last-write-wins), so stock is never decremented in place.
 * Instead every quantity is a grow-only counter split into per-writer entries:
 *
 * - `Y.Map('reservations')`: `<writer>|<sku>` → cumulative quantity that writer
 *   has reserved by submitting orders. A writer is one device of one user
 *   (`<userId>.<deviceId>`), and only that device ever sets its own keys, always
 *   to a larger number. With one writer per key there are no concurrent writes
 *   to resolve, so merging replicas in any order, any number of times, keeps
 *   every increment. Keys are flat rather than a nested map per writer because
 *   two replicas creating the same nested map would race, and one map would win.
 * - `Y.Map('reconciled')`: the same keys → cumulative quantity the server has
 *   settled (reconciled or cancelled) out of that writer's reservations. Only the
 *   server writes it, as absolute totals taken from its ledger, so a rewrite
 *   after a restart or a duplicate message is a no-op.
 * - `Y.Map('allocated')`: sku → quantity confirmed on live orders, server only.
 *
 * What a device shows: available = onHand − allocated − Σ over writers of
 * max(0, reserved − reconciled). Everyone's unsettled reservations are
 * subtracted, not only this device's, since they are already in the document and
 * make the shown figure more cautious, never less. A reservation is never taken
 * back by its device (that would need a decrement): cancelling a submitted order
 * is settled by the server instead, which moves the order into `reconciled`.
 *
 * `onHand` stays a plain number because only the server writes it: office
 * receipts and adjustments go through the server's stock ledger, which applies
 * them one at a time, and the result reaches devices as any other sync.
 */

export const RESERVATIONS_MAP = 'reservations';
export const RECONCILED_MAP = 'reconciled';
export const ALLOCATED_MAP = 'allocated';

const WRITER_SEPARATOR = '.';
const KEY_SEPARATOR = '|';
const URL_SAFE_ID = /^[A-Za-z0-9_-]+$/;

export function stockReservations(doc: Y.Doc): Y.Map<number> {
	return doc.getMap<number>(RESERVATIONS_MAP);
}

export function stockReconciled(doc: Y.Doc): Y.Map<number> {
	return doc.getMap<number>(RECONCILED_MAP);
}

export function stockAllocated(doc: Y.Doc): Y.Map<number> {
	return doc.getMap<number>(ALLOCATED_MAP);
}

/** The id a device writes its counter entries under; both parts are URL-safe ids. */
export function counterWriter(userId: string, deviceId: string): string {
	if (!URL_SAFE_ID.test(userId)) throw new RangeError(`invalid user id for a stock counter: ${JSON.stringify(userId)}`);
	if (!URL_SAFE_ID.test(deviceId)) throw new RangeError(`invalid device id for a stock counter: ${JSON.stringify(deviceId)}`);
	return `${userId}${WRITER_SEPARATOR}${deviceId}`;
}

export function counterKey(writer: string, sku: string): string {
	if (writer.length === 0 || writer.includes(KEY_SEPARATOR)) throw new RangeError(`invalid counter writer: ${JSON.stringify(writer)}`);
	return `${writer}${KEY_SEPARATOR}${sku}`;
}

export interface CounterKey {
	writer: string;
	/** The user part of the writer, so the server can check a key belongs to who wrote it. */
	userId: string;
	sku: string;
}

/** Undefined for a key not in the `<userId>.<deviceId>|<sku>` shape. */
export function parseCounterKey(key: string): CounterKey | undefined {
	const split = key.indexOf(KEY_SEPARATOR);
	if (split <= 0) return undefined;
	const writer = key.slice(0, split);
	const sku = key.slice(split + 1);
	const dot = writer.indexOf(WRITER_SEPARATOR);
	if (dot <= 0 || sku.length === 0) return undefined;
	const userId = writer.slice(0, dot);
	const deviceId = writer.slice(dot + 1);
	if (!URL_SAFE_ID.test(userId) || !URL_SAFE_ID.test(deviceId)) return undefined;
	return { writer, userId, sku };
}

/** A counter entry as merged: anything but a non-negative integer counts as nothing. */
function counterValue(value: unknown): number {
	const n = asNumber(value);
	return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * Adds this device's reservations (sku → quantity) in one transaction, e.g. for
 * the lines of an order being submitted. Only ever called with the device's own
 * writer id: that is what makes the counters merge without loss.
 */
export function reserveStock(doc: Y.Doc, writer: string, quantities: Record<string, number>): void {
	for (const [sku, qty] of Object.entries(quantities)) {
		assertInteger(qty, 'reserved quantity');
		if (qty < 0) throw new RangeError(`reserved quantity must not be negative, got ${qty} for ${sku}`);
	}
	const reservations = stockReservations(doc);
	doc.transact(() => {
		for (const [sku, qty] of Object.entries(quantities)) {
			if (qty === 0) continue;
			const key = counterKey(writer, sku);
			reservations.set(key, counterValue(reservations.get(key)) + qty);
		}
	});
}

/** Per-key cumulative totals of one counter map, unparseable keys left out. */
function readCounterMap(map: Y.Map<number>): Map<string, { key: CounterKey; value: number }> {
	const out = new Map<string, { key: CounterKey; value: number }>();
	for (const [raw, value] of map.entries()) {
		const key = parseCounterKey(raw);
		if (key) out.set(raw, { key, value: counterValue(value) });
	}
	return out;
}

export function readReservations(doc: Y.Doc): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [raw, { value }] of readCounterMap(stockReservations(doc))) out[raw] = value;
	return out;
}

/** Reservations the server has not settled yet, per sku, for one writer or for everyone. */
export function unreconciledBySku(doc: Y.Doc, writer?: string): Record<string, number> {
	const reconciled = readCounterMap(stockReconciled(doc));
	const out: Record<string, number> = {};
	for (const [raw, { key, value }] of readCounterMap(stockReservations(doc))) {
		if (writer !== undefined && key.writer !== writer) continue;
		// A writer's settled total can run ahead of what this replica has seen of its
		// reservations; that writer then has nothing pending, not a negative amount.
		const pending = Math.max(0, value - (reconciled.get(raw)?.value ?? 0));
		if (pending > 0) out[key.sku] = (out[key.sku] ?? 0) + pending;
	}
	return out;
}

export function readAllocated(doc: Y.Doc): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [sku, value] of stockAllocated(doc).entries()) out[sku] = counterValue(value);
	return out;
}

/** What a device may still sell of one sku; never below zero. */
export function availableStock(doc: Y.Doc, sku: string): number {
	const allocated = counterValue(stockAllocated(doc).get(sku));
	const pending = unreconciledBySku(doc)[sku] ?? 0;
	return Math.max(0, readOnHand(doc, sku) - allocated - pending);
}

/** Every sku that is stocked, allocated or reserved → available. */
export function availableBySku(doc: Y.Doc): Record<string, number> {
	const onHand = readOnHand(doc);
	const allocated = readAllocated(doc);
	const pending = unreconciledBySku(doc);
	const skus = new Set([...Object.keys(onHand), ...Object.keys(allocated), ...Object.keys(pending)]);
	const out: Record<string, number> = {};
	for (const sku of skus) out[sku] = Math.max(0, (onHand[sku] ?? 0) - (allocated[sku] ?? 0) - (pending[sku] ?? 0));
	return out;
}

/**
 * Server only. Publishes the ledger's totals: settled reservations per counter key
 * and allocated quantity per sku. Absolute values, written only where they differ,
 * so publishing the same ledger state twice changes nothing.
 */
export function publishSettlement(
	doc: Y.Doc,
	totals: { reconciled: Record<string, number>; allocated: Record<string, number> }
): void {
	const reconciled = stockReconciled(doc);
	const allocated = stockAllocated(doc);
	doc.transact(() => {
		for (const [key, value] of Object.entries(totals.reconciled)) {
			assertInteger(value, 'reconciled quantity');
			if (reconciled.get(key) !== value) reconciled.set(key, value);
		}
		for (const [sku, value] of Object.entries(totals.allocated)) {
			assertInteger(value, 'allocated quantity');
			if (allocated.get(sku) !== value) allocated.set(sku, value);
		}
	});
}
