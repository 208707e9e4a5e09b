/** What GET /api/admin/status answers (server/http/admin-status.ts), for the admin page. */
export interface RelayStatus {
	startedAt: string;
	uptimeSeconds: number;
	connections: { doc: number; sync: number };
	documentsInMemory: number;
	updates: { received: number; sent: number; persisted: number };
	persistence: { commits: number; failures: number; meanSeconds: number | null; p50Seconds: number | null; p99Seconds: number | null };
	batches: { count: number; meanUpdates: number | null; buckets: Array<{ le: number; count: number }> };
	refused: Record<string, number>;
	ordersReconciled: Record<string, number>;
	store: { backend: string; ready: boolean; sizeBytes: number | null };
	fanout: { backend: string; connected: boolean };
	config: Record<string, unknown>;
}

/** What each refusal reason means to a person (server/metrics/relay-metrics.ts REFUSAL_REASONS). */
const REFUSAL_LABELS: Record<string, string> = {
	unauthorized: 'Bad or expired token',
	forbidden: 'Document not allowed to the user',
	read_only: 'Write to a read-only document',
	missing_account: 'New record naming no account',
	outside_territory: 'New record outside the user’s territories',
	document_too_large: 'Document would grow too large',
	protected_change: 'Protected field, put back',
	rate_limited: 'Too many messages (rate limit)',
	malformed: 'Malformed message',
	message_too_big: 'Message too big'
};

export function refusalLabel(reason: string): string {
	return REFUSAL_LABELS[reason] ?? reason.replaceAll('_', ' ');
}

/** `partially_confirmed` → `Partially confirmed`. */
export function resultLabel(result: string): string {
	const words = result.replaceAll('_', ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface Reading {
	status: RelayStatus;
	/** Milliseconds since the epoch when it arrived. */
	at: number;
}

export class RelayStatusError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
		this.name = 'RelayStatusError';
	}
}

export async function fetchRelayStatus(baseUrl: string, token: string, fetcher: typeof fetch = fetch): Promise<RelayStatus> {
	const res = await fetcher(`${baseUrl}/api/admin/status`, { headers: { authorization: `Bearer ${token}` } });
	if (res.status === 403) throw new RelayStatusError('Only an admin sees the relay status.', 403);
	if (!res.ok) throw new RelayStatusError(`The relay did not answer (${res.status}).`, res.status);
	const body = (await res.json()) as Partial<RelayStatus> | null;
	if (!body || typeof body.uptimeSeconds !== 'number' || !body.updates || !body.persistence || !body.batches) {
		throw new RelayStatusError('The relay answered something that is not a status.', res.status);
	}
	return body as RelayStatus;
}

/** Updates per second between two readings; null until there are two from the same run of the relay. */
export function updateRates(previous: Reading | null, current: Reading): { received: number; sent: number } | null {
	if (!previous || previous.status.startedAt !== current.status.startedAt) return null;
	const seconds = (current.at - previous.at) / 1000;
	if (seconds <= 0) return null;
	return {
		received: Math.max(0, current.status.updates.received - previous.status.updates.received) / seconds,
		sent: Math.max(0, current.status.updates.sent - previous.status.updates.sent) / seconds
	};
}

/** Each bucket of group-commit sizes as a range a person reads ("3–5 updates"), busiest rows only. */
export function batchRows(batches: RelayStatus['batches']): Array<{ label: string; count: number }> {
	const rows: Array<{ label: string; count: number }> = [];
	let low = 1;
	let counted = 0;
	for (const bucket of batches.buckets) {
		if (bucket.count > 0) rows.push({ label: low >= bucket.le ? `${bucket.le}` : `${low}–${bucket.le}`, count: bucket.count });
		counted += bucket.count;
		low = bucket.le + 1;
	}
	const beyond = batches.count - counted;
	if (beyond > 0) rows.push({ label: `over ${low - 1}`, count: beyond });
	return rows;
}

export function formatBytes(bytes: number | null): string {
	if (bytes === null) return '—';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null): string {
	if (seconds === null) return '—';
	const ms = seconds * 1000;
	if (seconds < 1) return `${ms.toFixed(ms < 1 ? 2 : ms < 100 ? 1 : 0)} ms`;
	return `${seconds.toFixed(2)} s`;
}

export function formatUptime(seconds: number): string {
	const days = Math.floor(seconds / 86_400);
	const hours = Math.floor((seconds % 86_400) / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	if (days > 0) return `${days} d ${hours} h`;
	if (hours > 0) return `${hours} h ${minutes} min`;
	if (minutes > 0) return `${minutes} min`;
	return `${Math.floor(seconds)} s`;
}

export function formatRate(perSecond: number | undefined): string {
	if (perSecond === undefined) return '…';
	return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s`;
}

/** `{ limits: { burst: 2000 } }` → [['limits.burst', '2000']], null as "not set". */
export function configRows(config: Record<string, unknown>, prefix = ''): Array<[string, string]> {
	const rows: Array<[string, string]> = [];
	for (const [key, value] of Object.entries(config)) {
		const name = prefix ? `${prefix}.${key}` : key;
		if (value !== null && typeof value === 'object' && !Array.isArray(value)) rows.push(...configRows(value as Record<string, unknown>, name));
		else rows.push([name, value === null ? 'not set' : String(value)]);
	}
	return rows;
}
