/**
 * A TCP proxy that behaves like a slow mobile link: each direction is a queue
 * drained at a fixed bit rate, and everything arrives half the round-trip time
 * after it left. With no rate and no latency it just counts bytes. HTTP and
 * websocket traffic both pass through it unchanged, so what it counts is what
 * would cross the air: headers, framing and compressed payloads.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LinkProfile {
	name: string;
	/** Each way; null for no limit. */
	bitsPerSecond: number | null;
	/** Added round trip, ms: half of it on the way up, half on the way down. */
	rttMs: number;
}

export const LOOPBACK: LinkProfile = { name: 'loopback', bitsPerSecond: null, rttMs: 0 };
/** Chrome DevTools' "Slow 3G" preset: 400 kbit/s each way (500 × 0.8) and 2,000 ms latency (400 × 5). */
export const SLOW_3G: LinkProfile = { name: 'Slow 3G', bitsPerSecond: 400_000, rttMs: 2000 };

/** Small pieces keep the arrival times smooth rather than one burst per TCP read. */
const SEGMENT_BYTES = 1460;

/** One direction of the link: bytes leave in order, one after another at the link's rate, and arrive later. */
class DelayLine {
	private readonly queue: Array<{ at: number; chunk: Buffer | null }> = [];
	private linkFreeAt = 0;
	private timer: NodeJS.Timeout | undefined;
	bytes = 0;

	constructor(
		private readonly out: Socket,
		private readonly profile: LinkProfile
	) {}

	private get passThrough(): boolean {
		return this.profile.bitsPerSecond === null && this.profile.rttMs === 0;
	}

	push(chunk: Buffer): void {
		this.bytes += chunk.length;
		if (this.passThrough) {
			this.out.write(chunk);
			return;
		}
		const oneWay = this.profile.rttMs / 2;
		for (let offset = 0; offset < chunk.length; offset += SEGMENT_BYTES) {
			const piece = chunk.subarray(offset, offset + SEGMENT_BYTES);
			const start = Math.max(performance.now(), this.linkFreeAt);
			this.linkFreeAt = this.profile.bitsPerSecond ? start + (piece.length * 8 * 1000) / this.profile.bitsPerSecond : start;
			this.enqueue(this.linkFreeAt + oneWay, piece);
		}
	}

	/** The sender closed its side: the close follows the data still on the way. */
	end(): void {
		if (this.passThrough) this.out.end();
		else this.enqueue(Math.max(performance.now(), this.linkFreeAt) + this.profile.rttMs / 2, null);
	}

	stop(): void {
		clearTimeout(this.timer);
		this.queue.length = 0;
	}

	private enqueue(at: number, chunk: Buffer | null): void {
		this.queue.push({ at, chunk });
		this.schedule();
	}

	private schedule(): void {
		if (this.timer || this.queue.length === 0) return;
		const wait = Math.max(0, (this.queue[0]?.at ?? 0) - performance.now());
		this.timer = setTimeout(() => this.flush(), wait);
	}

	private flush(): void {
		this.timer = undefined;
		const now = performance.now();
		while (this.queue.length > 0 && (this.queue[0]?.at ?? Infinity) <= now + 0.5) {
			const { chunk } = this.queue.shift() as { chunk: Buffer | null };
			if (this.out.destroyed) continue;
			if (chunk) this.out.write(chunk);
			else this.out.end();
		}
		this.schedule();
	}
}

export class ThrottleProxy {
	private readonly lines = new Set<{ up: DelayLine; down: DelayLine }>();
	private readonly sockets = new Set<Socket>();
	/** Bytes of connections already closed, so totals survive them. */
	private closed = { up: 0, down: 0 };
	connections = 0;

	private readonly server: Server;
	port = 0;

	private constructor(targetPort: number, profile: LinkProfile) {
		this.server = createServer({ allowHalfOpen: true }, (client) => this.accept(client, targetPort, profile));
	}

	/** Listens on 127.0.0.1 (a free port) and forwards every connection to `targetPort`. */
	static async start(targetPort: number, profile: LinkProfile): Promise<ThrottleProxy> {
		const proxy = new ThrottleProxy(targetPort, profile);
		await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
		const address = proxy.server.address();
		if (!address || typeof address === 'string') throw new Error('proxy has no port');
		proxy.port = address.port;
		return proxy;
	}

	/** Bytes that crossed the link so far: up is client → server. */
	bytes(): { up: number; down: number } {
		let up = this.closed.up;
		let down = this.closed.down;
		for (const line of this.lines) {
			up += line.up.bytes;
			down += line.down.bytes;
		}
		return { up, down };
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private accept(client: Socket, targetPort: number, profile: LinkProfile): void {
		this.connections++;
		const upstream = connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		const line = { up: new DelayLine(upstream, profile), down: new DelayLine(client, profile) };
		this.lines.add(line);
		this.sockets.add(client);
		this.sockets.add(upstream);
		client.on('data', (chunk: Buffer) => line.up.push(chunk));
		upstream.on('data', (chunk: Buffer) => line.down.push(chunk));
		// Either side closing (politely or not) closes the other once the data on the way has arrived.
		let upEnded = false;
		let downEnded = false;
		const endUp = () => {
			if (!upEnded) line.up.end();
			upEnded = true;
		};
		const endDown = () => {
			if (!downEnded) line.down.end();
			downEnded = true;
		};
		client.on('end', endUp);
		upstream.on('end', endDown);
		let open = 2;
		const closed = () => {
			if (--open > 0) return;
			line.up.stop();
			line.down.stop();
			this.closed = { up: this.closed.up + line.up.bytes, down: this.closed.down + line.down.bytes };
			this.lines.delete(line);
			this.sockets.delete(client);
			this.sockets.delete(upstream);
		};
		client.on('close', () => {
			endUp();
			closed();
		});
		upstream.on('close', () => {
			endDown();
			closed();
		});
		client.on('error', () => client.destroy());
		upstream.on('error', () => upstream.destroy());
	}
}
