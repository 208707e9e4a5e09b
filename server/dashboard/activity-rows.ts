import type { DeviceActivityRow } from '../../src/lib/protocol/office-api';
import type { UserRefusals } from '../activity/activity-records';
import type { LiveDeviceActivity } from '../activity/sync-activity';
import type { UserRecord } from '../store/document-store';

export interface ActivityInput {
	users: readonly UserRecord[];
	devices: readonly LiveDeviceActivity[];
	refusals(userId: string): UserRefusals | undefined;
	/** Flagged records per user (that day). */
	flagged: ReadonlyMap<string, number>;
	now: Date;
	staleAfterHours: number;
}

/**
 * One row per device of each user in view, and one for a user none of whose
 * devices ever synced (that is stale too: nothing of theirs reaches the office).
 */
export function activityRows(input: ActivityInput): DeviceActivityRow[] {
	const staleBefore = input.now.getTime() - input.staleAfterHours * 3_600_000;
	const rows: DeviceActivityRow[] = [];
	for (const user of input.users) {
		const refusals = input.refusals(user.id);
		const common = {
			userId: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			refusedWrites: refusals?.refusedWrites ?? 0,
			lastRefusal: refusals?.lastRefusal ?? null,
			flagged: input.flagged.get(user.id) ?? 0
		};
		const devices = input.devices.filter((d) => d.userId === user.id);
		if (devices.length === 0) {
			rows.push({
				...common,
				deviceId: null,
				connected: false,
				lastSyncAt: null,
				lastConnectedAt: null,
				lastDisconnectedAt: null,
				waiting: null,
				reportedAt: null,
				deviceSyncedAt: null,
				deviceError: null,
				stale: true
			});
			continue;
		}
		for (const device of devices) {
			rows.push({
				...common,
				deviceId: device.deviceId,
				connected: device.connected,
				lastSyncAt: device.lastSeenAt,
				lastConnectedAt: device.lastConnectedAt,
				lastDisconnectedAt: device.lastDisconnectedAt,
				waiting: device.report?.waiting ?? null,
				reportedAt: device.report?.at ?? null,
				deviceSyncedAt: device.report?.lastSyncedAt ?? null,
				deviceError: device.report?.error ?? null,
				stale: !device.connected && Date.parse(device.lastSeenAt) < staleBefore
			});
		}
	}
	return rows;
}
