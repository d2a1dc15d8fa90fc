/**
 * Turns an HTTP error answer or a network failure into a message a user can
 * act on. Generic: what a status means for a particular resource (which
 * one, which permission) is added by the caller (`describeError` of a
 * request, see shared/errors.ts). Pure functions: no n8n context, no HTTP;
 * `request.ts` wraps the result in a NodeApiError.
 */

export interface ErrorDescription {
	message: string;
	description: string;
}

/** Why an attempt failed, as far as retrying is concerned. */
export type FailureKind =
	/** 429: the server refused without acting. */
	| 'rateLimited'
	/** 5xx: the server may or may not have acted. */
	| 'serverError'
	/** The connection was never made (ECONNREFUSED, DNS): the server did not act. */
	| 'notConnected'
	/** The connection broke or timed out after the request was sent: the server may have acted. */
	| 'connectionLost';

/** An attempt that got no answer: what kind of failure, and its cause in words. */
export interface Failure {
	failure: FailureKind;
	cause: string;
}

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

/** Network failures by their error code; anything else is not a network failure and is not retried. */
export function classifyThrown(error: unknown): Failure | undefined {
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


/** `{"detail": "..."}`, or the field errors of a 400, or whatever text came back. */
export function readDetail(body: unknown): string | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const detail = (body as Record<string, unknown>).detail;
		if (typeof detail === 'string') return detail;
	}
	if (typeof body === 'string' && body.trim() !== '') {
		// Proxies and frameworks answer 5xx with HTML pages: their title says enough.
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
		if (title) return title.slice(0, 200);
		if (/^\s*</.test(body)) return undefined;
		return body.trim().slice(0, 300);
	}
	return undefined;
}

/** `{"total_price": ["Ensure ..."], "items": [{"name": ["..."]}]}` → `["total_price: Ensure ...", ...]`. */
export function fieldErrors(body: unknown, prefix = ''): string[] {
	if (!body || typeof body !== 'object') return [];
	const lines: string[] = [];
	for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
		if (key === 'detail' && prefix === '') continue;
		const field = prefix ? `${prefix}.${key}` : key;
		if (typeof value === 'string') lines.push(`${field}: ${value}`);
		else if (Array.isArray(value)) {
			value.forEach((entry, index) => {
				if (typeof entry === 'string') lines.push(`${field}: ${entry}`);
				else lines.push(...fieldErrors(entry, `${field}[${index}]`));
			});
		} else if (value && typeof value === 'object') lines.push(...fieldErrors(value, field));
	}
	return lines;
}

/** The message for an HTTP error answer that will not be retried (any more). */
export function describeHttpError(status: number, body: unknown, attempts: number): ErrorDescription {
	// An HTML error page's title often repeats the status ("503 Service Unavailable").
	const detail = readDetail(body)?.replace(new RegExp(`^${status}\\s*`), '') || undefined;
	const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
	switch (status) {
		case 400: {
			const fields = fieldErrors(body);
			return {
				message: `BillOver rejected the request: ${fields.length ? fields.join('; ') : (detail ?? 'bad request')}`,
				description: fields.length
					? `Correct these fields and run the node again:\n${fields.join('\n')}`
					: 'Check the values sent to BillOver.',
			};
		}
		case 401:
			return {
				message: 'BillOver rejected the API key (401)',
				description:
					'Check the API key in the BillOver API credential, and that its Base URL points at the BillOver account the key belongs to.',
			};
		case 403:
			return {
				message: `BillOver refused access (403)${detail ? `: ${detail}` : ''}`,
				description: 'The API key lacks the permission for this action.',
			};
		case 404:
			return {
				message: `BillOver could not find the requested resource (404)${detail ? `: ${detail}` : ''}`,
				description: 'Check the ID and the Base URL in the BillOver API credential.',
			};
		case 429:
			return {
				message: `BillOver is rate-limiting requests (429)${tries}`,
				description:
					'Too many requests in a short time. Run the workflow again later, or send fewer items at once.',
			};
		default:
			if (status >= 500) {
				return {
					message: `BillOver answered ${status}${detail ? ` (${detail})` : ''}${tries}`,
					description: 'The BillOver service had a problem. Try again later.',
				};
			}
			return {
				message: `BillOver answered ${status}${detail ? `: ${detail}` : ''}`,
				description: 'Unexpected answer from BillOver.',
			};
	}
}

/** The message for a create whose outcome is unknown (5xx or lost connection, not repeated). */
export function describeUnknownOutcome(what: string, cause: string): ErrorDescription {
	return {
		message: `BillOver did not confirm the ${what} (${cause}); it was not sent again because it may have been created`,
		description: `Check in BillOver whether the ${what} exists before running this again, so nothing is created twice.`,
	};
}

/**
 * Network error codes in words. n8n's NodeApiError replaces any message that
 * contains a raw code (ECONNREFUSED …) with a generic text of its own.
 */
export function describeNetworkCause(code: string): string {
	const words: Record<string, string> = {
		ECONNREFUSED: 'connection refused',
		ENOTFOUND: 'host not found',
		EAI_AGAIN: 'host lookup failed',
		EHOSTUNREACH: 'host unreachable',
		ENETUNREACH: 'network unreachable',
		ECONNRESET: 'connection reset',
		ECONNABORTED: 'connection timed out',
		ETIMEDOUT: 'connection timed out',
		ESOCKETTIMEDOUT: 'connection timed out',
		ERR_SOCKET_CONNECTION_TIMEOUT: 'connection timed out',
		EPIPE: 'connection closed',
		UND_ERR_SOCKET: 'connection closed',
	};
	return words[code] ?? code.toLowerCase().replace(/^e/, '').replace(/_/g, ' ');
}

/** The message for a connection that could not be made or was lost, after retries. */
export function describeConnectionError(cause: string, attempts: number): ErrorDescription {
	return {
		message: `Could not reach BillOver (${cause})${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
		description:
			'Check the Base URL in the BillOver API credential and the network (proxy, firewall) between n8n and BillOver.',
	};
}
