import type { Page, Request } from 'playwright-core';

/** Bytes a page moved, as Chromium reported them to the driver. */
export interface Traffic {
	/** Websocket message payloads, both directions. */
	wsSentBytes: number;
	wsReceivedBytes: number;
	wsSentMessages: number;
	wsReceivedMessages: number;
	/** Responses as they crossed the network: headers plus the body as transferred. */
	httpReceivedBytes: number;
	/** Request bodies the page sent (e.g. the sign-in form). */
	httpSentBytes: number;
	httpRequests: number;
	/** Responses served by the service worker, which cost no network. */
	httpFromServiceWorker: number;
}

export const emptyTraffic = (): Traffic => ({
	wsSentBytes: 0,
	wsReceivedBytes: 0,
	wsSentMessages: 0,
	wsReceivedMessages: 0,
	httpReceivedBytes: 0,
	httpSentBytes: 0,
	httpRequests: 0,
	httpFromServiceWorker: 0
});

export const totalBytes = (t: Traffic): number => t.wsSentBytes + t.wsReceivedBytes + t.httpReceivedBytes + t.httpSentBytes;

/** One network event, stamped when Chromium reported it (Node's performance.now()). */
export interface NetEvent {
	at: number;
	kind: 'ws-sent' | 'ws-received' | 'request' | 'response' | 'sw-response' | 'info';
	what: string;
	bytes: number;
	/** Websocket payloads, kept so a window's frames can be taken apart afterwards. */
	payload?: Uint8Array;
}

/**
 * Logs a page's websocket frames and HTTP bytes from Playwright's page events
 * (themselves CDP Network events of Playwright's own session). A second CDP
 * session is deliberately not used for this: enabling its Network domain, or
 * merely having it attached while the page navigates to another renderer
 * process, drops Chromium's offline emulation for the page (navigator.onLine
 * turns true), and the app then tries to connect during the "offline" run.
 */
export class NetworkMeter {
	private lastEventAt = performance.now();
	private pendingSizes = 0;
	readonly events: NetEvent[] = [];

	static attach(page: Page): NetworkMeter {
		const meter = new NetworkMeter();
		page.on('websocket', (ws) => {
			meter.note('info', `ws open ${new URL(ws.url()).pathname}`, 0);
			ws.on('framesent', ({ payload }) => meter.frame('ws-sent', payload));
			ws.on('framereceived', ({ payload }) => meter.frame('ws-received', payload));
			ws.on('close', () => meter.note('info', 'ws closed', 0));
		});
		page.on('request', (request) => meter.note('request', `${request.method()} ${shortPath(request.url())}`, request.postDataBuffer()?.byteLength ?? 0));
		page.on('requestfinished', (request) => meter.finished(request));
		return meter;
	}

	/** The time now, to sum a window of the log later. */
	mark(): number {
		return performance.now();
	}

	/** Traffic of the events after `mark`, up to epoch milliseconds `until` (all when omitted). */
	trafficSince(mark: number, until = Number.POSITIVE_INFINITY): Traffic {
		const out = emptyTraffic();
		const limit = until - performance.timeOrigin;
		for (const e of this.events) {
			if (e.at < mark || e.at > limit) continue;
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
				case 'sw-response':
					out.httpFromServiceWorker++;
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

	/** Bytes received per HTTP path after `mark` (what the API and the shell cost separately). */
	httpByPath(mark: number): Record<string, number> {
		const out: Record<string, number> = {};
		for (const e of this.events) if (e.at >= mark && (e.kind === 'response' || e.kind === 'sw-response')) out[e.what] = (out[e.what] ?? 0) + e.bytes;
		return out;
	}

	/** Events after `mark`, in the order they happened. */
	eventsSince(mark: number): NetEvent[] {
		return this.events.filter((e) => e.at >= mark).sort((a, b) => a.at - b.at);
	}

	/** Websocket messages after `mark` (up to epoch ms `until`), in order. */
	messagesSince(mark: number, until = Number.POSITIVE_INFINITY): Array<{ direction: 'sent' | 'received'; payload: Uint8Array }> {
		const limit = until - performance.timeOrigin;
		return this.eventsSince(mark)
			.filter((e) => e.at <= limit && e.payload && (e.kind === 'ws-sent' || e.kind === 'ws-received'))
			.map((e) => ({ direction: e.kind === 'ws-sent' ? ('sent' as const) : ('received' as const), payload: e.payload as Uint8Array }));
	}

	/** Resolves once no network event arrived for `quietMs` (or after `timeoutMs`). */
	async settle(quietMs: number, timeoutMs: number): Promise<void> {
		const start = performance.now();
		while ((this.pendingSizes > 0 || performance.now() - this.lastEventAt < quietMs) && performance.now() - start < timeoutMs) {
			await new Promise((r) => setTimeout(r, 25));
		}
	}

	private finished(request: Request): void {
		// Stamped now; the sizes need one more round trip to the browser.
		const at = performance.now();
		this.pendingSizes++;
		void (async () => {
			try {
				const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
				const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
				this.push({ at, kind: response?.fromServiceWorker() ? 'sw-response' : 'response', what: shortPath(request.url()), bytes });
			} catch {
				// The page closed before the sizes arrived: nothing left to count.
			} finally {
				this.pendingSizes--;
			}
		})();
	}

	private frame(kind: 'ws-sent' | 'ws-received', payload: string | Buffer): void {
		const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
		this.push({ at: performance.now(), kind, what: 'ws', bytes: bytes.byteLength, payload: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
	}

	private note(kind: NetEvent['kind'], what: string, bytes: number): void {
		this.push({ at: performance.now(), kind, what, bytes });
	}

	private push(event: NetEvent): void {
		this.lastEventAt = Math.max(this.lastEventAt, performance.now());
		this.events.push(event);
	}
}

function shortPath(url: string): string {
	const u = new URL(url);
	return u.pathname.length > 60 ? `${u.pathname.slice(0, 57)}...` : u.pathname;
}
