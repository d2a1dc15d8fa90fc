/**
 * The only place the BillOver nodes make HTTP requests. It knows HTTP, the
 * credential and n8n's helpers; which endpoint a call is, and what an answer
 * means for the resource, is shared/endpoints.ts's business.
 *
 * - Every API request goes through n8n's `httpRequestWithAuthentication`, so
 *   the credential's `authenticate` adds the Api-Key header and the user's
 *   proxy / TLS settings apply. Redirects are not followed (n8n would carry
 *   the key to another host), and the URL must be on the credential's origin.
 * - Files on another host (a storage link) are fetched with the plain
 *   `httpRequest` helper: no credential is involved at all.
 * - Failures are retried per retry.ts; what cannot be retried becomes a
 *   NodeApiError whose message says what to do (errors.ts, or the caller's
 *   `describeError`). Nothing thrown from here carries the request's headers.
 * - Files and exports can be taken as a stream (`receive`), so n8n can write
 *   them to its binary data store without holding them in memory.
 */
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { ErrorDescription } from './errors';
import { describeConnectionError, describeHttpError, describeNetworkCause, describeUnknownOutcome } from './errors';
import type { BillOverContext } from './credential';
import { CREDENTIAL_TYPE, resolveCredential } from './credential';
import type { BodyStream, Headers } from './response';
import { drain, normalizeHeaders, parseBody } from './response';
import type { FailureKind } from './retry';
import { getRetryTiming, mayRetry, parseRetryAfter, retryAfterTooLong, retryDelayMs } from './retry';

export type QueryValue = string | number | boolean | Array<string | number> | undefined;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** The path on the credential's base URL, trailing slash exactly as the API wants it. */
	path: string;
	/** Array values are sent as repeated keys (`a=1&a=2`). */
	qs?: Record<string, QueryValue>;
	/** A JSON object, or a FormData for multipart uploads. */
	body?: IDataObject | FormData;
	/**
	 * Whether the request may be sent again when an attempt's outcome is
	 * unknown (a 5xx, a connection lost after sending). Default true; false for
	 * a request that creates something: it is then repeated only after an
	 * answer that proves nothing happened (429, a refused connection).
	 */
	repeatable?: boolean;
	/** What the request does, named when its outcome is unknown and it was not repeated (e.g. "file upload"). */
	what?: string;
	/**
	 * What an error answer means after an earlier attempt may have acted
	 * unseen: e.g. a DELETE's 404 is then the earlier attempt's success.
	 * Resolves to the body to answer with, or undefined: it is an error.
	 */
	reconcile?: (failed: { status: number; body: unknown }) => Promise<{ body: unknown } | undefined>;
	/** The caller's words for an error answer (which resource, which permission); undefined: the generic ones. */
	describeError?: (status: number, body: unknown) => ErrorDescription | undefined;
	/** Return the body as bytes (exports, files) instead of parsed JSON. */
	binary?: boolean;
	/**
	 * Takes a 2xx body as a stream instead of bytes (files, exports: e.g. into
	 * n8n's binary data store); what it resolves to becomes the answer's body.
	 * It runs within the attempt, so a connection lost while the body is read
	 * is retried like any other failure of a read.
	 */
	receive?: Receiver;
	/** Statuses handed back to the caller instead of thrown (e.g. 404 for a page past the end). */
	acceptStatuses?: number[];
	/** Milliseconds before giving up on one attempt; default 60 s, 300 s for binary bodies. */
	timeoutMs?: number;
	/** The input item, for error messages and paired items. */
	itemIndex?: number;
}

export type Receiver = (body: BodyStream, headers: Headers) => Promise<unknown>;

export interface ApiResponse<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
	/** How many attempts it took (1 = no retry). */
	attempts: number;
}

interface RawAnswer {
	status: number;
	headers: Headers;
	/** The body; empty when a receiver took it. */
	bytes: Buffer;
	/** What the receiver made of a 2xx body. */
	received?: { value: unknown };
}

interface Failure {
	failure: FailureKind;
	cause: string;
}

type Attempt = RawAnswer | Failure;

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_LOST = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

/**
 * Sends one API request with the credential, retrying per the policy.
 * Resolves with the answer for 2xx (and `acceptStatuses`); throws NodeApiError otherwise.
 */
export async function apiRequest<T = unknown>(this: BillOverContext, request: ApiRequest): Promise<ApiResponse<T>> {
	const credential = await resolveCredential(this);
	const url = `${credential.baseUrl}${request.path}`;
	if (new URL(url).origin !== credential.origin) {
		// Cannot happen with the documented paths; guards the key if a path ever carries a host.
		throw new NodeOperationError(this.getNode(), `Refusing to send the BillOver API key to ${new URL(url).origin}`);
	}
	const headers: IDataObject = { Accept: request.binary ? '*/*' : 'application/json' };
	let body: IHttpRequestOptions['body'];
	if (request.body instanceof FormData) {
		body = request.body;
	} else if (request.body !== undefined) {
		// Serialised here: n8n drops an empty object body, and the exports document `-d '{}'`.
		body = JSON.stringify(request.body);
		headers['Content-Type'] = 'application/json';
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs as IDataObject | undefined,
		arrayFormat: 'repeat',
		headers,
		body,
		encoding: request.receive ? 'stream' : 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: request.timeoutMs ?? (request.binary ? 300_000 : 60_000),
	};
	const send = async () =>
		(await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options }, {
			credentialsDecrypted: credential.decrypted,
		})) as unknown;
	return await withRetries<T>(this, request, send);
}

