import { z } from 'zod';

/** What a device last said about itself (POST /api/devices/report). */
export const DeviceReportSchema = z.object({
	/** Documents with changes the server has not yet acknowledged as durable. */
	waiting: z.number().int().min(0).max(1_000_000),
	/** The device's last sync error, in the words the rep saw. */
	error: z.string().max(500).nullable(),
	/** When the device was last fully synced, by its own clock. */
	lastSyncedAt: z.string().max(40).nullable(),
	/** When the server received the report. */
	at: z.string()
});
export type DeviceReport = z.infer<typeof DeviceReportSchema>;

/** One device of one user, as the relay saw it. */
export const DeviceActivitySchema = z.object({
	userId: z.string(),
	deviceId: z.string(),
	firstSeenAt: z.string(),
	lastConnectedAt: z.string().nullable(),
	lastDisconnectedAt: z.string().nullable(),
	/** The last time the device exchanged anything with the server: connect, message or report. */
	lastSeenAt: z.string(),
	/**
	 * The instance that wrote this record had a socket of the device open; it
	 * refreshes `lastSeenAt` while it does (see SyncActivity's heartbeat).
	 */
	open: z.boolean().default(false),
	report: DeviceReportSchema.nullable()
});
export type DeviceActivity = z.infer<typeof DeviceActivitySchema>;

/** Writes of one user the server refused or put back (whichever device sent them). */
export const UserRefusalsSchema = z.object({
	userId: z.string(),
	refusedWrites: z.number().int().min(0),
	lastRefusal: z.object({ reason: z.string(), doc: z.string(), at: z.string() }).nullable()
});
export type UserRefusals = z.infer<typeof UserRefusalsSchema>;

/** The stored form: one JSON value in the store's metadata. */
export const StoredActivitySchema = z.object({
	version: z.literal(1),
	devices: z.array(DeviceActivitySchema),
	users: z.array(UserRefusalsSchema)
});
export type StoredActivity = z.infer<typeof StoredActivitySchema>;

/** Devices kept per user; the least recently seen go first (a browser that wiped its storage is a new device). */
export const MAX_DEVICES_PER_USER = 10;

/**
 * Two views of the same activity (this process's and what another wrote to the
 * store): each device and user keeps the record seen most recently.
 */
export function mergeActivity(mine: StoredActivity, theirs: StoredActivity): StoredActivity {
	const devices = new Map<string, DeviceActivity>();
	for (const device of [...theirs.devices, ...mine.devices]) {
		const key = `${device.userId}\u0000${device.deviceId}`;
		const known = devices.get(key);
		if (!known || known.lastSeenAt <= device.lastSeenAt) devices.set(key, device);
	}
	const users = new Map<string, UserRefusals>();
	for (const user of [...theirs.users, ...mine.users]) {
		const known = users.get(user.userId);
		if (!known || known.refusedWrites <= user.refusedWrites) users.set(user.userId, user);
	}
	const byUser = new Map<string, DeviceActivity[]>();
	for (const device of devices.values()) byUser.set(device.userId, [...(byUser.get(device.userId) ?? []), device]);
	const kept = [...byUser.values()].flatMap((list) => list.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt)).slice(0, MAX_DEVICES_PER_USER));
	return { version: 1, devices: kept, users: [...users.values()] };
}
