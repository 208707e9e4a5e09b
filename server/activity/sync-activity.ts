import type { WebSocket } from 'ws';
import type { Logger } from '../log';
import type { DocumentStore } from '../store/document-store';
import { MAX_DEVICES_PER_USER, mergeActivity, StoredActivitySchema, type DeviceActivity, type DeviceReport, type StoredActivity, type UserRefusals } from './activity-records';

/** The store metadata key holding every device's activity. */
export const SYNC_ACTIVITY_KEY = 'sync-activity';
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A busy socket marks the device seen at most this often. */
const SEEN_RESOLUTION_MS = 1000;
/** While a device is connected its record is refreshed this often, so other instances know it still is. */
export const HEARTBEAT_MS = 30_000;
/** A record another instance marked open counts as connected while it is younger than this. */
const OPEN_RECORD_FRESH_MS = 2 * HEARTBEAT_MS + 10_000;

export interface SyncActivityOptions {
	store: DocumentStore;
	log: Logger;
	/** How long changes wait before they are written to the store together. */
	saveDelayMs?: number;
	now?: () => Date;
}

/** A device with whether it has a socket open now (on this instance or, recently heard, another). */
export interface LiveDeviceActivity extends Omit<DeviceActivity, 'open'> {
	connected: boolean;
}

/**
 * Which devices of which users sync, and how it goes: connects and disconnects
 * on `/sync` (the app sends its device id), last activity, what each device last
 * reported, and refused writes per user. Kept in memory and written to the store
 * as one metadata value a few seconds after it changes (and at shutdown), so it
 * survives a restart on every backend without a table of its own: it is a few
 * hundred small records, read whole by one dashboard. Instances sharing a store
 * merge their records there (the most recently seen wins per device); a device
 * connected to another instance is known by that instance's heartbeat.
 */
export class SyncActivity {
	private readonly devices = new Map<string, DeviceActivity>();
	private readonly users = new Map<string, UserRefusals>();
	private readonly openSockets = new Map<string, number>();
	private readonly lastTouch = new Map<string, number>();
	private saveTimer: NodeJS.Timeout | null = null;
	private readonly heartbeat: NodeJS.Timeout;
	private saving: Promise<void> = Promise.resolve();
	private closed = false;
	private readonly now: () => Date;

	private constructor(private readonly options: SyncActivityOptions) {
		this.now = options.now ?? (() => new Date());
		this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
		this.heartbeat.unref();
	}

	/** The activity stored by earlier runs (an unreadable value starts empty, with a warning). */
	static async load(options: SyncActivityOptions): Promise<SyncActivity> {
		const activity = new SyncActivity(options);
		activity.adopt(await readStored(options.store, options.log));
		return activity;
	}

	static isDeviceId(value: unknown): value is string {
		return typeof value === 'string' && DEVICE_ID.test(value);
	}

	/** Follows one `/sync` socket of a device; a socket without a usable device id is not tracked. */
	trackConnection(ws: WebSocket, userId: string, deviceId: string | null): void {
		if (this.closed || !SyncActivity.isDeviceId(deviceId)) return;
		const key = keyOf(userId, deviceId);
		const at = this.now().toISOString();
		const device = this.deviceFor(userId, deviceId, at);
		device.lastConnectedAt = at;
		device.lastSeenAt = at;
		device.open = true;
		this.openSockets.set(key, (this.openSockets.get(key) ?? 0) + 1);
		this.changed();
		ws.on('message', () => this.seen(key));
		ws.once('close', () => {
			const open = (this.openSockets.get(key) ?? 1) - 1;
			if (open > 0) this.openSockets.set(key, open);
			else this.openSockets.delete(key);
			const current = this.devices.get(key);
			if (!current) return;
			current.lastDisconnectedAt = this.now().toISOString();
			current.lastSeenAt = current.lastDisconnectedAt;
			current.open = open > 0;
			this.changed();
		});
	}

	report(userId: string, deviceId: string, report: Omit<DeviceReport, 'at'>): void {
		const at = this.now().toISOString();
		const device = this.deviceFor(userId, deviceId, at);
		device.report = { ...report, at };
		device.lastSeenAt = at;
		this.changed();
	}

	noteRefusals(userId: string, docName: string, reasons: readonly string[]): void {
		if (reasons.length === 0) return;
		const user = this.users.get(userId) ?? { userId, refusedWrites: 0, lastRefusal: null };
		user.refusedWrites += reasons.length;
		user.lastRefusal = { reason: reasons[reasons.length - 1]!, doc: docName, at: this.now().toISOString() };
		this.users.set(userId, user);
		this.changed();
	}

	listDevices(): LiveDeviceActivity[] {
		const nowMs = this.now().getTime();
		return [...this.devices.entries()].map(([key, { open, ...device }]) => ({
			...device,
			report: device.report ? { ...device.report } : null,
			connected: this.openSockets.has(key) || (open && nowMs - Date.parse(device.lastSeenAt) < OPEN_RECORD_FRESH_MS)
		}));
	}

