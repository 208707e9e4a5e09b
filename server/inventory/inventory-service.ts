import { describeAllocation, describeOrderAllocation, docName, readOnHand, setOrderFields, tryParseDocName, writeAllocation, type Allocation } from '../../src/lib/model';
import type { Logger } from '../log';
import type { DocumentStore } from '../store/document-store';
import type { Notify, ServerDocuments } from './inventory-ports';
import { readOrderClaim, type OrderClaim } from './order-claim';
import type { LedgerReconcileResult, StockLedger } from './stock-ledger';
import { StockPublisher, type LowStockPolicy } from './stock-publisher';

/**
 * Which order goes first when stock is short. `first-synced`: the order that
 * reaches the server first. `created-at`: orders reaching the server within one
 * window are taken by the time the rep created them, so a rep who took an order
 * early but synced a little later is not penalised for the signal.
 */
export type ReconcilePolicy = { kind: 'first-synced' } | { kind: 'created-at'; windowMs: number };

export type ReconcileOutcome = 'confirmed' | 'partially_confirmed' | 'rejected' | 'cancelled';

export interface InventoryServiceOptions {
	ledger: StockLedger;
	documents: ServerDocuments;
	notify: Notify;
	log: Logger;
	policy: ReconcilePolicy;
	lowStock: LowStockPolicy;
	/** An account's name for messages. */
	accountName(accountId: string): Promise<string>;
	/** See StockPublisher: a second publish this long after each, for several instances. */
	confirmPublishAfterMs?: number;
	onReconciled?(outcome: ReconcileOutcome): void;
	now?: () => Date;
}

interface Waiting {
	name: string;
	arrivedAt: number;
}

/**
 * Reconciles orders against the stock ledger once they are durable. Orders are
 * taken one at a time in the policy's order (the ledger makes each step atomic
 * across processes too); the answer is written into the order document as the
 * server, the rep is told, and the warehouse's figures are published into its
 * stock document after each round.
 */
export class InventoryService {
	private readonly waiting = new Map<string, Waiting>();
	private readonly seeded = new Set<string>();
	private readonly dirty = new Set<string>();
	private readonly publisher: StockPublisher;
	private running: Promise<void> | null = null;
	private timer: NodeJS.Timeout | null = null;
	private closed = false;

	constructor(private readonly options: InventoryServiceOptions) {
		this.publisher = new StockPublisher({ ...options, confirmAfterMs: options.confirmPublishAfterMs ?? 0 });
	}

	get ledger(): StockLedger {
		return this.options.ledger;
	}

	/** Documents the store just committed: orders among them may need a decision. */
	documentsCommitted(names: readonly string[]): void {
		if (this.closed) return;
		const now = Date.now();
		for (const name of names) {
			if (tryParseDocName(name)?.kind !== 'order' || this.waiting.has(name)) continue;
			this.waiting.set(name, { name, arrivedAt: now });
		}
		this.kick();
	}

	/**
	 * Looks again at the orders stored in the last `days`: those left submitted (by a
	 * stop between a commit and its decision, or written straight to the store, as
	 * demo data is) get decided. Each costs a document read; decided ones change nothing.
	 */
	async rescan(store: Pick<DocumentStore, 'listSummaries'>, days: number): Promise<void> {
		const since = new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();
		const orders = await store.listSummaries({ kinds: ['order'] });
		this.documentsCommitted(orders.filter((o) => o.updatedAt >= since).map((o) => o.name));
	}

	/** Resolves once every order that was waiting (its window over or not) has been taken. */
	async drain(): Promise<void> {
		while (this.waiting.size > 0 || this.running) {
			if (this.running) await this.running;
			else await this.runRound();
		}
	}

	/** Shutdown begins: nothing more is scheduled for later; orders already durable can still be drained. */
	stopTimers(): void {
		this.publisher.stop();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	async close(): Promise<void> {
		this.closed = true;
		this.publisher.stop();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.running) await this.running;
		await this.options.ledger.close();
	}

	// ---- office and van -----------------------------------------------------------

	async receive(warehouse: string, sku: string, qty: number): Promise<number> {
		await this.seedWarehouse(warehouse);
		const onHand = await this.options.ledger.receive(warehouse, sku, qty);
		await this.publisher.publish(warehouse);
		return onHand;
	}

	async count(warehouse: string, sku: string, qty: number): Promise<void> {
		await this.seedWarehouse(warehouse);
		await this.options.ledger.setOnHand(warehouse, sku, qty);
		await this.publisher.publish(warehouse);
	}

	async loadVan(warehouse: string, userId: string, sku: string, qty: number): Promise<number> {
		await this.seedWarehouse(warehouse);
		const inVan = await this.options.ledger.grantVan({ warehouse, userId, sku, qty });
		await this.publisher.publish(warehouse);
		return inVan;
	}

	/** Orders already synced are settled first, so only truly unused units leave the van. */
	async unloadVan(warehouse: string, userId: string, sku: string, qty: number): Promise<number> {
		await this.drain();
		const moved = await this.options.ledger.returnVan({ warehouse, userId, sku, qty });
		await this.publisher.publish(warehouse);
		return moved;
	}

	async publish(warehouse: string): Promise<void> {
		await this.seedWarehouse(warehouse);
		await this.publisher.publish(warehouse);
	}

	// ---- the round ------------------------------------------------------------------

	private kick(): void {
		if (this.running || this.closed || this.waiting.size === 0) return;
		const policy = this.options.policy;
		if (policy.kind === 'first-synced') {
			void this.runRound();
			return;
		}
		if (this.timer) return;
		const oldest = Math.min(...[...this.waiting.values()].map((w) => w.arrivedAt));
		this.timer = setTimeout(
			() => {
				this.timer = null;
				void this.runRound();
			},
			Math.max(0, oldest + policy.windowMs - Date.now())
		);
		this.timer.unref();
	}

