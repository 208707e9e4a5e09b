import { distanceMeters, isUsablePosition, type LatLng } from './geo';

/** Big enough for a phone's GPS in a street of tall buildings, small enough to tell the shop next door. */
export const DEFAULT_GEOFENCE_RADIUS_M = 200;
export const MIN_GEOFENCE_RADIUS_M = 25;
export const MAX_GEOFENCE_RADIUS_M = 5000;

/** What the device can say about where the rep stands relative to the store. */
export type GeofenceResult =
	| { kind: 'inside'; distanceM: number }
	| { kind: 'outside'; distanceM: number }
	/** No GPS fix (location off, indoors, timed out). */
	| { kind: 'no-position' }
	/** The account has no coordinates: there is no fence to be inside of. */
	| { kind: 'no-store-location' };

/** A radius from configuration, clamped to sane bounds; anything unreadable gives the default. */
export function geofenceRadius(value: unknown): number {
	const radius = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof radius !== 'number' || !Number.isFinite(radius) || radius <= 0) return DEFAULT_GEOFENCE_RADIUS_M;
	return Math.min(MAX_GEOFENCE_RADIUS_M, Math.max(MIN_GEOFENCE_RADIUS_M, Math.round(radius)));
}

export function checkGeofence(
	position: LatLng | null | undefined,
	store: { lat: number | null; lng: number | null } | null | undefined,
	radiusM: number = DEFAULT_GEOFENCE_RADIUS_M
): GeofenceResult {
	if (!isUsablePosition(store)) return { kind: 'no-store-location' };
	if (!isUsablePosition(position)) return { kind: 'no-position' };
	const distanceM = distanceMeters(position, store);
	// On the boundary counts as inside: the rep is as close as the fence asks.
	return distanceM <= radiusM ? { kind: 'inside', distanceM } : { kind: 'outside', distanceM };
}

/** Whether a check-in with this result needs the rep to say why. */
export function needsReason(result: GeofenceResult): boolean {
	return result.kind === 'outside' || result.kind === 'no-position';
}

/** "80 m", "1.2 km": distances as a rep reads them. */
export function formatDistance(metres: number): string {
	if (!Number.isFinite(metres)) return '—';
	if (metres < 1000) return `${Math.round(metres)} m`;
	if (metres < 10_000) return `${(metres / 1000).toFixed(1)} km`;
	return `${Math.round(metres / 1000)} km`;
}
