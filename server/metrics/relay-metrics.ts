import type { Socket } from 'node:net';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';

/** Why the relay turned something away; each is a value of the `reason` label of outrider_refused_total. */
export const REFUSAL_REASONS = [
	'unauthorized',
	'forbidden',
	'read_only',
	'missing_account',
	'outside_territory',
	'document_too_large',
	'protected_change',
	'rate_limited',
	'malformed',
	'message_too_big'
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const RECONCILIATION_RESULTS = ['confirmed', 'partially_confirmed', 'rejected', 'cancelled'] as const;
export type ReconciliationResult = (typeof RECONCILIATION_RESULTS)[number];

/** Prometheus metrics of one relay instance (its own registry, so tests can run several). */
export class RelayMetrics {
	readonly registry = new Registry();
	readonly connections = new Gauge({ name: 'outrider_connections', help: 'Open websocket connections', labelNames: ['endpoint'] as const, registers: [this.registry] });
	/** Set by the relay; read when metrics are scraped. */
	countDocumentsInMemory: () => number = () => 0;
	readonly documentsInMemory: Gauge = new Gauge({
		name: 'outrider_documents_in_memory',
		help: 'Documents loaded in memory',
		registers: [this.registry],
		collect: (): void => this.documentsInMemory.set(this.countDocumentsInMemory())
	});
	readonly messagesIn = new Counter({ name: 'outrider_messages_received_total', help: 'Websocket messages received', registers: [this.registry] });
	readonly bytesIn = new Counter({ name: 'outrider_bytes_received_total', help: 'Websocket bytes received', registers: [this.registry] });
	readonly closes = new Counter({ name: 'outrider_connections_closed_total', help: 'Connections closed, by close code', labelNames: ['code'] as const, registers: [this.registry] });
	readonly writesRefused = new Counter({ name: 'outrider_writes_refused_total', help: 'Updates refused (permission, size)', registers: [this.registry] });
	readonly updatesPersisted = new Counter({ name: 'outrider_updates_persisted_total', help: 'Updates committed to the store', registers: [this.registry] });
	readonly bytesPersisted = new Counter({ name: 'outrider_bytes_persisted_total', help: 'Update bytes committed to the store', registers: [this.registry] });
	readonly commitSeconds = new Histogram({
		name: 'outrider_store_commit_seconds',
		help: 'Group commit duration',
		buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
		registers: [this.registry]
	});
	readonly storeFailures = new Counter({ name: 'outrider_store_failures_total', help: 'Failed store commits (retried)', registers: [this.registry] });
	readonly logins = new Counter({ name: 'outrider_logins_total', help: 'Login attempts', labelNames: ['result'] as const, registers: [this.registry] });
	readonly updatesReceived = new Counter({ name: 'outrider_updates_received_total', help: 'Document updates received from clients and applied', registers: [this.registry] });
	readonly updatesSent = new Counter({ name: 'outrider_updates_sent_total', help: 'Document updates sent to clients, one per receiving subscriber', registers: [this.registry] });
	readonly batchUpdates = new Histogram({
		name: 'outrider_store_batch_updates',
		help: 'Updates written per group commit',
		buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
		registers: [this.registry]
	});
	/** The same commits as commitSeconds, as recent quantiles for people who do not run Prometheus. */
	readonly commitRecentSeconds = new Summary({
		name: 'outrider_store_commit_recent_seconds',
		help: 'Group commit duration over the last 10 minutes',
		percentiles: [0.5, 0.9, 0.99],
		maxAgeSeconds: 600,
		ageBuckets: 5,
		registers: [this.registry]
	});
	readonly refused = new Counter({ name: 'outrider_refused_total', help: 'Connections, documents and writes refused, by reason', labelNames: ['reason'] as const, registers: [this.registry] });
	/** Counted by the inventory code as it decides submitted orders. */
	readonly ordersReconciled = new Counter({ name: 'outrider_orders_reconciled_total', help: 'Submitted orders decided against stock, by result', labelNames: ['result'] as const, registers: [this.registry] });
	/** Set by the server; read when metrics are scraped. */
	isFanoutConnected: () => boolean = () => true;
	readonly fanoutConnected: Gauge = new Gauge({
		name: 'outrider_fanout_connected',
		help: '1 while the fan-out to other instances (Redis) is connected; always 1 for a relay alone',
		registers: [this.registry],
		collect: (): void => this.fanoutConnected.set(this.isFanoutConnected() ? 1 : 0)
	});
	/** Set by the server; read when metrics are scraped (undefined: the store cannot say). */
	measureStoreSize: () => Promise<number | undefined> = async () => undefined;
	readonly storeSizeBytes: Gauge = new Gauge({
		name: 'outrider_store_size_bytes',
		help: 'Bytes the stored data occupies',
		registers: [this.registry],
		collect: async (): Promise<void> => {
			// A store that is closing or unreachable must not fail the whole scrape.
			const bytes = await this.measureStoreSize().catch(() => undefined);
			if (bytes !== undefined) this.storeSizeBytes.set(bytes);
		}
	});

	/** Websocket traffic as it crossed the network (after compression, with framing). */
	private readonly wireSockets = new Set<Socket>();
	private wireClosed = { read: 0, written: 0 };
	readonly wireBytesIn: Gauge = new Gauge({
		name: 'outrider_ws_wire_bytes_received',
		help: 'Bytes received on websocket connections, as on the wire (compressed, framed); a running total',
		registers: [this.registry],
		collect: (): void => this.wireBytesIn.set(this.wireClosed.read + [...this.wireSockets].reduce((n, s) => n + s.bytesRead, 0))
	});
	readonly wireBytesOut: Gauge = new Gauge({
		name: 'outrider_ws_wire_bytes_sent',
		help: 'Bytes sent on websocket connections, as on the wire (compressed, framed); a running total',
		registers: [this.registry],
		collect: (): void => this.wireBytesOut.set(this.wireClosed.written + [...this.wireSockets].reduce((n, s) => n + s.bytesWritten, 0))
	});

	constructor() {
		collectDefaultMetrics({ register: this.registry });
		// Every label value shows from the start, at 0, so a dashboard never misses one.
		for (const reason of REFUSAL_REASONS) this.refused.inc({ reason }, 0);
		for (const result of RECONCILIATION_RESULTS) this.ordersReconciled.inc({ result }, 0);
	}

	refuse(reason: RefusalReason, count = 1): void {
		this.refused.inc({ reason }, count);
	}

	/** Counts a websocket's network bytes from now until it closes. */
	trackWire(socket: Socket): void {
		this.wireSockets.add(socket);
		socket.once('close', () => {
			this.wireSockets.delete(socket);
			this.wireClosed.read += socket.bytesRead;
			this.wireClosed.written += socket.bytesWritten;
		});
	}
}
