/**
 * The JSON of the office endpoints (manager's dashboard, messages, device
 * reports), shared by the server that writes it and the app that reads it.
 */

/** One rep's day: GET /api/dashboard `team[]`. */
export interface RepDay {
	userId: string;
	displayName: string;
	territories: string[];
	visits: {
		/** Visits on the plan that day (not cancelled). */
		planned: number;
		done: number;
		inProgress: number;
		skipped: number;
	};
	/** Orders created that day, by reconciliation state. */
	orders: {
		taken: number;
		draft: number;
		/** Submitted, not yet reconciled against stock. */
		awaiting: number;
		confirmed: number;
		partial: number;
		rejected: number;
		cancelled: number;
	};
	/** That day's visits and orders of this rep with validation flags or open conflicts. */
	flagged: number;
}

/** A record that needs someone's eye: validation flags or open conflicts. */
export interface AttentionItem {
	name: string;
	kind: string;
	title: string;
	territory: string | null;
	owner: string | null;
	flags: string[];
	openConflicts: number;
}

/** One device of one user (or a user with none yet): GET /api/dashboard `activity[]`. */
export interface DeviceActivityRow {
	userId: string;
	username: string;
	displayName: string;
	role: string;
	/** Null for a user no device of whom has synced yet. */
	deviceId: string | null;
	/** A socket of this device is open now. */
	connected: boolean;
	/** The last time the device exchanged anything with the server. */
	lastSyncAt: string | null;
	lastConnectedAt: string | null;
	lastDisconnectedAt: string | null;
	/** Changes waiting on the device, as it last reported; null if it never did. */
	waiting: number | null;
	reportedAt: string | null;
	/** When the device says it was last fully synced. */
	deviceSyncedAt: string | null;
	/** The device's last sync error as it reported it. */
	deviceError: string | null;
	/** Writes of this user the server refused or put back (any device). */
	refusedWrites: number;
	lastRefusal: { reason: string; doc: string; at: string } | null;
	/** Records of this user (that day) with validation flags or open conflicts. */
	flagged: number;
	/** Not connected and not seen for `staleAfterHours` (or never). */
	stale: boolean;
}

export interface DashboardResponse {
	/** YYYY-MM-DD the team overview is about. */
	day: string;
	generatedAt: string;
	staleAfterHours: number;
	team: RepDay[];
	attention: AttentionItem[];
	activity: DeviceActivityRow[];
}

/** POST /api/messages */
export interface SendMessageRequest {
	to: { userId: string } | { territory: string };
	title: string;
	body: string;
	urgent?: boolean;
}

export interface SendMessageResponse {
	sent: Array<{ userId: string; messageId: string }>;
}

/** POST /api/devices/report: what the device says about its sync. */
export interface DeviceReportRequest {
	deviceId: string;
	waiting: number;
	error: string | null;
	lastSyncedAt: string | null;
}
