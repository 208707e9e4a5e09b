import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DocumentFanout, FanoutSubscriber } from './document-fanout';
import { maskUrlPassword } from '../effective-config';

export interface RedisFanoutOptions {
	url: string;
	/** Starts every channel name, so several deployments (or test runs) can share one Redis. */
	keyPrefix: string;
	/** Connection and publish failures; the connections keep retrying on their own. */
	onError?(error: unknown): void;
}

/** Random per instance; every message starts with it, so an instance can drop its own. */
const SENDER_ID_BYTES = 16;

/**
 * Fan-out through Redis pub/sub, one channel per document
 * (`<prefix>doc:<name>`), as Hocuspocus' Redis extension does it. Two
 * connections: a subscriber connection can send nothing but (un)subscribe.
 */
export class RedisFanout implements DocumentFanout {
	private readonly publisher: Redis;
	private readonly subscriber: Redis;
	private readonly senderId = randomBytes(SENDER_ID_BYTES);
	/** By channel name. */
	private readonly subscribers = new Map<string, FanoutSubscriber>();
	private subscriberWasReady = false;
	private closing: Promise<void> | undefined;

	constructor(private readonly options: RedisFanoutOptions) {
		const name = `${options.keyPrefix}relay-${this.senderId.toString('hex').slice(0, 12)}`;
		this.publisher = new Redis(options.url, { lazyConnect: true, connectionName: `${name}-pub` });
		this.subscriber = new Redis(options.url, { lazyConnect: true, connectionName: `${name}-sub` });
		for (const connection of [this.publisher, this.subscriber]) connection.on('error', (err) => options.onError?.(err));
		this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
		this.subscriber.on('ready', () => this.onSubscriberReady());
	}

	/** Other instances may be listening on the same Redis at any time. */
	readonly hasPeers = true;

	/** Both connections are up; ioredis reconnects on its own while they are not. */
	get connected(): boolean {
		return !this.closing && this.publisher.status === 'ready' && this.subscriber.status === 'ready';
	}

	/** The channel name, for tests and operators watching Redis. */
	channelOf(docName: string): string {
		return `${this.options.keyPrefix}doc:${docName}`;
	}

	/** The subscriber connection's client name (CLIENT LIST), for tests that cut it. */
	get subscriberConnectionName(): string {
		return this.subscriber.options.connectionName ?? '';
	}

	async open(): Promise<void> {
		try {
			await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
		} catch (err) {
			this.publisher.disconnect();
			this.subscriber.disconnect();
			throw new Error(`Redis at ${maskUrlPassword(this.options.url)} is not reachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
		}
	}

	async subscribe(docName: string, subscriber: FanoutSubscriber): Promise<void> {
		if (this.closing) throw new Error('fan-out is closed');
		const channel = this.channelOf(docName);
		this.subscribers.set(channel, subscriber);
		await this.subscriber.subscribe(channel);
	}

	async unsubscribe(docName: string): Promise<void> {
		const channel = this.channelOf(docName);
		if (!this.subscribers.delete(channel) || this.closing) return;
		await this.subscriber.unsubscribe(channel);
	}

	publish(docName: string, message: Uint8Array): void {
		if (this.closing) return;
		this.publisher.publish(this.channelOf(docName), Buffer.concat([this.senderId, message])).catch((err: unknown) => this.options.onError?.(err));
	}

	close(): Promise<void> {
		this.closing ??= (async () => {
			this.subscribers.clear();
			await Promise.all([this.subscriber, this.publisher].map((c) => c.quit().then(() => undefined, () => c.disconnect())));
		})();
		return this.closing;
	}

	private receive(channel: string, message: Buffer): void {
		const subscriber = this.subscribers.get(channel);
		if (!subscriber || message.byteLength < SENDER_ID_BYTES) return;
		if (this.senderId.equals(message.subarray(0, SENDER_ID_BYTES))) return;
		subscriber.receive(new Uint8Array(message.subarray(SENDER_ID_BYTES)));
	}

	/**
	 * After a reconnect ioredis subscribes again to every channel, but what was
	 * published while the link was down is gone. The subscribers hear so once the
	 * subscriptions are back (a PING is answered after the SUBSCRIBEs sent before it).
	 */
	private onSubscriberReady(): void {
		if (!this.subscriberWasReady) {
			this.subscriberWasReady = true;
			return;
		}
		setImmediate(() => {
			this.subscriber.ping().then(
				() => {
					for (const subscriber of this.subscribers.values()) subscriber.missed?.();
				},
				(err: unknown) => this.options.onError?.(err)
			);
		});
	}
}
