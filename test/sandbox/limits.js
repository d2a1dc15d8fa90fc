'use strict';

/**
 * Rate limits, enforced as a real API enforces them (docs/API.md, Errors;
 * Django REST Framework's throttles answer the same way): a request rate and
 * a cap on requests in flight. A request over either is answered at once
 * with `429 {"detail": "Request was throttled. Expected available in N
 * seconds."}` and `Retry-After: N` (whole seconds, at least 1), and the
 * server does nothing.
 *
 * - `rate` (requests per second) is a token bucket of `burst` tokens (by
 *   default one second's worth) that refills continuously; 0 = no limit.
 * - `maxInFlight`: requests received and not yet answered; 0 = no limit.
 *
 * Both can change while the sandbox runs (`sim.limits = {...}`, the control
 * API's `PUT /_simulator/limits`, the CLI's `--rate-limit`, `--burst`,
 * `--max-in-flight`). Only the API origin is limited, never the control API.
 */

class RateLimits {
	/** @param {{ rate?: number, burst?: number, maxInFlight?: number, now?: () => number }} [options] */
	constructor({ rate = 0, burst, maxInFlight = 0, now = () => Date.now() } = {}) {
		this.now = now;
		this.inFlight = 0;
		this.stats = { admitted: 0, limited: 0, peakInFlight: 0 };
		this.set({ rate, burst, maxInFlight });
	}

	/** The limits in force. */
	get settings() {
		return { rate: this.rate, burst: this.burst, maxInFlight: this.maxInFlight };
	}

	/**
	 * New limits, from now on (what is left out stays; `burst: null` is one
	 * second's worth again). The bucket keeps its tokens, at most the new
	 * burst; a rate switched on starts with a full one.
	 * @param {{ rate?: number, burst?: number|null, maxInFlight?: number }} limits
	 */
	set({ rate = this.rate ?? 0, burst = this.explicitBurst, maxInFlight = this.maxInFlight ?? 0 } = {}) {
		if (burst === null) burst = undefined;
		for (const [name, value] of Object.entries({ rate, maxInFlight, ...(burst !== undefined && { burst }) })) {
			if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new TypeError(`${name} must be a number >= 0`);
		}
		this.refill();
		const wasOff = !this.rate;
		this.rate = rate;
		this.explicitBurst = burst;
		this.burst = burst ?? Math.max(1, rate);
		this.maxInFlight = Math.floor(maxInFlight);
		this.tokens = wasOff ? this.burst : Math.min(this.tokens, this.burst);
		this.updated = this.now();
	}

	refill() {
		if (this.updated === undefined || !this.rate) return;
		const now = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.rate);
		this.updated = now;
	}

	/**
	 * A request arrives: admitted (then `release()` when it is answered), or
	 * refused with the seconds to wait.
	 * @returns {{ retryAfter: number, reason: 'rate' | 'inFlight' } | null}
	 */
	admit() {
		if (this.maxInFlight && this.inFlight >= this.maxInFlight) {
			this.stats.limited++;
			return { retryAfter: 1, reason: 'inFlight' };
		}
		if (this.rate) {
			this.refill();
			this.updated = this.now();
			if (this.tokens < 1) {
				this.stats.limited++;
				return { retryAfter: Math.max(1, Math.ceil((1 - this.tokens) / this.rate)), reason: 'rate' };
			}
			this.tokens -= 1;
		}
		this.inFlight++;
		this.stats.admitted++;
		this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.inFlight);
		return null;
	}

	/** An admitted request has been answered (or its connection dropped). */
	release() {
		this.inFlight = Math.max(0, this.inFlight - 1);
	}

	/** Counters from zero (the limits and the bucket stay). */
	resetStats() {
		this.stats = { admitted: 0, limited: 0, peakInFlight: this.inFlight };
	}
}

/** The 429 a throttled request gets. */
function throttledBody(retryAfter) {
	return { detail: `Request was throttled. Expected available in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.` };
}

module.exports = { RateLimits, throttledBody };