/**
 * Fetches a file from another host (e.g. a storage host's link) without any
 * credential: the API key must never go there. The body is the file's bytes;
 * with `receive`, the file is handed over as a stream instead (see
 * ApiRequest.receive) and the body is what `receive` made of it.
 */
export async function downloadWithoutCredential(
	this: BillOverContext,
	fileUrl: string,
	{ itemIndex, receive, describeError }: Pick<ApiRequest, 'itemIndex' | 'receive' | 'describeError'> = {},
): Promise<ApiResponse> {
	let url: URL;
	try {
		url = new URL(fileUrl);
	} catch {
		throw new NodeOperationError(this.getNode(), `The file URL "${fileUrl}" is not a valid URL`, { itemIndex });
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new NodeOperationError(this.getNode(), `The file URL must be http(s), got "${url.protocol}"`, { itemIndex });
	}
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: url.toString(),
		encoding: receive ? 'stream' : 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 300_000,
	};
	const send = async () => (await this.helpers.httpRequest({ ...options })) as unknown;
	return await withRetries(this, { method: 'GET', path: url.pathname, binary: true, itemIndex, receive, describeError }, send);
}

async function withRetries<T>(
	ctx: BillOverContext,
	request: ApiRequest,
	send: () => Promise<unknown>,
): Promise<ApiResponse<T>> {
	const { maxRetries } = getRetryTiming();
	// Set once an attempt may have reached the server without us seeing the answer.
	let mayHaveActed = false;
	for (let attempt = 1; ; attempt++) {
		const outcome = await attemptOnce(ctx, send, request.receive);

		if ('status' in outcome) {
			const { status } = outcome;
			if ((status >= 200 && status < 300) || request.acceptStatuses?.includes(status)) {
				return answer<T>(outcome, request, attempt);
			}
			if (mayHaveActed && request.reconcile) {
				const reconciled = await request.reconcile({ status, body: parseBody(outcome.bytes, outcome.headers['content-type']) });
				if (reconciled) return { status: 200, headers: outcome.headers, body: reconciled.body as T, attempts: attempt };
			}

			const failure: FailureKind | undefined =
				status === 429 ? 'rateLimited' : status >= 500 ? 'serverError' : undefined;
			if (!failure) throw httpError(ctx, request, outcome, attempt);
			if (failure === 'serverError' && request.method !== 'GET') mayHaveActed = true;
			if (!mayRetry(request.repeatable ?? true, failure)) {
				throw apiError(ctx, request, describeUnknownOutcome(request.what ?? 'request', `HTTP ${status}`), status);
			}
			const retryAfterMs = status === 429 ? parseRetryAfter(outcome.headers['retry-after']) : undefined;
			if (attempt > maxRetries || retryAfterTooLong(retryAfterMs)) throw httpError(ctx, request, outcome, attempt);
			await sleep(retryDelayMs(attempt, retryAfterMs));
			continue;
		}

		if (outcome.failure === 'connectionLost') mayHaveActed = true;
		if (!mayRetry(request.repeatable ?? true, outcome.failure)) {
			throw apiError(ctx, request, describeUnknownOutcome(request.what ?? 'request', outcome.cause));
		}
		if (attempt > maxRetries) throw apiError(ctx, request, describeConnectionError(outcome.cause, attempt));
		await sleep(retryDelayMs(attempt, undefined));
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

/** Network failures by their error code; anything else is not a network failure and is not retried. */
function classifyThrown(error: unknown): Failure | undefined {
	const codes: string[] = [];
	const messages: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		// n8n's NodeApiError keeps the network error code in httpCode.
		const { code, httpCode, message, cause } = current as { code?: unknown; httpCode?: unknown; message?: unknown; cause?: unknown };
		if (typeof code === 'string') codes.push(code);
		if (typeof httpCode === 'string') codes.push(httpCode);
		if (typeof message === 'string') messages.push(message);
		current = cause;
	}
	if (codes.includes('ERR_CANCELED')) return undefined;
	const notConnected = codes.find((code) => NOT_CONNECTED.has(code));
	if (notConnected) return { failure: 'notConnected', cause: describeNetworkCause(notConnected) };
	const lost = codes.find((code) => CONNECTION_LOST.has(code));
	if (lost) return { failure: 'connectionLost', cause: describeNetworkCause(lost) };
	if (messages.some((message) => /socket hang up|ECONNRESET|timeout of \d+ms exceeded/i.test(message))) {
		return { failure: 'connectionLost', cause: 'connection lost' };
	}
	return undefined;
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
