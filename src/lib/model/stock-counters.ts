import type * as Y from 'yjs';
import { readOnHand, stockOnHand } from './stock';
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
 * - `Y.Map('allocated')`: sku → quantity no device may sell from the warehouse:
 *   confirmed on live orders plus what is loaded in reps' vans. Server only.
 *
 * Van stock (escrow) works the same way. The server publishes
 * `Y.Map('vanQuota')`: `<userId>|<sku>` → units left in that rep's van after every
 * van sale it has settled. A device that sells from the van raises its own
 * `Y.Map('vanUsed')` entry (same keys and rule as `reservations`), and the server
 * publishes what it settled of it in `Y.Map('vanSettled')`. What the rep may still
 * promise offline = vanQuota − Σ over the rep's writers of max(0, used − settled).
 * The server always honours those promises: the units were taken out of free
 * stock when the van was loaded, and only that rep's orders draw on them.
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
export const VAN_QUOTA_MAP = 'vanQuota';
export const VAN_USED_MAP = 'vanUsed';
export const VAN_SETTLED_MAP = 'vanSettled';
/** The maps a device writes, each only under its own writer's keys. */
export const DEVICE_COUNTER_MAPS = [RESERVATIONS_MAP, VAN_USED_MAP] as const;

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
	raiseCounters(doc.getMap<number>(RESERVATIONS_MAP), writer, quantities);
}

/** Records units this device promised from the rep's van (see vanLeft). */
export function useVanStock(doc: Y.Doc, writer: string, quantities: Record<string, number>): void {
	raiseCounters(doc.getMap<number>(VAN_USED_MAP), writer, quantities);
}

function raiseCounters(map: Y.Map<number>, writer: string, quantities: Record<string, number>): void {
	for (const [sku, qty] of Object.entries(quantities)) {
		assertInteger(qty, 'counted quantity');
		if (qty < 0) throw new RangeError(`counted quantity must not be negative, got ${qty} for ${sku}`);
	}
	const doc = map.doc;
	if (!doc) throw new Error('counter map is not in a document');
	doc.transact(() => {
		for (const [sku, qty] of Object.entries(quantities)) {
			if (qty === 0) continue;
			const key = counterKey(writer, sku);
			map.set(key, counterValue(map.get(key)) + qty);
		}
	});
}

/** Whether `next` is a legal write of a device counter entry over `previous`: never lower. */
export function isCounterRaise(previous: unknown, next: unknown): boolean {
	return typeof next === 'number' && Number.isInteger(next) && next >= 0 && next >= counterValue(previous);
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
	return unsettled(doc, RESERVATIONS_MAP, RECONCILED_MAP, (key) => writer === undefined || key.writer === writer);
}

function unsettled(doc: Y.Doc, counted: string, settled: string, include: (key: CounterKey) => boolean): Record<string, number> {
	const reconciled = readCounterMap(doc.getMap<number>(settled));
	const out: Record<string, number> = {};
	for (const [raw, { key, value }] of readCounterMap(doc.getMap<number>(counted))) {
		if (!include(key)) continue;
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

/** `<userId>|<sku>`: the key of a rep's van content in `vanQuota`. */
export function vanQuotaKey(userId: string, sku: string): string {
	return `${userId}${KEY_SEPARATOR}${sku}`;
}

/** The rep and sku of a vanQuotaKey: user ids are URL-safe, so the first `|` ends it (a sku may hold `|`). */
export function splitVanQuotaKey(key: string): { userId: string; sku: string } {
	const split = key.indexOf(KEY_SEPARATOR);
	return { userId: key.slice(0, split), sku: key.slice(split + 1) };
}

/** What a rep may still promise from the van, offline, on this device: never below zero. */
export function vanLeft(doc: Y.Doc, userId: string, sku: string): number {
	const quota = counterValue(doc.getMap<number>(VAN_QUOTA_MAP).get(vanQuotaKey(userId, sku)));
	const promised = unsettled(doc, VAN_USED_MAP, VAN_SETTLED_MAP, (key) => key.userId === userId)[sku] ?? 0;
	return Math.max(0, quota - promised);
}

/** sku → what the rep may still promise from the van; only skus with something left. */
export function vanLeftBySku(doc: Y.Doc, userId: string): Record<string, number> {
	const prefix = `${userId}${KEY_SEPARATOR}`;
	const out: Record<string, number> = {};
	for (const key of doc.getMap<number>(VAN_QUOTA_MAP).keys()) {
		if (!key.startsWith(prefix)) continue;
		const sku = key.slice(prefix.length);
		const left = vanLeft(doc, userId, sku);
		if (left > 0) out[sku] = left;
	}
	return out;
}

export interface SettlementTotals {
	onHand?: Record<string, number>;
	reconciled: Record<string, number>;
	/** sku → units no device may sell from the warehouse (live confirmed + vans). */
	allocated: Record<string, number>;
	vanQuota?: Record<string, number>;
	vanSettled?: Record<string, number>;
}

/**
 * Server only. Publishes the ledger's totals. Absolute values, written only where
 * they differ, so publishing the same ledger state twice changes nothing.
 */
export function publishSettlement(doc: Y.Doc, totals: SettlementTotals): void {
	doc.transact(() => {
		writeAbsolute(stockOnHand(doc), totals.onHand ?? {}, 'on-hand quantity');
		writeAbsolute(stockReconciled(doc), totals.reconciled, 'reconciled quantity');
		writeAbsolute(stockAllocated(doc), totals.allocated, 'allocated quantity');
		writeAbsolute(doc.getMap<number>(VAN_QUOTA_MAP), totals.vanQuota ?? {}, 'van quantity');
		writeAbsolute(doc.getMap<number>(VAN_SETTLED_MAP), totals.vanSettled ?? {}, 'settled van quantity');
	});
}

function writeAbsolute(map: Y.Map<number>, values: Record<string, number>, what: string): void {
	for (const [key, value] of Object.entries(values)) {
		assertInteger(value, what);
		if (map.get(key) !== value) map.set(key, value);
	}
}
