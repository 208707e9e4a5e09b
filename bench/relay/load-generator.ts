/**
 * Many plain y-websocket clients in one process: raw `ws` sockets speaking
 * y-protocols sync, each with its own Y.Doc, as the stock provider would.
 * Updates carry their send time; every other socket of the same document
 * records when it saw them.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
/** Transaction origin of what came from the relay, so it is neither echoed back nor timed twice. */
const REMOTE = Symbol('remote');
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
	wsBase: string;
	token: string;
	sockets: number;
	docs: number;
	docName(index: number): string;
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
	private ws: WebSocket | undefined;
	private arrivedAt = 0;
	synced = false;
	closed = false;
	closeCode: number | undefined;

	constructor(
		readonly index: number,
		readonly docName: string,
		private readonly onDelivery: (stamp: Stamp, arrivedAt: number) => void,
		private readonly onClosed: (client: BenchClient, code: number) => void
	) {
		this.key = `c${index}`;
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === REMOTE || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			syncProtocol.writeUpdate(encoder, update);
			this.ws.send(encoding.toUint8Array(encoder));
		});
		this.map.observe((event, transaction) => {
			if (transaction.origin !== REMOTE) return;
			for (const key of event.keysChanged) {
				const stamp = this.map.get(key);
				if (stamp) this.onDelivery(stamp, this.arrivedAt);
			}
		});
	}

	/** Resolves once the relay's answer to our state vector (sync step 2) arrived. */
	connect(wsBase: string, token: string, timeoutMs: number): Promise<void> {
		return new Promise((resolve, reject) => {
			const url = `${wsBase}/doc/${encodeURIComponent(this.docName)}?token=${encodeURIComponent(token)}`;
			const ws = new WebSocket(url, { perMessageDeflate: false });
			this.ws = ws;
			ws.binaryType = 'nodebuffer';
			const timer = setTimeout(() => reject(new Error(`socket ${this.index} not synced after ${timeoutMs} ms`)), timeoutMs);
			const settle = (err?: Error) => {
				clearTimeout(timer);
				if (err) reject(err);
				else resolve();
			};
			ws.on('open', () => {
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, MESSAGE_SYNC);
				syncProtocol.writeSyncStep1(encoder, this.doc);
				ws.send(encoding.toUint8Array(encoder));
			});
			ws.on('message', (data: Buffer) => {
				const arrivedAt = now();
				const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
				const type = decoding.readVarUint(decoder);
				if (type === MESSAGE_AUTH) {
					decoding.readVarUint(decoder); // y-protocols auth sub-type: permission denied
					settle(new Error(`relay refused ${this.docName}: ${decoding.readVarString(decoder)}`));
					return;
				}
				if (type !== MESSAGE_SYNC) return; // awareness and the like: not ours to time
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, MESSAGE_SYNC);
				this.arrivedAt = arrivedAt;
				const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, REMOTE);
				if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
				if (syncType === syncProtocol.messageYjsSyncStep2 && !this.synced) {
					this.synced = true;
					settle();
				}
			});
			ws.on('error', (err) => settle(err));
			ws.on('close', (code) => {
				this.closed = true;
				this.closeCode = code;
				settle(new Error(`socket ${this.index} closed with ${code} before it synced`));
				this.onClosed(this, code);
			});
		});
	}

	get isOpen(): boolean {
		return this.synced && !this.closed && this.ws?.readyState === WebSocket.OPEN;
	}

	/** One small change: overwrite this socket's key with a fresh timestamp. */
	sendUpdate(measured: boolean): void {
		this.map.set(this.key, { t: now(), m: measured });
	}

	close(): Promise<void> {
		const ws = this.ws;
		if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
		return new Promise((resolve) => {
			ws.once('close', () => resolve());
			ws.close(1000);
		});
	}

	terminate(): void {
		this.ws?.terminate();
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
		const { sockets, docs, connectBatch, wsBase, token, log } = this.options;
		const started = performance.now();
		for (let first = 0; first < sockets; first += connectBatch) {
			const batch: Promise<void>[] = [];
			for (let i = first; i < Math.min(sockets, first + connectBatch); i++) {
				const name = this.options.docName(i % docs);
				const client = new BenchClient(i, name, (s, at) => this.record(s, at), (c, code) => this.closedEarly(c, code));
				this.clients.push(client);
				const peers = this.byDoc.get(name) ?? [];
				peers.push(client);
				this.byDoc.set(name, peers);
				batch.push(client.connect(wsBase, token, 30_000));
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
		const all = Promise.all(this.clients.map((c) => c.close()));
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<void>((resolve) => {
			timer = setTimeout(resolve, timeoutMs);
		});
		await Promise.race([all, timedOut]);
		clearTimeout(timer);
		for (const c of this.clients) c.terminate();
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
		if (client.synced) this.options.log(`socket ${client.index} (${client.docName}) closed by the relay with ${code}`);
	}
}

function percentileOfHistogram(h: IntervalHistogram, p: number): number {
	// The histogram holds whole sampling intervals; the delay is what exceeds the interval.
	return h.count > 0 ? Math.max(0, h.percentile(p) / 1e6 - LOOP_RESOLUTION_MS) : 0;
}
