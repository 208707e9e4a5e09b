import type { WebSocket, RawData } from 'ws';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics/relay-metrics';
import { MalformedMessageError } from '../../src/lib/protocol';
import { CloseCode, closeReasonText, type CloseReason } from './close-codes';
import { RateLimiter } from './rate-limiter';

/** Outbound bytes a slow reader may leave unread before it is cut off. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface SocketConnectionOptions {
	socket: WebSocket;
	endpoint: 'doc' | 'sync';
	log: Logger;
	metrics: RelayMetrics;
	rate: { perSecond: number; burst: number };
	pingIntervalMs: number;
	onMessage(data: Uint8Array): void;
	onClose(): void;
}

/**
 * What every relay socket shares: inbound rate limit, ping/pong liveness,
 * guarded sends, and closing with a named code and reason. Protocol handling
 * is left to the owner through `onMessage`.
 */
export class SocketConnection {
	private readonly limiter: RateLimiter;
	private readonly pinger: NodeJS.Timeout;
	private alive = true;
	private closed = false;

	constructor(private readonly options: SocketConnectionOptions) {
		const { socket, metrics, endpoint } = options;
		this.limiter = new RateLimiter(options.rate.perSecond, options.rate.burst);
		metrics.connections.inc({ endpoint });
		socket.binaryType = 'nodebuffer';
		socket.on('message', (data, isBinary) => this.receive(data, isBinary));
		socket.on('pong', () => {
			this.alive = true;
		});
		socket.on('error', (err: Error & { code?: string }) => {
			// ws reports oversized frames (and closes with 1009) through here.
			if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.refuse('message_too_big');
			options.log.warn({ err: err.message, endpoint }, 'websocket error');
		});
		socket.on('close', (code) => this.finish(code));
		this.pinger = setInterval(() => this.ping(), options.pingIntervalMs);
		this.pinger.unref();
	}

	get isOpen(): boolean {
		return !this.closed && this.options.socket.readyState === this.options.socket.OPEN;
	}

	send(data: Uint8Array): void {
		if (!this.isOpen) return;
		if (this.options.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
			this.close(CloseCode.TryAgainLater, 'client reads too slowly');
			return;
		}
		this.options.socket.send(data);
	}

	close(reason: CloseReason, detail?: string): void {
		if (this.closed) return;
		const { socket } = this.options;
		if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
			socket.close(reason.code, closeReasonText(reason, detail));
		}
		this.finish(reason.code);
	}

	/** Closes for a protocol error by this client, logging what it sent wrong. */
	fail(error: Error, context: Record<string, unknown> = {}): void {
		if (this.closed) return;
		const malformed = error instanceof MalformedMessageError;
		if (malformed) this.options.metrics.refuse('malformed');
		this.options.log.warn({ ...context, err: error.message, endpoint: this.options.endpoint }, malformed ? 'malformed message; closing connection' : 'connection failed');
		this.close(malformed ? CloseCode.MalformedMessage : CloseCode.TryAgainLater, malformed ? error.message : undefined);
	}

	private receive(data: RawData, isBinary: boolean): void {
		if (this.closed) return;
		const { metrics } = this.options;
		metrics.messagesIn.inc();
		if (!this.limiter.take()) {
			metrics.refuse('rate_limited');
			this.close(CloseCode.RateLimited);
			return;
		}
		if (!isBinary || !(data instanceof Buffer)) {
			this.fail(new MalformedMessageError('expected one binary message'));
			return;
		}
		metrics.bytesIn.inc(data.byteLength);
		try {
			this.options.onMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		} catch (err) {
			this.fail(err instanceof Error ? err : new Error(String(err)));
		}
	}

	private ping(): void {
		if (!this.alive) {
			this.options.socket.terminate();
			this.finish(CloseCode.Unresponsive.code);
			return;
		}
		this.alive = false;
		if (this.isOpen) this.options.socket.ping();
	}

	private finish(code: number): void {
		if (this.closed) return;
		this.closed = true;
		clearInterval(this.pinger);
		this.options.metrics.connections.dec({ endpoint: this.options.endpoint });
		this.options.metrics.closes.inc({ code: String(code) });
		this.options.onClose();
	}
}
