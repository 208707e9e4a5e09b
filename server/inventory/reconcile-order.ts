import type { Allocation, OrderStatus } from '../../src/lib/model/order';
export { describeAllocation } from '../../src/lib/model/order';

/**
 * Deciding one submitted order against stock, over plain data so the ledger can run
 * it inside its own transaction. The caller decides the policy (which order goes
 * first); this function only ever sees "what is left now".
 *
 * Van stock: units granted to a rep are held out of the warehouse's free stock
 * (escrow), so only that rep can take them. A line's `fromVan` is how much the
 * device confirmed offline from the rep's van; that part is taken from the rep's
 * escrow first, which the device never promises beyond, and only the rest competes
 * for free stock.
 */

export interface ReconcileLine {
	id: string;
	sku: string;
	qty: number;
	/** Units of this line the device confirmed from the rep's van stock (0..qty). */
	fromVan?: number;
}

export interface ReconcileInput {
	lines: readonly ReconcileLine[];
	/** sku → physical count in the order's warehouse. */
	onHand: Readonly<Record<string, number>>;
	/** sku → quantity already confirmed on other live orders of that warehouse. */
	allocated: Readonly<Record<string, number>>;
	/** sku → units held in every rep's van (escrow), not free for anyone else. */
	escrow?: Readonly<Record<string, number>>;
	/** sku → what is left of this order's rep's own van stock (part of `escrow`). */
	van?: Readonly<Record<string, number>>;
	/** lineId → allocation this order already has; those lines are never decided twice. */
	existing?: Readonly<Record<string, Allocation>>;
	/** ISO-8601 UTC time written into new allocations. */
	at: string;
}

export type ReconciledStatus = Extract<OrderStatus, 'confirmed' | 'partially_confirmed' | 'rejected'>;

export interface ReconcileResult {
	/** lineId → allocation for every line, existing ones unchanged. */
	allocation: Record<string, Allocation>;
	status: ReconciledStatus;
	/** sku → quantity this run newly confirmed; all zero when the order was already decided. */
	newlyConfirmed: Record<string, number>;
	/** sku → part of `newlyConfirmed` taken from the rep's van stock. */
	fromVan: Record<string, number>;
}

export const REASON_OUT_OF_STOCK = 'out_of_stock';
export const REASON_INSUFFICIENT_STOCK = 'insufficient_stock';

/** A line no reconciliation can account for; such orders belong to validation, not to stock. */
export class ReconcileInputError extends Error {
	constructor(
		message: string,
		readonly lineId: string
	) {
		super(message);
		this.name = 'ReconcileInputError';
	}
}

function assertLines(lines: readonly ReconcileLine[]): void {
	const seen = new Set<string>();
	for (const line of lines) {
		if (!Number.isInteger(line.qty) || line.qty < 0) {
			throw new ReconcileInputError(`line ${line.id} has quantity ${line.qty}; quantities are non-negative integers`, line.id);
		}
		if (line.sku.length === 0) throw new ReconcileInputError(`line ${line.id} has no sku`, line.id);
		if (line.fromVan !== undefined && (!Number.isInteger(line.fromVan) || line.fromVan < 0)) {
			throw new ReconcileInputError(`line ${line.id} claims ${line.fromVan} from the van; claims are non-negative integers`, line.id);
		}
		if (seen.has(line.id)) throw new ReconcileInputError(`line id ${line.id} appears twice`, line.id);
		seen.add(line.id);
	}
}

function count(record: Readonly<Record<string, number>>, sku: string): number {
	const value = record[sku];
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function reconcileOrder(input: ReconcileInput): ReconcileResult {
	assertLines(input.lines);
	const existing = input.existing ?? {};
	// Stock already confirmed beyond on-hand (after a downward count) leaves nothing,
	// rather than a negative amount that would swallow later receipts twice.
	const left = new Map<string, number>();
	const available = (sku: string): number => {
		const known = left.get(sku);
		if (known !== undefined) return known;
		const fresh = Math.max(0, count(input.onHand, sku) - count(input.allocated, sku) - count(input.escrow ?? {}, sku));
		left.set(sku, fresh);
		return fresh;
	};
	const vanLeft = new Map<string, number>();
	const inVan = (sku: string): number => vanLeft.get(sku) ?? Math.max(0, count(input.van ?? {}, sku));

	const allocation: Record<string, Allocation> = {};
	const newlyConfirmed: Record<string, number> = {};
	const fromVan: Record<string, number> = {};
	for (const line of input.lines) {
		const already = existing[line.id];
		if (already) {
			allocation[line.id] = { ...already };
			continue;
		}
		const vanPart = Math.min(Math.min(line.fromVan ?? 0, line.qty), inVan(line.sku));
		vanLeft.set(line.sku, inVan(line.sku) - vanPart);
		const free = available(line.sku);
		const general = Math.min(line.qty - vanPart, free);
		left.set(line.sku, free - general);
		const confirmed = vanPart + general;
		newlyConfirmed[line.sku] = (newlyConfirmed[line.sku] ?? 0) + confirmed;
		if (vanPart > 0) fromVan[line.sku] = (fromVan[line.sku] ?? 0) + vanPart;
		allocation[line.id] = {
			confirmed,
			backordered: line.qty - confirmed,
			reason: reasonFor(line.qty, confirmed),
			at: input.at,
			...(vanPart > 0 ? { fromVan: vanPart } : {})
		};
	}
	return { allocation, status: orderStatus(input.lines, allocation), newlyConfirmed, fromVan };
}

function reasonFor(qty: number, confirmed: number): string | null {
	if (confirmed === qty) return null;
	return confirmed === 0 ? REASON_OUT_OF_STOCK : REASON_INSUFFICIENT_STOCK;
}

/** An order with nothing confirmed is rejected, including one with nothing ordered. */
export function orderStatus(lines: readonly ReconcileLine[], allocation: Readonly<Record<string, Allocation>>): ReconciledStatus {
	let ordered = 0;
	let confirmed = 0;
	for (const line of lines) {
		ordered += line.qty;
		confirmed += allocation[line.id]?.confirmed ?? 0;
	}
	if (confirmed === 0) return 'rejected';
	return confirmed === ordered ? 'confirmed' : 'partially_confirmed';
}
