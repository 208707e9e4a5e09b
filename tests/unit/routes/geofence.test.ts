import { describe, expect, it } from 'vitest';
import { checkGeofence, DEFAULT_GEOFENCE_RADIUS_M, formatDistance, geofenceRadius, needsReason } from '../../../src/lib/routes/geofence';

const STORE = { lat: 45.764, lng: 4.8357 };
/** A point `metres` north of the store (1° of latitude ≈ 111,195 m). */
const north = (metres: number) => ({ lat: STORE.lat + metres / 111_195, lng: STORE.lng });

describe('the check-in geofence', () => {
	it('defaults to 200 m', () => {
		expect(DEFAULT_GEOFENCE_RADIUS_M).toBe(200);
	});

	it('is inside within the radius and outside beyond it, with the distance', () => {
		const near = checkGeofence(north(150), STORE);
		expect(near.kind).toBe('inside');
		expect(near.kind === 'inside' && near.distanceM).toBeCloseTo(150, 0);
		const far = checkGeofence(north(250), STORE);
		expect(far.kind).toBe('outside');
		expect(far.kind === 'outside' && far.distanceM).toBeCloseTo(250, 0);
	});

	it('counts the boundary as inside and honours a configured radius', () => {
		expect(checkGeofence(north(199.5), STORE, 200).kind).toBe('inside');
		expect(checkGeofence(north(250), STORE, 300).kind).toBe('inside');
		expect(checkGeofence(north(120), STORE, 100).kind).toBe('outside');
	});

	it('says when there is no position or no store location', () => {
		expect(checkGeofence(null, STORE)).toEqual({ kind: 'no-position' });
		expect(checkGeofence({ lat: 0, lng: 0 }, STORE)).toEqual({ kind: 'no-position' });
		expect(checkGeofence(north(10), { lat: null, lng: null })).toEqual({ kind: 'no-store-location' });
	});

	it('asks for a reason outside the fence or without a fix, never inside or for a store with no location', () => {
		expect(needsReason(checkGeofence(north(10), STORE))).toBe(false);
		expect(needsReason(checkGeofence(north(900), STORE))).toBe(true);
		expect(needsReason(checkGeofence(null, STORE))).toBe(true);
		expect(needsReason(checkGeofence(north(10), null))).toBe(false);
	});

	it('reads a radius from configuration, clamped, with the default for nonsense', () => {
		expect(geofenceRadius('350')).toBe(350);
		expect(geofenceRadius(120.4)).toBe(120);
		expect(geofenceRadius('abc')).toBe(200);
		expect(geofenceRadius(-5)).toBe(200);
		expect(geofenceRadius(undefined)).toBe(200);
		expect(geofenceRadius(3)).toBe(25);
		expect(geofenceRadius(1e9)).toBe(5000);
	});

	it('formats distances as a rep reads them', () => {
		expect(formatDistance(84.4)).toBe('84 m');
		expect(formatDistance(1234)).toBe('1.2 km');
		expect(formatDistance(23_456)).toBe('23 km');
	});
});
