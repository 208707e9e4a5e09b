import { isUsablePosition, type LatLng } from '../routes/geo';

/** The part of `navigator.geolocation` a watch uses. */
export type PositionWatcher = Pick<Geolocation, 'watchPosition' | 'clearWatch'>;

/** The device's position as Svelte state, while a screen that shows it is open. */
export class PositionState {
	#position: LatLng | null = $state.raw(null);
	#error: string | null = $state.raw(null);
	readonly #source: PositionWatcher | undefined;
	#watch: number | null = null;

	constructor(source: PositionWatcher | undefined) {
		this.#source = source;
		if (!source) {
			this.#error = 'This device does not share its location.';
			return;
		}
		try {
			this.#watch = source.watchPosition(
				(found) => {
					const position = { lat: found.coords.latitude, lng: found.coords.longitude };
					if (isUsablePosition(position)) this.#position = position;
					this.#error = null;
				},
				(failure) => {
					this.#error = failure.code === 1 ? 'Location is turned off for this app.' : 'Your location is not available right now.';
				},
				{ enableHighAccuracy: true, maximumAge: 30_000, timeout: 20_000 }
			);
		} catch {
			this.#error = 'Your location is not available right now.';
		}
	}

	get current(): LatLng | null {
		return this.#position;
	}

	get error(): string | null {
		return this.#error;
	}

	destroy(): void {
		if (this.#watch !== null) this.#source?.clearWatch(this.#watch);
		this.#watch = null;
	}
}
