import type { FailureKind } from './errors';

/**
 * When a failed request may be sent again, and how long to wait first.
 *
 * The rule that matters most: a request whose repeat is not safe (one that
 * creates something) is never repeated once it may have reached the server.
 * A 5xx or a dropped connection does not say whether the server acted, so
 * only answers that prove it did nothing (429, a refused connection) allow a
 * repeat of such a request. Whether a request is safe to repeat, and what a
 * repeat's answer means (reconciling), is said by whoever sends it
 * (`ApiRequest.repeatable`, `ApiRequest.reconcile`).
 */

export interface RetryTiming {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** First backoff delay for 5xx and connection errors; doubles each retry. */
	baseDelayMs: number;
	/** Cap on a single backoff delay. */
	maxDelayMs: number;
	/** Cap on a single Retry-After wait (a server asking for longer fails the request). */
	maxRetryAfterMs: number;
	/**
	 * 429s do not count as retries: a request is sent again after each (it
	 * proves nothing was done) until it has waited this long on them in all.
	 */
	maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_TIMING: Readonly<RetryTiming> = Object.freeze({
	maxRetries: 4,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 60_000,
	maxRateLimitWaitMs: 300_000,
});

let timing: RetryTiming = { ...DEFAULT_RETRY_TIMING };

/**
 * Changes the retry timing for this process (the engine tests and the soak
 * test shorten the waits; n8n itself always runs with the defaults).
 * Returns the previous timing so it can be restored.
 */
export function configureRetryTiming(next: Partial<RetryTiming>): RetryTiming {
	const previous = timing;
	timing = { ...timing, ...next };
	return previous;
}

export function getRetryTiming(): Readonly<RetryTiming> {
	return timing;
}

/** True when a request may be sent again after a failure of this kind. */
export function mayRetry(repeatable: boolean, failure: FailureKind): boolean {
	if (failure === 'rateLimited' || failure === 'notConnected') return true;
	return repeatable;
}

/**
 * Milliseconds to wait before retry number `retry` (1-based).
 * `retryAfterMs` is the server's Retry-After, when it sent one; it is honoured
 * as given (capped by the caller via `retryAfterTooLong`). Backoff is
 * exponential with "full jitter" in its upper half, capped at maxDelayMs.
 */
export function retryDelayMs(retry: number, retryAfterMs: number | undefined, random = Math.random): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, timing.maxRetryAfterMs);
	const exponential = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** (retry - 1));
	return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** True when the server asks to wait longer than we are willing to. */
export function retryAfterTooLong(retryAfterMs: number | undefined): boolean {
	return retryAfterMs !== undefined && retryAfterMs > timing.maxRetryAfterMs;
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date.
 * Returns milliseconds, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
