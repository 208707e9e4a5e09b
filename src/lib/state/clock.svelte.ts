/** The current time as Svelte state, ticking so countdowns and "today" stay true on an open screen. */
export class ClockState {
	#now = $state.raw(new Date());
	readonly #timer: ReturnType<typeof setInterval>;

	constructor(intervalMs = 1000) {
		this.#timer = setInterval(() => {
			this.#now = new Date();
		}, intervalMs);
	}

	get now(): Date {
		return this.#now;
	}

	destroy(): void {
		clearInterval(this.#timer);
	}
}
