import type { DeviceReportRequest } from '../protocol/office-api';
import type { SyncStatus } from './engine-types';

/** At most one report per this long; the last state within it is sent at its end. */
export const REPORT_INTERVAL_MS = 5000;

/**
 * Tells the server, while online, what this device would otherwise keep to
 * itself: how many records wait to sync, its last sync error, and when it was
 * last fully synced, for the managers' Sync Activity. A report goes out when one
 * of those changes, throttled; a failed one is sent again at the next change.
 */
export class DeviceReporter {
	private sentKey: string | null = null;
	private next: { report: DeviceReportRequest; key: string } | null = null;
	private lastSentAt = Number.NEGATIVE_INFINITY;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private stopped = false;

	constructor(
		private readonly send: (report: DeviceReportRequest) => Promise<void>,
		private readonly intervalMs = REPORT_INTERVAL_MS
	) {}

	observe(status: SyncStatus, deviceId: string): void {
		if (this.stopped || status.connection !== 'online' || deviceId === '') return;
		const report: DeviceReportRequest = { deviceId, waiting: status.waiting, error: status.error, lastSyncedAt: status.lastSyncedAt };
		const key = JSON.stringify(report);
		if (key === this.sentKey && this.next === null) return;
		this.next = { report, key };
		if (this.timer) return;
		this.timer = setTimeout(() => void this.sendNext(), Math.max(0, this.lastSentAt + this.intervalMs - Date.now()));
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private async sendNext(): Promise<void> {
		this.timer = null;
		const next = this.next;
		this.next = null;
		if (!next || next.key === this.sentKey) return;
		this.lastSentAt = Date.now();
		this.sentKey = next.key;
		try {
			await this.send(next.report);
		} catch {
			// Offline again or the server is away: the next status change reports afresh.
			if (this.sentKey === next.key) this.sentKey = null;
		}
	}
}

/** POST /api/devices/report; throws when the server did not take it. */
export async function postDeviceReport(baseUrl: string, token: string, report: DeviceReportRequest, fetcher: typeof fetch): Promise<void> {
	const res = await fetcher(`${baseUrl}/api/devices/report`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(report)
	});
	if (!res.ok) throw new Error(`device report refused (${res.status})`);
}
