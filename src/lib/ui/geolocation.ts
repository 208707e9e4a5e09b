export interface Position {
	lat: number;
	lng: number;
}

/** The part of `navigator.geolocation` a check-in uses. */
export type PositionSource = Pick<Geolocation, 'getCurrentPosition'>;

/**
 * A position if the device has one within `timeoutMs`, else null: a check-in in a
 * basement or with location turned off must still go through at once.
 */
export function quickPosition(source: PositionSource | undefined, timeoutMs: number, maximumAgeMs = 60_000): Promise<Position | null> {
	if (!source) return Promise.resolve(null);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(null), timeoutMs);
		const finish = (position: Position | null): void => {
			clearTimeout(timer);
			resolve(position);
		};
		try {
			source.getCurrentPosition(
				(found) => finish({ lat: found.coords.latitude, lng: found.coords.longitude }),
				() => finish(null),
				{ enableHighAccuracy: true, timeout: timeoutMs, maximumAge: maximumAgeMs }
			);
		} catch {
			finish(null);
		}
	});
}

/**
 * Where the rep stands for a check-in: a fresh fix when the GPS gives one in time,
 * else one from the last two minutes. A minute-old fix taken in the car one street
 * away must not decide whether the rep is at the store, hence fresh first.
 */
export async function checkInPosition(source: PositionSource | undefined, timeoutMs: number): Promise<Position | null> {
	return (await quickPosition(source, timeoutMs, 0)) ?? (await quickPosition(source, 500, 120_000));
}
