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
export function quickPosition(source: PositionSource | undefined, timeoutMs: number): Promise<Position | null> {
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
				{ enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 }
			);
		} catch {
			finish(null);
		}
	});
}
