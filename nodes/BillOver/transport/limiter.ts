/**
 * How many requests of one node run go to the server at once, and how fast:
 * every request of the run (items, pages, details, downloads) takes a slot
 * here before each attempt and gives it back with what the server said.
 *
 * Auto (the default) adapts, as a TCP sender does:
 * - in flight: starts at START_WINDOW and grows by one per clean answer
 *   (doubling each round trip) up to the ceiling; a 429 or a 503 (or a
 *   timeout) halves it, once per episode, and growth (now 1/window per clean
 *   answer, one per round trip) stops one below the window refused, going
 *   past it by one only after PROBE_AFTER_MS without a refusal;
 * - rate: a 429 also caps the rate: at BETA of the rate the server was just
 *   taking (clean answers per second since sending resumed), back to that
 *   rate within RECOVER_MS, then 1 % a second past it (as AWS SDKs'
 *   adaptive retry mode and TCP CUBIC do, in short);
 * - a 429's Retry-After holds back every request of the run, not only the
 *   one that got it (waiting out the server is what it asked for).
 *
 * Fixed (a number set by the user): that many in flight, no adapting; a
 * Retry-After still holds back every request.
 *
 * One limiter per node run, kept with the run's context object (a WeakMap,
 * collected with it): nothing is shared between executions or processes.
 * Waiting uses promises and n8n's `sleep`.
 */
import { sleep } from 'n8n-workflow';

export interface LimiterSettings {
	/** That many in flight, no adapting. */
	fixed?: number;
	/** Auto: never more than this many in flight. */
	ceiling: number;
}

/** What the server's answer says about its load. */
export type Signal = 'clean' | 'throttled' | 'overloaded';

export const DEFAULT_CEILING = 1000;
const START_WINDOW = 16;
/** After a 429 the rate drops to this share of the rate refused, and climbs back within RECOVER_MS. */
const BETA = 0.7;
const RECOVER_MS = 4000;
const PROBE_PER_SECOND = 0.01;
const MEASURE_MS = 1000;
const MIN_SPAN_MS = 100;
/** How long the window stays at or under the one the server last refused before it tries one more. */
const PROBE_AFTER_MS = 5000;
const MIN_RATE = 0.2;

export class RequestLimiter {
	private window: number;
	private slowStart = true;
	private inFlight = 0;
	private readonly waiting: Array<() => void> = [];
	/** No request starts before this (a Retry-After, for all). */
	private pausedUntil = 0;
	/** The rate (requests per second) at which the server last throttled, and when. */
	private refusedRate: number | undefined;
	private rateCutAt = 0;
	private readonly startedAt = Date.now();
	private nextStartAt = 0;
	/** The input item that failed the run: later items send nothing more. */
	private stoppedAfter: number | undefined;
	/** One less than the window the server last refused: growth stops there for a while. */
	private knownLimit: number | undefined;
	/** When the last cut happened: answers to requests started before it belong to the same episode. */
	private lastCutAt = -1;
	/** When recent clean answers came (for the rate the server was taking). */
	private readonly answered: number[] = [];
	private readonly settings: LimiterSettings;

	constructor(settings: LimiterSettings) {
		this.settings = { ...settings, ceiling: Math.max(1, Math.floor(settings.ceiling)) };
		this.window = settings.fixed ?? Math.min(START_WINDOW, this.settings.ceiling);
	}

