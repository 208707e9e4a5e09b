import type { Socket } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
