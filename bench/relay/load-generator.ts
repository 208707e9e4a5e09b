/**
 * Many clients in one process, each with its own Y.Doc and socket, over a
 * transport per server (the y-websocket protocol for Outrider and the
 * reference server, Hocuspocus' own provider for Hocuspocus). Updates carry
 * their send time; every other socket of the same document records when it
 * saw them.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { BenchTransport, TransportFactory } from './transport';

/** Transaction origin of the generator's own writes; anything else came from the server. */
const LOCAL = Symbol('local');
/** How often the rate loop wakes; each wake sends every update due since the start. */
const TICK_MS = 2;
const LOOP_RESOLUTION_MS = 5;

/** Absolute milliseconds; comparable between sockets because they all live in this process. */
export const now = (): number => performance.timeOrigin + performance.now();

interface Stamp {
	/** Send time, ms. */
	t: number;
	/** Sent during the measured phase (warm-up updates are delivered but not timed). */
	m: boolean;
}

export interface GeneratorOptions {
	sockets: number;
	docs: number;
	docName(index: number): string;
	/** Opens each socket: how this target's clients talk to it. */
	transport: TransportFactory;
	/** Sockets opened at once; the next batch waits until this one has synced. */
	connectBatch: number;
	log(line: string): void;
}

export interface PhaseResult {
	sent: number;
	/** From the first due update to the last one sent. */
	sendMs: number;
	/** Deliveries owed to other sockets of the same document, and those that arrived. */
	expectedDeliveries: number;
	deliveries: number;
	/** From the start of the phase until every delivery arrived (or the drain gave up). */
	wallMs: number;
	/** Fan-out latencies in ms, one per delivery of a measured update. */
	latencies: Float64Array;
	generatorCpuMs: number;
	generatorLoopDelayP99Ms: number;
}

class BenchClient {
	readonly doc = new Y.Doc();
	private readonly map = this.doc.getMap<Stamp>('bench');
	private readonly key: string;
	readonly transport: BenchTransport;

	constructor(
		readonly index: number,
		readonly docName: string,
		copy: number,
		transport: TransportFactory,
		private readonly onDelivery: (stamp: Stamp, arrivedAt: number) => void,
		onClosed: (client: BenchClient, code: number) => void
	) {
		this.key = `c${index}`;
		this.transport = transport({ index, copy, docName, doc: this.doc, onClosed: (code) => onClosed(this, code) });
		this.map.observe((event, transaction) => {
			if (transaction.origin === LOCAL) return;
			// Taken as the server's message is applied, the same point for every transport.
			const arrivedAt = now();
			for (const key of event.keysChanged) {
				const stamp = this.map.get(key);
				if (stamp) this.onDelivery(stamp, arrivedAt);
			}
		});
	}

	get isOpen(): boolean {
		return this.transport.isOpen;
	}

	/** One small change: overwrite this socket's key with a fresh timestamp. */
	sendUpdate(measured: boolean): void {
		this.doc.transact(() => this.map.set(this.key, { t: now(), m: measured }), LOCAL);
	}
}

export class LoadGenerator {
	private readonly clients: BenchClient[] = [];
	private readonly byDoc = new Map<string, BenchClient[]>();
	private deliveries = 0;
	private latencies: number[] = [];
	private stopping = false;
	readonly unexpectedCloses = new Map<number, number>();

	constructor(private readonly options: GeneratorOptions) {}

	/** Opens every socket, batch by batch; resolves with the time it took, ms. */
	async connect(): Promise<number> {
		const { sockets, docs, connectBatch, transport, log } = this.options;
		const started = performance.now();
		for (let first = 0; first < sockets; first += connectBatch) {
			const batch: Promise<void>[] = [];
			for (let i = first; i < Math.min(sockets, first + connectBatch); i++) {
				const name = this.options.docName(i % docs);
				const client = new BenchClient(i, name, Math.floor(i / docs), transport, (s, at) => this.record(s, at), (c, code) => this.closedEarly(c, code));
				this.clients.push(client);
				const peers = this.byDoc.get(name) ?? [];
				peers.push(client);
				this.byDoc.set(name, peers);
				batch.push(client.transport.connect(30_000));
			}
			await Promise.all(batch);
			if ((first / connectBatch) % 5 === 4 || first + connectBatch >= sockets) {
				log(`connected ${Math.min(sockets, first + connectBatch)}/${sockets} sockets`);
			}
		}
		return performance.now() - started;
	}

