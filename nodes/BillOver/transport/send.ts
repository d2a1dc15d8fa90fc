/**
 * One request to its end: attempts, retries by the policy of retry.ts, the
 * caller's reconciling of a repeat, and the NodeApiError when it fails for
 * good (errors.ts words it). Nothing thrown from here carries the request's
 * headers.
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { BillOverContext } from './credential';
import type { ErrorDescription, Failure } from './errors';
import { classifyThrown, describeConnectionError, describeHttpError, describeUnknownOutcome } from './errors';
import { limiterFor } from './limiter';
import type { ApiRequest, ApiResponse, Receiver } from './request';
import type { BodyStream, Headers } from './response';
import { drain, normalizeHeaders, parseBody } from './response';
import { getRetryTiming, mayRetry, parseRetryAfter, retryAfterTooLong, retryDelayMs } from './retry';

interface RawAnswer {
	status: number;
	headers: Headers;
	/** The body; empty when a receiver took it. */
	bytes: Buffer;
	/** What the receiver made of a 2xx body. */
	received?: { value: unknown };
}

type Attempt = RawAnswer | Failure;

/**
 * Sends `request` with `send` (one attempt each call) until it succeeds, or
 * fails in a way that may not, or need not, be tried again.
 */
export async function sendWithRetries<T>(
	ctx: BillOverContext,
	request: ApiRequest,
	send: () => Promise<unknown>,
): Promise<ApiResponse<T>> {
	const { maxRetries, maxRateLimitWaitMs } = getRetryTiming();
	const limiter = limiterFor(ctx);
	// Set once an attempt may have reached the server without us seeing the answer.
	let mayHaveActed = false;
	/** Retries for other reasons than a 429; 429s, and the time waited on them. */
	let retries = 0;
	let throttles = 0;
	let throttledMs = 0;
	for (let attempt = 1; ; attempt++) {
		const startedAt = await limiter.acquire(request.itemIndex);
		let outcome: Attempt | undefined;
		try {
			outcome = await attemptOnce(ctx, send, request.receive);
		} finally {
			if (!outcome) limiter.release(startedAt, 'clean');
		}

		if ('status' in outcome) {
			const { status } = outcome;
			if (status === 429) {
				// Refused without acting: every request of the run waits out its Retry-After (or the backoff).
				const retryAfterMs = parseRetryAfter(outcome.headers['retry-after']);
				const waitMs = retryDelayMs(++throttles, retryAfterMs);
				limiter.release(startedAt, 'throttled', waitMs);
				throttledMs += waitMs;
				if (retryAfterTooLong(retryAfterMs) || throttledMs > maxRateLimitWaitMs) throw httpError(ctx, request, outcome, attempt);
				continue;
			}
			limiter.release(startedAt, status === 503 ? 'overloaded' : 'clean');
			if ((status >= 200 && status < 300) || request.acceptStatuses?.includes(status)) {
				return answer<T>(outcome, request, attempt);
			}
			if (mayHaveActed && request.reconcile) {
				const reconciled = await request.reconcile({ status, body: parseBody(outcome.bytes, outcome.headers['content-type']) });
				if (reconciled) return { status: 200, headers: outcome.headers, body: reconciled.body as T, attempts: attempt };
			}
			if (status < 500) throw httpError(ctx, request, outcome, attempt);
			if (request.method !== 'GET') mayHaveActed = true;
			if (!mayRetry(request.repeatable ?? true, 'serverError')) {
				throw apiError(ctx, request, describeUnknownOutcome(request.what ?? 'request', `HTTP ${status}`), status);
			}
			if (++retries > maxRetries) throw httpError(ctx, request, outcome, attempt);
			await sleep(retryDelayMs(retries, undefined));
			continue;
		}

		limiter.release(startedAt, outcome.failure === 'connectionLost' ? 'overloaded' : 'clean');
		if (outcome.failure === 'connectionLost') mayHaveActed = true;
		if (!mayRetry(request.repeatable ?? true, outcome.failure)) {
			throw apiError(ctx, request, describeUnknownOutcome(request.what ?? 'request', outcome.cause));
		}
		if (++retries > maxRetries) throw apiError(ctx, request, describeConnectionError(outcome.cause, attempt));
		await sleep(retryDelayMs(retries, undefined));
	}
}

async function attemptOnce(ctx: BillOverContext, send: () => Promise<unknown>, receive: Receiver | undefined): Promise<Attempt> {
	let body: unknown;
	try {
		const response = (await send()) as { statusCode?: number; headers?: unknown; body?: unknown };
		body = response.body;
		const status = Number(response.statusCode);
		const headers = normalizeHeaders(response.headers);
		if (receive && status >= 200 && status < 300) {
			const value = await receive(body as BodyStream, headers);
			return { status, headers, bytes: Buffer.alloc(0), received: { value } };
		}
		return { status, headers, bytes: await drain(body) };
	} catch (error) {
		// A body left half read would keep its connection busy.
		(body as { destroy?: () => void } | undefined)?.destroy?.();
		const failure = classifyThrown(error);
		if (!failure) throw sanitize(ctx, error);
		return failure;
	}
}

/**
 * Errors that are not network failures (a cancelled execution, a bad URL) go
 * up as they are, except that n8n's wrapped HTTP errors are rebuilt from their
 * message alone: the wrapped original holds the request config, headers included.
 */
function sanitize(ctx: BillOverContext, error: unknown): Error {
	if (error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeApiError(ctx.getNode(), { message }, { message: `Request to BillOver failed: ${message}` });
}

function answer<T>(raw: RawAnswer, request: ApiRequest, attempts: number): ApiResponse<T> {
	if (raw.received) return { status: raw.status, headers: raw.headers, body: raw.received.value as T, attempts };
	const body = request.binary && raw.status < 300 ? raw.bytes : parseBody(raw.bytes, raw.headers['content-type']);
	return { status: raw.status, headers: raw.headers, body: body as T, attempts };
}

function httpError(ctx: BillOverContext, request: ApiRequest, raw: RawAnswer, attempts: number): NodeApiError {
	const body = parseBody(raw.bytes, raw.headers['content-type']);
	const described = request.describeError?.(raw.status, body) ?? describeHttpError(raw.status, body, attempts);
	return apiError(ctx, request, described, raw.status, body);
}

function apiError(
	ctx: BillOverContext,
	request: ApiRequest,
	{ message, description }: ErrorDescription,
	status?: number,
	body?: unknown,
): NodeApiError {
	const response: JsonObject = { method: request.method, path: request.path };
	if (status !== undefined) response.status = status;
	if (body !== undefined && body !== null) response.body = body as JsonObject;
	return new NodeApiError(ctx.getNode(), response, {
		message,
		description,
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: request.itemIndex,
	});
}
