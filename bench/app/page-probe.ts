/**
 * Runs in every document of a measured browser context (addInitScript, main
 * world) and records, in epoch milliseconds by the page's own clock, when what the rep sees changed:
 * the sync indicator's words, the accounts list, the page heading and the
 * "Name" input. Recording in the page avoids the driver's round trips.
 */

export interface Transition {
	/** Epoch milliseconds. */
	t: number;
	value: string | null;
}

export interface ProbeRecord {
	/** The document's time origin (its navigation start), epoch ms by the page's clock. */
	origin: number;
	/** Sync indicator text. */
	label: Transition[];
	/** Accounts list: "<items shown>|<the 'Showing x of y' note or ''>", or null when there is no list. */
	accounts: Transition[];
	/** Text of the page's first h1. */
	heading: Transition[];
	/** Value of the input labelled "Name". */
	nameInput: Transition[];
	clicks: Array<{ t: number; text: string }>;
	/** Every websocket message the page sent or received, stamped as the page saw it (before the app handled it). */
	ws: Array<{ t: number; dir: 's' | 'r'; bytes: number }>;
	/** Main-thread tasks over 50 ms (Long Tasks API), start and duration. */
	longTasks: Array<{ t: number; ms: number }>;
	inputs: Array<{ t: number; value: string }>;
}

/** Serialised by Playwright into the page: self-contained, no imports, no closures. */
export function probeScript(): void {
	const w = window as unknown as { __bench?: ProbeRecord };
	if (w.__bench) return;
	const probe: ProbeRecord = { origin: performance.timeOrigin, label: [], accounts: [], heading: [], nameInput: [], clicks: [], ws: [], longTasks: [], inputs: [] };
	w.__bench = probe;
	const origin = performance.timeOrigin;
	const now = () => origin + performance.now();
	const SYNC_WORDS = /^(Syncing…|Downloading \d+ of \d+ records|Synced · last at|\d+ changes? waiting|Sync failed|Sign in again)/;

	const push = (list: Transition[], value: string | null, t: number) => {
		const last = list[list.length - 1];
		if (!last || last.value !== value) list.push({ t, value });
	};
	const syncLabel = (): string | null => {
		const direct = document.querySelector('header .sync');
		if (direct) return direct.textContent?.replace(/\s+/g, ' ').trim() ?? null;
		for (const el of Array.from(document.querySelectorAll('header a, header button'))) {
			const text = el.textContent?.replace(/\s+/g, ' ').trim() ?? '';
			if (SYNC_WORDS.test(text)) return text;
		}
		return null;
	};
	const accountsList = (): string | null => {
		const list = document.querySelector('ul[aria-label="Accounts"]');
		const note = Array.from(document.querySelectorAll('main p')).find((p) => /^Showing \d+ of \d+/.test(p.textContent ?? ''));
		const empty = Array.from(document.querySelectorAll('main p')).find((p) => /^No account/.test(p.textContent ?? ''));
		if (!list && !note && !empty) return null;
		return `${list ? list.querySelectorAll('li').length : 0}|${note?.textContent?.trim() ?? empty?.textContent?.trim() ?? ''}`;
	};
	const nameInput = (): string | null => {
		const label = Array.from(document.querySelectorAll('label')).find((l) => l.textContent?.trim() === 'Name');
		const input = label?.htmlFor ? (document.getElementById(label.htmlFor) as HTMLInputElement | null) : null;
		return input ? input.value : null;
	};
	const record = () => {
		const t = now();
		push(probe.label, syncLabel(), t);
		push(probe.accounts, accountsList(), t);
		push(probe.heading, document.querySelector('h1')?.textContent?.trim() ?? null, t);
		push(probe.nameInput, nameInput(), t);
	};
	new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['value'] });
	addEventListener(
		'click',
		(e) => probe.clicks.push({ t: origin + e.timeStamp, text: ((e.target as Element | null)?.textContent ?? '').trim().slice(0, 80) }),
		true
	);
	// A thin subclass that only counts: the driver sees the same frames, but not when the page handled them.
	const size = (data: unknown): number =>
		typeof data === 'string' ? new TextEncoder().encode(data).byteLength : data instanceof Blob ? data.size : ((data as ArrayBufferLike | ArrayBufferView).byteLength ?? 0);
	const NativeWebSocket = window.WebSocket;
	class CountingWebSocket extends NativeWebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			// Registered before the app sets onmessage, so it runs first.
			this.addEventListener('message', (e) => probe.ws.push({ t: now(), dir: 'r', bytes: size(e.data) }));
		}
		override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
			probe.ws.push({ t: now(), dir: 's', bytes: size(data) });
			super.send(data);
		}
	}
	window.WebSocket = CountingWebSocket;
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) probe.longTasks.push({ t: origin + e.startTime, ms: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	} catch {
		// No Long Tasks API: the list stays empty.
	}
	addEventListener('input', (e) => probe.inputs.push({ t: origin + e.timeStamp, value: (e.target as HTMLInputElement | null)?.value ?? '' }), true);
}
