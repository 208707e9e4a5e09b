import type { DeviceDocEntry } from '../sync/engine-types';

/** An account's visits or orders, newest first, at most `limit`. */
export function recentForAccount(entries: readonly DeviceDocEntry[], accountId: string, limit = 5): DeviceDocEntry[] {
	return entries
		.filter((entry) => entry.accountId === accountId)
		.sort((a, b) => (b.day ?? '').localeCompare(a.day ?? '') || b.updatedAt.localeCompare(a.updatedAt))
		.slice(0, limit);
}
