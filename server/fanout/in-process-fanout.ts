import type { DocumentFanout, FanoutSubscriber } from './document-fanout';

/**
 * Instances in one process that share documents. A relay on its own gets a hub
 * of its own, so publishing reaches nobody; tests put several relays on one hub.
 */
export class InProcessFanoutHub {
	readonly members = new Set<InProcessFanout>();
}

/** The fan-out of a single process: no network, delivery on a later microtask as a broker would. */
export class InProcessFanout implements DocumentFanout {
	private readonly subscribers = new Map<string, FanoutSubscriber>();
	private opened = false;
	private closed = false;

	constructor(private readonly hub = new InProcessFanoutHub()) {
		hub.members.add(this);
	}

	get hasPeers(): boolean {
		return this.hub.members.size > 1;
	}

	get connected(): boolean {
		return this.opened && !this.closed;
	}

	open(): Promise<void> {
		if (this.closed) return Promise.reject(new Error('fan-out is closed'));
		this.opened = true;
		return Promise.resolve();
	}

	subscribe(docName: string, subscriber: FanoutSubscriber): Promise<void> {
		if (this.closed) return Promise.reject(new Error('fan-out is closed'));
		this.subscribers.set(docName, subscriber);
		return Promise.resolve();
	}

	unsubscribe(docName: string): Promise<void> {
		this.subscribers.delete(docName);
		return Promise.resolve();
	}

	publish(docName: string, message: Uint8Array): void {
		if (this.closed) return;
		for (const member of this.hub.members) {
			if (member !== this && member.subscribers.has(docName)) member.deliver(docName, message.slice());
		}
	}

	close(): Promise<void> {
		this.closed = true;
		this.subscribers.clear();
		this.hub.members.delete(this);
		return Promise.resolve();
	}

	private deliver(docName: string, message: Uint8Array): void {
		// Looked up on delivery: a document unsubscribed meanwhile hears nothing more.
		queueMicrotask(() => this.subscribers.get(docName)?.receive(message));
	}
}
