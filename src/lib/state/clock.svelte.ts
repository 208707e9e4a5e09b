/** The current time as Svelte state, ticking so countdowns and "today" stay true on an open screen. */
export class ClockState {
	#epochMs = $state(Date.now());
	readonly #timer: ReturnType<typeof setInterval>;

	constructor(intervalMs = 1000) {
		this.#timer = setInterval(() => {
			this.#epochMs = Date.now();
		}, intervalMs);
	}

	/** Milliseconds since the epoch, as Date.now() gives them. */
	get now(): number {
		return this.#epochMs;
	}

	destroy(): void {
		clearInterval(this.#timer);
	}
}