	private runRound(): Promise<void> {
		this.running ??= this.round().finally(() => {
			this.running = null;
			this.kick();
		});
		return this.running;
	}

	/**
	 * Takes every order waiting now. Under `created-at` a round starts when the
	 * oldest waiting order's window ends, so the round holds exactly the orders
	 * that reached the server within that window, and they go by creation time.
	 */
	private async round(): Promise<void> {
		const policy = this.options.policy;
		const due = [...this.waiting.values()];
		this.waiting.clear();
		const claims: OrderClaim[] = [];
		for (const w of due) {
			try {
				claims.push(await this.options.documents.read(w.name, (doc) => readOrderClaim(tryParseDocName(w.name)!.id, doc)));
			} catch (err) {
				this.options.log.error({ err, doc: w.name }, 'could not read order for reconciliation');
			}
		}
		if (policy.kind === 'created-at') claims.sort((a, b) => a.order.createdAt.localeCompare(b.order.createdAt));
		// Cancellations first: the units they return are there for this round's orders.
		for (const claim of claims.filter((c) => c.order.status === 'cancelled' && c.warehouse)) {
			await this.guarded(claim, () => this.cancel(claim));
		}
		const toDecide = claims.filter((c) => c.order.status === 'submitted' && c.warehouse && !c.flagged && c.lines.length > 0);
		if (toDecide.length > 0) await this.guarded(toDecide[0]!, () => this.decide(toDecide));
		for (const warehouse of [...this.dirty]) {
			this.dirty.delete(warehouse);
			try {
				await this.publisher.publish(warehouse);
			} catch (err) {
				this.options.log.error({ err, warehouse }, 'could not publish stock figures');
			}
		}
	}

	private async guarded(claim: OrderClaim, work: () => Promise<void>): Promise<void> {
		try {
			await work();
		} catch (err) {
			this.options.log.error({ err, doc: docName('order', claim.orderId) }, 'order reconciliation failed');
		}
	}

	private async cancel(claim: OrderClaim): Promise<void> {
		await this.seedWarehouse(claim.warehouse);
		const result = await this.options.ledger.cancel({ warehouse: claim.warehouse, orderId: claim.orderId, userId: claim.userId, writer: claim.writer, lines: claim.lines });
		if (result.fresh) {
			this.dirty.add(claim.warehouse);
			this.options.onReconciled?.('cancelled');
		}
	}

	/** One ledger transaction for the round's orders, in the policy's order; then each answer goes into its order. */
	private async decide(all: OrderClaim[]): Promise<void> {
		const unusable = new Set<string>();
		for (const warehouse of new Set(all.map((c) => c.warehouse))) {
			try {
				await this.seedWarehouse(warehouse);
			} catch (err) {
				this.options.log.warn({ err, warehouse }, 'orders name a warehouse that cannot be used; they stay submitted');
				unusable.add(warehouse);
			}
		}
		const claims = all.filter((c) => !unusable.has(c.warehouse));
		const at = (this.options.now?.() ?? new Date()).toISOString();
		const outcomes = await this.options.ledger.reconcileBatch(
			claims.map((claim) => ({ warehouse: claim.warehouse, orderId: claim.orderId, userId: claim.userId, writer: claim.writer, lines: claim.lines, at }))
		);
		for (const [i, outcome] of outcomes.entries()) {
			const claim = claims[i]!;
			// The decision is the ledger's; an order it refuses (bad lines) stays submitted for a person.
			if (!outcome.ok) {
				this.options.log.warn({ err: outcome.error, doc: docName('order', claim.orderId) }, 'order refused by the stock ledger');
				continue;
			}
			await this.guarded(claim, () => this.answer(claim, outcome.result));
		}
	}

	private async answer(claim: OrderClaim, result: LedgerReconcileResult): Promise<void> {
		if (result.fresh) this.dirty.add(claim.warehouse);
		if (result.cancelled) return;
		const decidedNow = await this.options.documents.change(docName('order', claim.orderId), (doc) => {
			for (const [lineId, allocation] of Object.entries(result.allocation)) writeAllocation(doc, lineId, allocation);
			if (doc.getMap('fields').get('status') !== 'submitted') return false;
			setOrderFields(doc, { status: result.status });
			return true;
		});
		if (!decidedNow) return;
		this.options.onReconciled?.(result.status);
		if (claim.userId) await this.tellRep(claim, result.allocation);
	}

	private async tellRep(claim: OrderClaim, allocation: Record<string, Allocation>): Promise<void> {
		const account = await this.options.accountName(claim.order.accountId).catch(() => claim.order.accountId);
		const summary = describeOrderAllocation(claim.order.lines, allocation);
		const lines = claim.order.lines
			.map((line) => {
				const decided = allocation[line.id];
				return decided ? `${line.sku}: ${describeAllocation(line.qty, decided)}` : null;
			})
			.filter((line): line is string => line !== null);
		const short = claim.order.lines.some((line) => (allocation[line.id]?.backordered ?? 0) > 0);
		this.options.notify(claim.userId!, {
			kind: 'order_reconciled',
			title: `Order for ${account}: ${summary}`,
			body: lines.join('\n'),
			urgent: short,
			link: `/orders/${claim.orderId}`
		});
	}

	/** A warehouse the ledger has never counted starts from the on-hand its stock document holds. */
	private async seedWarehouse(warehouse: string): Promise<void> {
		if (this.seeded.has(warehouse)) return;
		const onHand = await this.options.documents.read(docName('stock', warehouse), (doc) => readOnHand(doc));
		await this.options.ledger.seedOnHand(warehouse, onHand);
		this.seeded.add(warehouse);
	}
}
