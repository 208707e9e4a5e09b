import { createStock, docName, publishSettlement, readMeta, splitVanQuotaKey } from '../../src/lib/model';
import type { Logger } from '../log';
import type { ServerDocuments, Notify } from './inventory-ports';
import type { StockLedger, WarehouseTotals } from './stock-ledger';

export interface LowStockPolicy {
	/** Free units at or below which a product is short. */
	threshold: number;
	/** Live orders of the product a rep needs to be told about its shortage. */
	minOrders: number;
}

/**
 * Copies the ledger's figures into `stock:<warehouse>` as absolute values (see
 * stock-counters.ts), so devices learn what was settled and what is left through
 * ordinary sync, and tells reps when a product they sell often runs short.
 */
export class StockPublisher {
	/** Free units per sku at the last publish, per warehouse: a shortage is told when it begins. */
	private readonly lastFree = new Map<string, Map<string, number>>();
	private readonly confirmations = new Map<string, NodeJS.Timeout>();
	private stopped = false;

	constructor(
		private readonly deps: {
			ledger: StockLedger;
			documents: ServerDocuments;
			notify: Notify;
			lowStock: LowStockPolicy;
			log: Logger;
			/**
			 * After a publish, publish again this much later. With several instances two
			 * publishes can cross (neither has the other's yet) and the older figures can
			 * win the map entry; a later publish is causally after both, so figures settle
			 * on the ledger's. Unchanged figures write nothing.
			 */
			confirmAfterMs: number;
		}
	) {}

	/** No more confirming publishes (shutdown); direct publishes still run. */
	stop(): void {
		this.stopped = true;
		for (const timer of this.confirmations.values()) clearTimeout(timer);
		this.confirmations.clear();
	}

	async publish(warehouse: string): Promise<void> {
		await this.write(warehouse);
		this.scheduleConfirmation(warehouse);
	}

	private scheduleConfirmation(warehouse: string): void {
		if (this.stopped || this.deps.confirmAfterMs <= 0) return;
		clearTimeout(this.confirmations.get(warehouse));
		const timer = setTimeout(() => {
			this.confirmations.delete(warehouse);
			if (this.stopped) return;
			this.write(warehouse).catch((err: unknown) => this.deps.log.warn({ err, warehouse }, 'could not confirm stock figures'));
		}, this.deps.confirmAfterMs);
		timer.unref();
		this.confirmations.set(warehouse, timer);
	}

	private async write(warehouse: string): Promise<void> {
		const totals = await this.deps.ledger.totals(warehouse);
		const held = heldBySku(totals);
		await this.deps.documents.change(docName('stock', warehouse), (doc) => {
			// A warehouse first known to the ledger (stock received before any document) gets its document here.
			if (readMeta(doc) === undefined) createStock(doc);
			publishSettlement(doc, {
				onHand: totals.onHand,
				allocated: held,
				reconciled: totals.reconciled,
				vanQuota: totals.vanRemaining,
				vanSettled: totals.vanSettled
			});
		});
		await this.alertShortages(warehouse, totals, held);
	}

	private async alertShortages(warehouse: string, totals: WarehouseTotals, held: Record<string, number>): Promise<void> {
		const { threshold, minOrders } = this.deps.lowStock;
		const before = this.lastFree.get(warehouse);
		const now = new Map<string, number>();
		for (const [sku, onHand] of Object.entries(totals.onHand)) now.set(sku, Math.max(0, onHand - (held[sku] ?? 0)));
		this.lastFree.set(warehouse, now);
		if (!before) return;
		for (const [sku, free] of now) {
			const was = before.get(sku);
			if (was === undefined || was <= threshold || free > threshold) continue;
			const reps = await this.deps.ledger.frequentBuyers(warehouse, sku, minOrders);
			this.deps.log.info({ warehouse, sku, free, reps: reps.length }, 'stock running short');
			for (const userId of reps) {
				this.deps.notify(userId, {
					kind: 'stock_low',
					title: free === 0 ? `${sku} is out of stock at ${warehouse}` : `Only ${free} of ${sku} left at ${warehouse}`,
					body: `Your accounts order ${sku} often. New orders beyond what is left will be backordered.`,
					urgent: true
				});
			}
		}
	}
}

/** sku → units no device may sell from the warehouse: confirmed on live orders plus what sits in vans. */
export function heldBySku(totals: WarehouseTotals): Record<string, number> {
	const held: Record<string, number> = { ...totals.allocated };
	for (const [key, qty] of Object.entries(totals.vanRemaining)) {
		const { sku } = splitVanQuotaKey(key);
		held[sku] = (held[sku] ?? 0) + qty;
	}
	return held;
}
