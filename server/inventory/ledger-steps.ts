import type { Allocation } from '../../src/lib/model/order';
import { counterKey } from '../../src/lib/model/stock-counters';
import { orderStatus, ReconcileInputError, reconcileOrder, type ReconcileLine } from './reconcile-order';
import {
	StockLedgerError,
	type CancelRequest,
	type CancelResult,
	type LedgerReconcileResult,
	type ReconcileRequest,
	type VanRequest
} from './stock-ledger';

/**
 * Every ledger step as a pure function: from the figures it reads (a LedgerView of
 * the skus it touches) to the changes it makes (LedgerWrites). Implementations
 * load the view, call the step and apply the writes inside one transaction, so
 * the rules live here once and the storage code stays dumb.
 */

export interface StoredOrder {
	userId: string | null;
	writer: string | null;
	lines: ReconcileLine[];
	allocation: Record<string, Allocation>;
	cancelled: boolean;
}

export interface VanFigures {
	granted: number;
	returned: number;
	used: number;
}

/** What a step reads: figures of the skus it touches, of one warehouse. */
export interface LedgerView {
	onHand: Record<string, number>;
	/** Confirmed on live orders. */
	allocated: Record<string, number>;
	/** Units in every rep's van together (held out of free stock). */
	escrow: Record<string, number>;
	/** The step's rep's van, per sku. */
	van: Record<string, VanFigures>;
	/** The step's order as recorded, if the ledger has seen it. */
	order?: StoredOrder;
}

/** What a step changes; quantities are deltas, `order` is written whole. */
export interface LedgerWrites {
	allocatedAdd: Record<string, number>;
	/** Deltas of the step's rep's van, per sku. */
	vanAdd: Record<string, VanFigures>;
	reconciledAdd: Record<string, number>;
	vanSettledAdd: Record<string, number>;
	order?: StoredOrder;
}

export function noWrites(): LedgerWrites {
	return { allocatedAdd: {}, vanAdd: {}, reconciledAdd: {}, vanSettledAdd: {} };
}

export function vanRemaining(van: VanFigures | undefined): number {
	return van ? van.granted - van.returned - van.used : 0;
}

export function assertQuantity(qty: number, what: string, warehouse: string): void {
	if (!Number.isInteger(qty) || qty < 0) throw new StockLedgerError(`${what} must be a non-negative integer, got ${qty}`, warehouse);
}

function add(record: Record<string, number>, key: string, delta: number): void {
	if (delta !== 0) record[key] = (record[key] ?? 0) + delta;
}

function addVan(writes: LedgerWrites, sku: string, delta: Partial<VanFigures>): void {
	const entry = (writes.vanAdd[sku] ??= { granted: 0, returned: 0, used: 0 });
	entry.granted += delta.granted ?? 0;
	entry.returned += delta.returned ?? 0;
	entry.used += delta.used ?? 0;
}

/** The skus a request's lines touch: what an implementation loads into the view. */
export function skusOf(lines: readonly ReconcileLine[]): string[] {
	return [...new Set(lines.map((line) => line.sku))];
}

function plainLines(lines: readonly ReconcileLine[]): ReconcileLine[] {
	return lines.map((line) => ({ id: line.id, sku: line.sku, qty: line.qty, ...(line.fromVan ? { fromVan: line.fromVan } : {}) }));
}

/** Units of a line the device said came from the van, within the line. */
function vanClaim(line: ReconcileLine): number {
	return Math.min(line.fromVan ?? 0, line.qty);
}

/**
 * Settles what the submitting device counted when it submitted: the general part
 * of each line in its reservations, the van part in its van usage. Worked out
 * before anything moves, so a bad writer id changes nothing.
 */
function settle(writes: LedgerWrites, writer: string | undefined, lines: readonly ReconcileLine[], warehouse: string): void {
	for (const line of lines) assertQuantity(line.qty, `quantity of line ${line.id}`, warehouse);
	if (writer === undefined) return;
	for (const line of lines) {
		let key: string;
		try {
			key = counterKey(writer, line.sku);
		} catch (error) {
			throw new StockLedgerError(error instanceof Error ? error.message : String(error), warehouse);
		}
		add(writes.reconciledAdd, key, line.qty - vanClaim(line));
		add(writes.vanSettledAdd, key, vanClaim(line));
	}
}