	/**
	 * Sends `rate` updates per second from random sockets for `seconds`, then
	 * waits (up to `drainMs`) for every other socket of each document to see them.
	 */
	async drive(rate: number, seconds: number, measured: boolean, drainMs = 5_000): Promise<PhaseResult> {
		const total = Math.round(rate * seconds);
		this.deliveries = 0;
		this.latencies = [];
		let expected = 0;
		let sent = 0;
		let lastSentAt = 0;
		const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
		loop.enable();
		const cpu0 = process.cpuUsage();
		const start = performance.now();

		await new Promise<void>((resolve) => {
			const tick = () => {
				const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
				while (sent < due) {
					const client = this.randomOpenClient();
					if (!client) break;
					expected += this.openPeers(client);
					client.sendUpdate(measured);
					sent++;
					lastSentAt = performance.now();
				}
				if (sent >= total || this.stopping || this.openCount() === 0) {
					clearInterval(timer);
					resolve();
				}
			};
			const timer = setInterval(tick, TICK_MS);
		});
		const sendMs = Math.max(lastSentAt - start, 1);

		const drainStart = performance.now();
		while (this.deliveries < expected && performance.now() - drainStart < drainMs) {
			await new Promise((r) => setTimeout(r, 5));
		}
		const wallMs = performance.now() - start;
		const cpu = process.cpuUsage(cpu0);
		loop.disable();
		return {
			sent,
			sendMs,
			expectedDeliveries: expected,
			deliveries: this.deliveries,
			wallMs,
			latencies: Float64Array.from(this.latencies),
			generatorCpuMs: (cpu.user + cpu.system) / 1000,
			generatorLoopDelayP99Ms: percentileOfHistogram(loop, 99)
		};
	}

	/** Closes every socket politely, then cuts whatever has not closed after `timeoutMs`. */
	async close(timeoutMs = 10_000): Promise<void> {
		this.stopping = true;
		const all = Promise.all(this.clients.map((c) => c.transport.close()));
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<void>((resolve) => {
			timer = setTimeout(resolve, timeoutMs);
		});
		await Promise.race([all, timedOut]);
		clearTimeout(timer);
		for (const c of this.clients) c.transport.terminate();
		for (const c of this.clients) c.doc.destroy();
	}

	openCount(): number {
		let n = 0;
		for (const c of this.clients) if (c.isOpen) n++;
		return n;
	}

	private randomOpenClient(): BenchClient | undefined {
		for (let attempt = 0; attempt < 20; attempt++) {
			const c = this.clients[Math.floor(Math.random() * this.clients.length)];
			if (c?.isOpen) return c;
		}
		return this.clients.find((c) => c.isOpen);
	}

	private openPeers(client: BenchClient): number {
		let n = 0;
		for (const peer of this.byDoc.get(client.docName) ?? []) if (peer !== client && peer.isOpen) n++;
		return n;
	}

	private record(stamp: Stamp, arrivedAt: number): void {
		this.deliveries++;
		if (stamp.m) this.latencies.push(arrivedAt - stamp.t);
	}

	private closedEarly(client: BenchClient, code: number): void {
		if (this.stopping) return;
		this.unexpectedCloses.set(code, (this.unexpectedCloses.get(code) ?? 0) + 1);
		if (client.transport.synced) this.options.log(`socket ${client.index} (${client.docName}) closed by the relay with ${code}`);
	}
}

function percentileOfHistogram(h: IntervalHistogram, p: number): number {
	// The histogram holds whole sampling intervals; the delay is what exceeds the interval.
	return h.count > 0 ? Math.max(0, h.percentile(p) / 1e6 - LOOP_RESOLUTION_MS) : 0;
}