	refusalsOf(userId: string): UserRefusals | undefined {
		const user = this.users.get(userId);
		return user ? { ...user, lastRefusal: user.lastRefusal ? { ...user.lastRefusal } : null } : undefined;
	}

	/** Takes in what other instances stored since (before a dashboard is built). */
	async refreshFromStore(): Promise<void> {
		this.adopt(await readStored(this.options.store, this.options.log));
	}

	/** Writes what changed now (merging with what another instance may have written meanwhile). */
	flush(): Promise<void> {
		if (this.saveTimer) clearTimeout(this.saveTimer);
		this.saveTimer = null;
		this.saving = this.saving.then(() => this.save());
		return this.saving;
	}

	/** The last write; nothing is recorded afterwards, and devices connected here are no longer open. */
	async close(): Promise<void> {
		clearInterval(this.heartbeat);
		for (const key of this.openSockets.keys()) {
			const device = this.devices.get(key);
			if (device) device.open = false;
		}
		this.openSockets.clear();
		await this.flush();
		this.closed = true;
	}

	/** Stored records newer than ours replace them, except for devices connected here (ours is the truth). */
	private adopt(stored: StoredActivity): void {
		for (const device of stored.devices) {
			const key = keyOf(device.userId, device.deviceId);
			const mine = this.devices.get(key);
			if (this.openSockets.has(key) || (mine && mine.lastSeenAt >= device.lastSeenAt)) continue;
			this.devices.set(key, { ...device });
		}
		for (const user of stored.users) {
			const mine = this.users.get(user.userId);
			if (!mine || mine.refusedWrites < user.refusedWrites) this.users.set(user.userId, { ...user });
		}
	}

	private deviceFor(userId: string, deviceId: string, at: string): DeviceActivity {
		const key = keyOf(userId, deviceId);
		let device = this.devices.get(key);
		if (!device) {
			device = { userId, deviceId, firstSeenAt: at, lastConnectedAt: null, lastDisconnectedAt: null, lastSeenAt: at, open: false, report: null };
			this.devices.set(key, device);
			this.forgetOldDevices(userId);
		}
		return device;
	}

	private forgetOldDevices(userId: string): void {
		const mine = [...this.devices.entries()].filter(([key, d]) => d.userId === userId && !this.openSockets.has(key));
		const excess = [...this.devices.values()].filter((d) => d.userId === userId).length - MAX_DEVICES_PER_USER;
		if (excess <= 0) return;
		mine.sort((a, b) => a[1].lastSeenAt.localeCompare(b[1].lastSeenAt));
		for (const [key] of mine.slice(0, excess)) this.devices.delete(key);
	}

	private seen(key: string): void {
		const device = this.devices.get(key);
		if (!device) return;
		const nowMs = this.now().getTime();
		if (nowMs - (this.lastTouch.get(key) ?? 0) < SEEN_RESOLUTION_MS) return;
		this.lastTouch.set(key, nowMs);
		device.lastSeenAt = new Date(nowMs).toISOString();
		this.changed();
	}

	private beat(): void {
		if (this.openSockets.size === 0) return;
		const at = this.now().toISOString();
		for (const key of this.openSockets.keys()) {
			const device = this.devices.get(key);
			if (device) device.lastSeenAt = at;
		}
		this.changed();
	}

	private changed(): void {
		if (this.closed || this.saveTimer) return;
		this.saveTimer = setTimeout(() => void this.flush(), this.options.saveDelayMs ?? 2000);
		this.saveTimer.unref();
	}

	private async save(): Promise<void> {
		const mine: StoredActivity = { version: 1, devices: [...this.devices.values()], users: [...this.users.values()] };
		try {
			const merged = mergeActivity(mine, await readStored(this.options.store, this.options.log));
			await this.options.store.putMeta(SYNC_ACTIVITY_KEY, JSON.stringify(merged));
			this.adopt(merged);
		} catch (err) {
			this.options.log.warn({ err }, 'could not store sync activity; it is kept in memory and retried');
			this.changed();
		}
	}
}

function keyOf(userId: string, deviceId: string): string {
	return `${userId}\u0000${deviceId}`;
}

async function readStored(store: DocumentStore, log: Logger): Promise<StoredActivity> {
	const empty: StoredActivity = { version: 1, devices: [], users: [] };
	const raw = await store.getMeta(SYNC_ACTIVITY_KEY);
	if (raw === undefined) return empty;
	try {
		const parsed = StoredActivitySchema.safeParse(JSON.parse(raw));
		if (parsed.success) return parsed.data;
		log.warn({ issues: parsed.error.issues.length }, 'stored sync activity does not match its schema; starting empty');
	} catch {
		log.warn('stored sync activity is not JSON; starting empty');
	}
	return empty;
}
