import type { DocKind } from '../../src/lib/model/names';
import type { DeviceDocEntry, SyncStatus } from '../../src/lib/sync/engine-types';

/** A device index entry as the engine would list it; the kind comes from the name. */
export function deviceEntry(name: string, overrides: Partial<DeviceDocEntry> = {}): DeviceDocEntry {
	return {
		name,
		kind: name.slice(0, name.indexOf(':')) as DocKind,
		title: name,
		territory: 'north',
		accountId: null,
		day: null,
		status: null,
		sequence: null,
		subtitle: null,
		searchText: '',
		updatedAt: '2026-11-24T08:00:00.000Z',
		...overrides
	};
}

/** A sync status: online, automatic, nothing waiting, unless overridden. */
export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
	return {
		connection: 'online',
		mode: 'automatic',
		downloading: false,
		downloaded: 0,
		total: 0,
		waiting: 0,
		lastSyncedAt: null,
		retryAt: null,
		error: null,
		needsSignIn: false,
		...overrides
	};
}
