import { describe, expect, it } from 'vitest';
import { quickPosition, type PositionSource } from '../../../src/lib/ui/geolocation';

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
});