export function reconcileStep(view: LedgerView, request: ReconcileRequest): { result: LedgerReconcileResult; writes: LedgerWrites } {
	const known = view.order;
	if (known) {
		// The first decision stands, over the lines it was made for, even if a
		// re-sent copy of the order carries different lines.
		return {
			result: {
				allocation: structuredClone(known.allocation),
				status: orderStatus(known.lines, known.allocation),
				newlyConfirmed: {},
				fromVan: {},
				fresh: false,
				cancelled: known.cancelled
			},
			writes: noWrites()
		};
	}
	const writes = noWrites();
	settle(writes, request.writer, request.lines, request.warehouse);
	const van: Record<string, number> = {};
	if (request.userId !== undefined) for (const [sku, figures] of Object.entries(view.van)) van[sku] = vanRemaining(figures);
	let decided;
	try {
		decided = reconcileOrder({ lines: request.lines, onHand: view.onHand, allocated: view.allocated, escrow: view.escrow, van, at: request.at });
	} catch (error) {
		if (error instanceof ReconcileInputError) throw new StockLedgerError(error.message, request.warehouse, request.orderId);
		throw error;
	}
	for (const [sku, qty] of Object.entries(decided.newlyConfirmed)) add(writes.allocatedAdd, sku, qty);
	for (const [sku, qty] of Object.entries(decided.fromVan)) addVan(writes, sku, { used: qty });
	writes.order = {
		userId: request.userId ?? null,
		writer: request.writer ?? null,
		lines: plainLines(request.lines),
		allocation: decided.allocation,
		cancelled: false
	};
	return { result: { ...decided, allocation: structuredClone(decided.allocation), fresh: true, cancelled: false }, writes };
}

export function cancelStep(view: LedgerView, request: CancelRequest): { result: CancelResult; writes: LedgerWrites } {
	const known = view.order;
	const writes = noWrites();
	if (known?.cancelled) return { result: { returned: {}, fresh: false }, writes };
	if (!known) {
		// Never decided: record it as decided-and-cancelled so a late duplicate of
		// the submission cannot take stock, and settle the device's counters.
		settle(writes, request.writer, request.lines, request.warehouse);
		writes.order = { userId: request.userId ?? null, writer: request.writer ?? null, lines: plainLines(request.lines), allocation: {}, cancelled: true };
		return { result: { returned: {}, fresh: true }, writes };
	}
	const returned: Record<string, number> = {};
	for (const line of known.lines) {
		const allocation = known.allocation[line.id];
		const confirmed = allocation?.confirmed ?? 0;
		if (confirmed === 0) continue;
		add(returned, line.sku, confirmed);
		add(writes.allocatedAdd, line.sku, -confirmed);
		// Van units never left the van: they go back into it, not to the warehouse.
		if (allocation?.fromVan && known.userId !== null) addVan(writes, line.sku, { used: -allocation.fromVan });
	}
	writes.order = { ...known, cancelled: true };
	return { result: { returned, fresh: true }, writes };
}

function freeStock(view: LedgerView, sku: string): number {
	return Math.max(0, (view.onHand[sku] ?? 0) - (view.allocated[sku] ?? 0) - (view.escrow[sku] ?? 0));
}

export function grantVanStep(view: LedgerView, request: VanRequest): { result: number; writes: LedgerWrites } {
	assertQuantity(request.qty, 'van quantity', request.warehouse);
	const free = freeStock(view, request.sku);
	if (request.qty > free) {
		throw new StockLedgerError(`only ${free} of ${request.sku} are free in ${request.warehouse}; cannot load ${request.qty} into a van`, request.warehouse);
	}
	const writes = noWrites();
	addVan(writes, request.sku, { granted: request.qty });
	return { result: vanRemaining(view.van[request.sku]) + request.qty, writes };
}

export function returnVanStep(view: LedgerView, request: VanRequest): { result: number; writes: LedgerWrites } {
	assertQuantity(request.qty, 'van quantity', request.warehouse);
	const moved = Math.min(request.qty, Math.max(0, vanRemaining(view.van[request.sku])));
	const writes = noWrites();
	addVan(writes, request.sku, { returned: moved });
	return { result: moved, writes };
}