	/**
	 * Waits for a slot (and for any pause or pacing); answers when the
	 * request started, for `release`. Refuses (RunStopped) a request of an
	 * input item after one that failed the run (see `stopAfter`).
	 */
	async acquire(itemIndex?: number): Promise<number> {
		for (;;) {
			if (this.stoppedAfter !== undefined && itemIndex !== undefined && itemIndex > this.stoppedAfter) throw new RunStopped(this.stoppedAfter);
			if (this.inFlight < Math.max(1, Math.floor(this.window))) break;
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		this.inFlight++;
		for (;;) {
			const wait = Math.max(this.pausedUntil, this.nextStartAt) - Date.now();
			if (wait <= 0) break;
			await sleep(wait);
		}
		const now = Date.now();
		const rate = this.rateAt(now);
		if (rate !== undefined) this.nextStartAt = Math.max(now, this.nextStartAt) + 1000 / rate;
		return now;
	}

	/** Gives the slot back with what the answer said (`retryAfterMs`: the server's Retry-After, or the backoff). */
	release(startedAt: number, signal: Signal, retryAfterMs?: number): void {
		this.inFlight--;
		const now = Date.now();
		if (signal === 'clean') this.grow(now);
		else this.cut(startedAt, now, signal, retryAfterMs);
		this.wake();
	}

	private grow(now: number): void {
		this.answered.push(now);
		while (this.answered.length && this.answered[0] <= now - MEASURE_MS) this.answered.shift();
		if (this.settings.fixed !== undefined) return;
		// Beyond the window that was last too many, only after a quiet while: each probe that
		// fails costs every request a Retry-After, far more than a round trip.
		if (this.knownLimit !== undefined && now - this.lastCutAt >= PROBE_AFTER_MS) {
			this.knownLimit++;
			this.lastCutAt = now - PROBE_AFTER_MS / 2;
		}
		const top = Math.min(this.settings.ceiling, this.knownLimit ?? Infinity);
		this.window = Math.min(top, this.window + (this.slowStart ? 1 : 1 / this.window));
	}

	/**
	 * The rate cap (requests per second) at `now`, once the server has
	 * throttled: back from BETA of the rate it refused to that rate within
	 * RECOVER_MS, then growing slowly past it (about 1 % a second).
	 */
	private rateAt(now: number): number | undefined {
		if (this.refusedRate === undefined) return undefined;
		const since = now - this.rateCutAt;
		if (since < RECOVER_MS) return this.refusedRate * (BETA + ((1 - BETA) * since) / RECOVER_MS);
		return this.refusedRate * (1 + (PROBE_PER_SECOND * (since - RECOVER_MS)) / 1000);
	}

	private cut(startedAt: number, now: number, signal: Signal, retryAfterMs: number | undefined): void {
		if (retryAfterMs !== undefined && now + retryAfterMs > this.pausedUntil) this.pausedUntil = now + retryAfterMs;
		if (this.settings.fixed !== undefined || startedAt < this.lastCutAt) return;
		const resumedAt = this.lastCutAt;
		this.lastCutAt = now;
		this.slowStart = false;
		this.knownLimit = Math.max(1, Math.ceil(this.window) - 1);
		this.window = Math.max(1, this.window / 2);
		if (signal !== 'throttled') return;
		// The rate the server was just taking: clean answers per second since sending last
		// resumed (at most the last second), as a rate over at least MIN_SPAN_MS.
		const since = Math.max(now - MEASURE_MS, this.startedAt, Math.min(this.pausedUntil, resumedAt + (retryAfterMs ?? 0)));
		const taken = this.answered.filter((at) => at > since).length;
		const measured = taken > 0 ? (taken * 1000) / Math.max(MIN_SPAN_MS, now - since) : undefined;
		const current = this.rateAt(now);
		const refused = Math.min(current ?? Infinity, measured ?? current ?? Infinity);
		if (refused !== Infinity) {
			this.refusedRate = Math.max(MIN_RATE, refused);
			this.rateCutAt = now;
		}
		this.answered.length = 0;
	}

	/**
	 * Item `itemIndex` failed the run (no Continue On Fail): requests of later
	 * items are not sent any more; those on their way are answered as usual.
	 */
	stopAfter(itemIndex: number): void {
		this.stoppedAfter = Math.min(this.stoppedAfter ?? itemIndex, itemIndex);
		for (const waiter of this.waiting.splice(0)) waiter();
	}

	/** Lets as many waiting requests go on as there are free slots. */
	private wake(): void {
		let free = Math.floor(this.window) - this.inFlight;
		while (free-- > 0 && this.waiting.length) (this.waiting.shift() as () => void)();
	}
}

/** A request not sent because an earlier input item failed the run. */
export class RunStopped extends Error {
	constructor(failedItem: number) {
		super(`Not sent: item ${failedItem} failed the run first`);
	}
}

const limiters = new WeakMap<object, RequestLimiter>();

/** Sets how the node run of `ctx` sends its requests (before its first request). */
export function useLimiter(ctx: object, settings: LimiterSettings): RequestLimiter {
	const limiter = new RequestLimiter(settings);
	limiters.set(ctx, limiter);
	return limiter;
}

/** The limiter of the node run of `ctx` (Auto with the default ceiling if none was set). */
export function limiterFor(ctx: object): RequestLimiter {
	return limiters.get(ctx) ?? useLimiter(ctx, { ceiling: DEFAULT_CEILING });
}
