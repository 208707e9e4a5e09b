import type { VisitFields } from '../model/visit';
import { formatDistance, type GeofenceResult } from '../routes/geofence';
import type { LatLng } from '../routes/geo';

/** Common reasons offered as one tap; the rep can also type their own. */
export const CHECK_IN_REASONS = [
	'GPS is inaccurate here',
	'Store location on the map is wrong',
	'Met the customer at another place',
	'Visit by phone or video'
] as const;

/** What the check-in screen says about the rep's distance to the store. */
export function describeGeofence(result: GeofenceResult, radiusM: number): string {
	switch (result.kind) {
		case 'inside':
			return `You are at the store (${formatDistance(result.distanceM)} away).`;
		case 'outside':
			return `You are ${formatDistance(result.distanceM)} from the store; check-in is expected within ${formatDistance(radiusM)}.`;
		case 'no-position':
			return 'Your location is not available, so the check-in cannot be confirmed at the store.';
		case 'no-store-location':
			return 'This account has no location on the map, so the check-in is not compared with it.';
	}
}

/** The visit fields a check-in writes: time, both positions, the distance, and the reason when one was needed. */
export function checkInFields(args: {
	at: string;
	position: LatLng | null;
	store: LatLng | null;
	result: GeofenceResult;
	reason: string | null;
}): Partial<VisitFields> {
	const { at, position, store, result } = args;
	const reason = args.reason?.trim() || null;
	return {
		status: 'checked_in',
		checkInAt: at,
		checkInLat: position?.lat ?? null,
		checkInLng: position?.lng ?? null,
		checkInStoreLat: store?.lat ?? null,
		checkInStoreLng: store?.lng ?? null,
		checkInDistanceM: result.kind === 'inside' || result.kind === 'outside' ? Math.round(result.distanceM) : null,
		checkInReason: result.kind === 'inside' || result.kind === 'no-store-location' ? null : reason
	};
}
