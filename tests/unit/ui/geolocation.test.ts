import { describe, expect, it } from 'vitest';
import { checkInPosition, quickPosition, type PositionSource } from '../../../src/lib/ui/geolocation';

function source(behaviour: (ok: PositionCallback, fail: PositionErrorCallback) => void): PositionSource {
	return { getCurrentPosition: (ok, fail) => behaviour(ok, fail ?? (() => undefined)) };
}

describe('a quick position for check-in', () => {
	it('gives the position when the device has one', async () => {
		const found = source((ok) => ok({ coords: { latitude: 50.63, longitude: 3.06 } } as GeolocationPosition));
		await expect(quickPosition(found, 1000)).resolves.toEqual({ lat: 50.63, lng: 3.06 });
	});

	it('gives null when location is refused', async () => {
		const refused = source((_ok, fail) => fail({ code: 1, message: 'denied' } as GeolocationPositionError));
		await expect(quickPosition(refused, 1000)).resolves.toBeNull();
	});

	it('gives null when the device takes too long', async () => {
		const silent = source(() => undefined);
		await expect(quickPosition(silent, 20)).resolves.toBeNull();
	});

	it('gives null when there is no location service at all', async () => {
		await expect(quickPosition(undefined, 1000)).resolves.toBeNull();
	});

	it('asks for a fresh fix at check-in, and falls back to a recent one when the GPS is slow', async () => {
		const asked: number[] = [];
		const slowGps: PositionSource = {
			getCurrentPosition: (ok, _fail, options) => {
				asked.push(options?.maximumAge ?? -1);
				// Only a cached fix is at hand at once.
				if ((options?.maximumAge ?? 0) > 0) ok({ coords: { latitude: 45.7, longitude: 4.8 } } as GeolocationPosition);
			}
		};
		await expect(checkInPosition(slowGps, 20)).resolves.toEqual({ lat: 45.7, lng: 4.8 });
		expect(asked).toEqual([0, 120_000]);
	});
});
