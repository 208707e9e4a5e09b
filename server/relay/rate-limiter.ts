/**
 * Token bucket per connection: `burst` messages at once, refilled at `perSecond`.
 * One noisy client is closed; it cannot starve the others of the event loop.
 */
export class RateLimiter {
	private tokens: number;
	private last: number;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		private readonly now: () => number = () => performance.now()
	) {
		this.tokens = burst;
		this.last = now();
	}

	/** Takes `cost` tokens; false when the bucket is empty. */
	take(cost = 1): boolean {
		const t = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
		this.last = t;
		if (this.tokens < cost) return false;
		this.tokens -= cost;
		return true;
	}
}
