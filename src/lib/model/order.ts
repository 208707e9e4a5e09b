import * as Y from 'yjs';
import { initMeta } from './meta';
import { findRecord, indexOfRecord, recordMap, recordMaps, sameValue, setChanged } from './records';
import { asNullableString, asNumber, asOneOf, asString, assertInteger, isPlainObject, newId } from './values';

export const ORDER_STATUSES = ['draft', 'submitted', 'confirmed', 'partially_confirmed', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses only the server sets, once it has reconciled the order against stock. */
export const SERVER_ORDER_STATUSES = ['confirmed', 'partially_confirmed', 'rejected'] as const satisfies readonly OrderStatus[];

export interface OrderFields {
	accountId: string;
	repId: string;
	/** ISO-8601 UTC. */
	createdAt: string;
	status: OrderStatus;
	warehouse: string;
	priceList: string;
	poNumber: string | null;
	/**
	 * The stock counter writer (`<userId>.<deviceId>`) that reserved this order's
	 * units on submit, so the server settles that device's reservations; absent on
	 * orders submitted without reserving.
	 */
	reservedBy?: string | null;
}

export interface OrderLine {
	id: string;
	sku: string;
	qty: number;
	/** Cents, copied from the catalog when the line was added. */
	unitPrice: number;
	/** Units the device confirmed from the rep's van stock when submitting (see stock-counters.ts). */
	fromVan?: number;
}

export type OrderLineInit = Omit<OrderLine, 'id'> & { id?: string };

/** The server's answer for one line; only the server writes these. */
export interface Allocation {
	confirmed: number;
	backordered: number;
	reason: string | null;
	at: string;
	/** Part of `confirmed` taken from the rep's van stock; absent when none. */
	fromVan?: number;
}

export interface Order extends OrderFields {
	lines: OrderLine[];
	/** lineId → allocation; lines the server has not reconciled yet are absent. */
	allocation: Record<string, Allocation>;
}

export type OrderInit = Partial<OrderFields> &
	Pick<OrderFields, 'accountId' | 'repId' | 'createdAt' | 'warehouse' | 'priceList'> & {
		lines?: OrderLineInit[];
	};

export function orderFields(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('fields');
}

export function orderLines(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>('lines');
}

export function orderAllocation(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('allocation');
}

export function createOrder(doc: Y.Doc, init: OrderInit): void {
	const { lines, ...fields } = init;
	const complete: OrderFields = { status: 'draft', poNumber: null, ...fields };
	doc.transact(() => {
		initMeta(doc, 'order');
		setChanged(orderFields(doc), { ...complete });
		for (const line of lines ?? []) addOrderLine(doc, line);
	});
}

export function readOrderFields(doc: Y.Doc): OrderFields {
	const map = orderFields(doc);
	return {
		accountId: asString(map.get('accountId')),
		repId: asString(map.get('repId')),
		createdAt: asString(map.get('createdAt')),
		status: asOneOf(map.get('status'), ORDER_STATUSES, 'draft'),
		warehouse: asString(map.get('warehouse')),
		priceList: asString(map.get('priceList')),
		poNumber: asNullableString(map.get('poNumber')),
		...(typeof map.get('reservedBy') === 'string' ? { reservedBy: map.get('reservedBy') as string } : {})
	};
}

function readLine(map: Y.Map<unknown>): OrderLine {
	const fromVan = asNumber(map.get('fromVan'));
	return {
		id: asString(map.get('id')),
		sku: asString(map.get('sku')),
		qty: asNumber(map.get('qty')),
		unitPrice: asNumber(map.get('unitPrice')),
		...(fromVan > 0 ? { fromVan } : {})
	};
}

export function readOrderLines(doc: Y.Doc): OrderLine[] {
	return recordMaps(orderLines(doc)).map(readLine);
}

function toAllocation(value: unknown): Allocation | undefined {
	if (!isPlainObject(value)) return undefined;
	const fromVan = asNumber(value.fromVan);
	return {
		confirmed: asNumber(value.confirmed),
		backordered: asNumber(value.backordered),
		reason: asNullableString(value.reason),
		at: asString(value.at),
		...(fromVan > 0 ? { fromVan } : {})
	};
}

export function readAllocation(doc: Y.Doc, lineId: string): Allocation | undefined {
	return toAllocation(orderAllocation(doc).get(lineId));
}

export function readAllocations(doc: Y.Doc): Record<string, Allocation> {
	const entries: [string, Allocation][] = [];
	for (const [lineId, value] of orderAllocation(doc).entries()) {
		const allocation = toAllocation(value);
		if (allocation) entries.push([lineId, allocation]);
	}
	return Object.fromEntries(entries);
}

export function readOrder(doc: Y.Doc): Order {
	return { ...readOrderFields(doc), lines: readOrderLines(doc), allocation: readAllocations(doc) };
}

/** Order total in cents over the quantities as ordered. */
export function orderTotal(order: Pick<Order, 'lines'>): number {
	return order.lines.reduce((sum, line) => sum + line.qty * line.unitPrice, 0);
}

export function setOrderFields(doc: Y.Doc, values: Partial<OrderFields>): (keyof OrderFields)[] {
	let changed: string[] = [];
	doc.transact(() => {
		changed = setChanged(orderFields(doc), { ...values });
	});
	return changed as (keyof OrderFields)[];
}

function assertLineNumbers(values: Partial<OrderLine>): void {
	if (values.qty !== undefined) assertInteger(values.qty, 'qty');
	if (values.fromVan !== undefined) assertInteger(values.fromVan, 'fromVan');
	if (values.unitPrice !== undefined) assertInteger(values.unitPrice, 'unitPrice');
}

/** Returns the new line's id. */
export function addOrderLine(doc: Y.Doc, line: OrderLineInit): string {
	assertLineNumbers(line);
	const id = line.id ?? newId();
	const record: OrderLine = { id, sku: line.sku, qty: line.qty, unitPrice: line.unitPrice, ...(line.fromVan ? { fromVan: line.fromVan } : {}) };
	doc.transact(() => {
		orderLines(doc).push([recordMap({ ...record })]);
	});
	return id;
}

export function updateOrderLine(doc: Y.Doc, id: string, values: Partial<Omit<OrderLine, 'id'>>): boolean {
	assertLineNumbers(values);
	const line = findRecord(orderLines(doc), id);
	if (!line) return false;
	doc.transact(() => {
		setChanged(line, { ...values, id: undefined });
	});
	return true;
}

export function removeOrderLine(doc: Y.Doc, id: string): boolean {
	const lines = orderLines(doc);
	const index = indexOfRecord(lines, id);
	if (index < 0) return false;
	doc.transact(() => lines.delete(index, 1));
	return true;
}

/** Server only. Rewriting the same allocation is a no-op so reconciliation can rerun freely. */
export function writeAllocation(doc: Y.Doc, lineId: string, allocation: Allocation): void {
	assertInteger(allocation.confirmed, 'confirmed');
	assertInteger(allocation.backordered, 'backordered');
	const value: Allocation = {
		confirmed: allocation.confirmed,
		backordered: allocation.backordered,
		reason: allocation.reason,
		at: allocation.at,
		...(allocation.fromVan ? { fromVan: allocation.fromVan } : {})
	};
	const map = orderAllocation(doc);
	if (sameValue(map.get(lineId), value)) return;
	doc.transact(() => map.set(lineId, value));
}

/** The sentence a rep reads about one line, e.g. "6 of 10 confirmed, 4 backordered". */
export function describeAllocation(qty: number, allocation: Allocation): string {
	const confirmed = `${allocation.confirmed} of ${qty} confirmed`;
	const van = allocation.fromVan ? ` (${allocation.fromVan} from your van)` : '';
	return allocation.backordered === 0 ? `${confirmed}${van}` : `${confirmed}${van}, ${allocation.backordered} backordered`;
}

/** The sentence for a whole order: its lines' units added up. */
export function describeOrderAllocation(lines: readonly OrderLine[], allocation: Readonly<Record<string, Allocation>>): string {
	let qty = 0;
	const total: Allocation = { confirmed: 0, backordered: 0, reason: null, at: '' };
	for (const line of lines) {
		const decided = allocation[line.id];
		if (!decided) continue;
		qty += line.qty;
		total.confirmed += decided.confirmed;
		total.backordered += decided.backordered;
	}
	return describeAllocation(qty, { ...total, reason: null });
}
