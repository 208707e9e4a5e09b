import type { CDPSession, Page } from 'playwright-core';

/** Bytes a page moved, as Chromium's DevTools protocol reports them. */
export interface Traffic {
	/** Websocket message payloads (binary frames decoded from base64), both directions. */
	wsSentBytes: number;
	wsReceivedBytes: number;
	wsSentMessages: number;
	wsReceivedMessages: number;
	/** Responses as they crossed the network (encodedDataLength: headers and body, before decoding). */
	httpReceivedBytes: number;
	/** Request bodies the page sent (e.g. the sign-in form). */
	httpSentBytes: number;
	httpRequests: number;
	/** Responses served by the service worker or a cache, which cost no network. */
	httpFromCache: number;
}

export const emptyTraffic = (): Traffic => ({
	wsSentBytes: 0,
	wsReceivedBytes: 0,
	wsSentMessages: 0,
	wsReceivedMessages: 0,
	httpReceivedBytes: 0,
	httpSentBytes: 0,
	httpRequests: 0,
	httpFromCache: 0
});

export const totalBytes = (t: Traffic): number => t.wsSentBytes + t.wsReceivedBytes + t.httpReceivedBytes + t.httpSentBytes;

/** One network event as it arrived (Node's performance.now()). */
export interface NetEvent {
	at: number;
	kind: 'ws-sent' | 'ws-received' | 'request' | 'response' | 'cached-response' | 'info';
	what: string;
	bytes: number;
}

/**
 * Logs a page's websocket frames and HTTP bytes through its own CDP session.
 * Events arrive asynchronously; `settle()` waits until none has arrived for a while.
 */
export class NetworkMeter {
	private readonly requests = new Map<string, { path: string; cached: boolean }>();
	private lastEventAt = performance.now();
	readonly events: NetEvent[] = [];

	private constructor(readonly session: CDPSession) {}

	static async attach(page: Page): Promise<NetworkMeter> {
		const session = await page.context().newCDPSession(page);
		const meter = new NetworkMeter(session);
		session.on('Network.webSocketFrameSent', (e) => meter.frame('ws-sent', e.response.opcode, e.response.payloadData));
		session.on('Network.webSocketFrameReceived', (e) => meter.frame('ws-received', e.response.opcode, e.response.payloadData));
		session.on('Network.webSocketCreated', (e) => meter.note('info', `ws open ${new URL(e.url).pathname}`, 0));
		session.on('Network.webSocketClosed', () => meter.note('info', 'ws closed', 0));
		session.on('Network.requestWillBeSent', (e) => {
			const path = shortPath(e.request.url);
			meter.requests.set(e.requestId, { path, cached: false });
			const body =
				e.request.postData ?? (e.request.postDataEntries ?? []).map((p) => (p.bytes ? Buffer.from(p.bytes, 'base64').toString() : '')).join('');
			meter.note('request', `${e.request.method} ${path}`, Buffer.byteLength(body));
		});
		session.on('Network.responseReceived', (e) => {
			const entry = meter.requests.get(e.requestId);
			if (entry && (e.response.fromServiceWorker || e.response.fromDiskCache || e.response.fromPrefetchCache)) entry.cached = true;
		});
		session.on('Network.loadingFinished', (e) => {
			const entry = meter.requests.get(e.requestId);
			meter.note(entry?.cached ? 'cached-response' : 'response', entry?.path ?? e.requestId, e.encodedDataLength);
		});
		await session.send('Network.enable');
		return meter;
	}

	/** Where the event log stands now, to sum a window of it later. */
	mark(): number {
		return this.events.length;
	}

	/** Traffic of the events logged since `mark`, up to epoch milliseconds `until` (all when omitted). */
	trafficSince(mark: number, until = Number.POSITIVE_INFINITY): Traffic {
		const out = emptyTraffic();
		const limit = until - performance.timeOrigin;
		for (const e of this.events.slice(mark)) {
			if (e.at > limit) break;
			switch (e.kind) {
				case 'ws-sent':
					out.wsSentBytes += e.bytes;
					out.wsSentMessages++;
					break;
				case 'ws-received':
					out.wsReceivedBytes += e.bytes;
					out.wsReceivedMessages++;
					break;
				case 'request':
					out.httpSentBytes += e.bytes;
					out.httpRequests++;
					break;
				case 'cached-response':
					out.httpFromCache++;
					out.httpReceivedBytes += e.bytes;
					break;
				case 'response':
					out.httpReceivedBytes += e.bytes;
					break;
				case 'info':
					break;
			}
		}
		return out;
	}

	/** Bytes received per HTTP path since `mark` (what the API and the shell cost separately). */
	httpByPath(mark: number): Record<string, number> {
		const out: Record<string, number> = {};
		for (const e of this.events.slice(mark)) if (e.kind === 'response' || e.kind === 'cached-response') out[e.what] = (out[e.what] ?? 0) + e.bytes;
		return out;
	}

	/** Resolves once no network event arrived for `quietMs` (or after `timeoutMs`). */
	async settle(quietMs: number, timeoutMs: number): Promise<void> {
		const start = performance.now();
		while (performance.now() - this.lastEventAt < quietMs && performance.now() - start < timeoutMs) {
			await new Promise((r) => setTimeout(r, 25));
		}
	}

	async detach(): Promise<void> {
		await this.session.detach().catch(() => undefined);
	}

	private frame(kind: 'ws-sent' | 'ws-received', opcode: number, payload: string): void {
		// Opcode 1 is text (payload as is); everything the app sends is binary (base64 in CDP).
		this.note(kind, 'ws', opcode === 1 ? Buffer.byteLength(payload) : Buffer.from(payload, 'base64').length);
	}

	private note(kind: NetEvent['kind'], what: string, bytes: number): void {
		this.lastEventAt = performance.now();
		this.events.push({ at: this.lastEventAt, kind, what, bytes });
	}
}

function shortPath(url: string): string {
	const u = new URL(url);
	return u.pathname.length > 60 ? `${u.pathname.slice(0, 57)}...` : u.pathname;
}
