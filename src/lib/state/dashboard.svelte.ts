import type { DashboardResponse } from '../protocol/office-api';
import { errorMessage } from '../ui/error-message';

/** How often an open dashboard asks again: device activity is minutes-scale, a few seconds is live enough. */
export const DASHBOARD_POLL_MS = 5000;

/**
 * The manager's dashboard as Svelte state, polled while the screen is open. A
 * failed poll (offline, server away) keeps the last figures and says so.
 */
export class DashboardState {
	#current: DashboardResponse | null = $state.raw(null);
	#error: string | null = $state.raw(null);
	#inFlight: Promise<void> | null = null;
	readonly #timer: ReturnType<typeof setInterval>;
	#destroyed = false;

	constructor(
		private readonly load: () => Promise<DashboardResponse>,
		intervalMs = DASHBOARD_POLL_MS
	) {
		void this.refresh();
		this.#timer = setInterval(() => void this.refresh(), intervalMs);
	}

	get current(): DashboardResponse | null {
		return this.#current;
	}

	get error(): string | null {
		return this.#error;
	}

	/** Asks now (after a message was sent, say); a poll already under way is reused. */
	refresh(): Promise<void> {
		this.#inFlight ??= this.load()
			.then(
				(data) => {
					if (this.#destroyed) return;
					this.#current = data;
					this.#error = null;
				},
				(error: unknown) => {
					if (!this.#destroyed) this.#error = errorMessage(error, 'Could not load the dashboard');
				}
			)
			.finally(() => {
				this.#inFlight = null;
			});
		return this.#inFlight;
	}

	destroy(): void {
		this.#destroyed = true;
		clearInterval(this.#timer);
	}
}
