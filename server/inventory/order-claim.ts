import type * as Y from 'yjs';
import { listAttention, parseCounterKey, readAllocations, readOrder, type Order } from '../../src/lib/model';
import type { ReconcileLine } from './reconcile-order';

/**
 * What the ledger needs from an order document, read once: which warehouse,
 * whose order, which device's counters to settle, and the lines as submitted.
 */
export interface OrderClaim {
	orderId: string;
	order: Order;
	warehouse: string;
	userId: string | undefined;
	/** The counter writer to settle; only trusted when it belongs to the order's rep. */
	writer: string | undefined;
	lines: ReconcileLine[];
	/** Validation flags: a flagged order waits until a person fixes it. */
	flagged: boolean;
	/** Every line already has the server's answer. */
	decided: boolean;
}

export function readOrderClaim(orderId: string, doc: Y.Doc): OrderClaim {
	const order = readOrder(doc);
	const writer = order.reservedBy ?? undefined;
	const owner = writer === undefined ? undefined : parseCounterKey(`${writer}|-`)?.userId;
	const allocation = readAllocations(doc);
	return {
		orderId,
		order,
		warehouse: order.warehouse,
		userId: order.repId || undefined,
		writer: owner !== undefined && owner === order.repId ? writer : undefined,
		lines: order.lines.map((line) => ({ id: line.id, sku: line.sku, qty: line.qty, ...(line.fromVan ? { fromVan: line.fromVan } : {}) })),
		flagged: listAttention(doc).length > 0,
		decided: order.lines.length > 0 && order.lines.every((line) => allocation[line.id] !== undefined)
	};
}
