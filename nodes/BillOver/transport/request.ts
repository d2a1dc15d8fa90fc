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
 * - Each request is sent by send.ts: attempts, retries per retry.ts, and
 *   what cannot be retried becomes a NodeApiError whose message says what to
 *   do (errors.ts, or the caller's `describeError`). Nothing thrown carries
 *   the request's headers.
 * - Files and exports can be taken as a stream (`receive`), so n8n can write
 *   them to its binary data store without holding them in memory.
 */
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BillOverContext } from './credential';
import { CREDENTIAL_TYPE, resolveCredential } from './credential';
import type { ErrorDescription } from './errors';
import type { BodyStream, Headers } from './response';
import { sendWithRetries } from './send';

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
	return await sendWithRetries<T>(this, request, send);
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
	return await sendWithRetries(this, { method: 'GET', path: url.pathname, binary: true, itemIndex, receive, describeError }, send);
}

