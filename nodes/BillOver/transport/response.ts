/**
 * Reading raw HTTP answers: headers, JSON bodies and files.
 * Pure helpers; the transport asks n8n for bodies as bytes (or, for files, as
 * a stream) and decides here what they are.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export type Headers = Record<string, string>;

/** A body as n8n hands it over for `encoding: 'stream'`: what prepareBinaryData takes. */
export type BodyStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export function normalizeHeaders(raw: unknown): Headers {
	const headers: Headers = {};
	if (!raw || typeof raw !== 'object') return headers;
	for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
		if (value === undefined || value === null) continue;
		headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return headers;
}

export function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.from(JSON.stringify(body), 'utf8');
}

/** All of a body: bytes as they are, a stream read to its end (error answers are small). */
export async function drain(body: unknown): Promise<Buffer> {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body) && Symbol.asyncIterator in body) {
		const chunks: Buffer[] = [];
		for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(toBuffer(chunk));
		return Buffer.concat(chunks);
	}
	return toBuffer(body);
}

/** JSON when it parses as JSON, else the text (or null when empty). */
export function parseBody(bytes: Buffer, contentType: string | undefined): unknown {
	if (bytes.length === 0) return null;
	const text = bytes.toString('utf8');
	if (!contentType || contentType.includes('json')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}

/**
 * The file name from a Content-Disposition header (RFC 6266): prefers the
 * UTF-8 `filename*` form, then `filename="..."`. Path parts are dropped.
 */
export function fileNameFromDisposition(header: string | undefined): string | undefined {
	if (!header) return undefined;
	const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
	let name: string | undefined;
	if (extended) {
		try {
			name = decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
		} catch {
			name = undefined;
		}
	}
	if (!name) {
		const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(header);
		const bare = /filename\s*=\s*([^;]+)/.exec(header);
		name = quoted ? quoted[1].replace(/\\(.)/g, '$1') : bare?.[1].trim();
	}
	if (!name) return undefined;
	const base = name.split(/[\\/]/).pop()?.trim();
	return base || undefined;
}

/** The last path segment of a URL, decoded, as a fallback file name. */
export function fileNameFromUrl(url: string): string | undefined {
	try {
		const segment = new URL(url).pathname.split('/').filter(Boolean).pop();
		return segment ? decodeURIComponent(segment) : undefined;
	} catch {
		return undefined;
	}
}

/** `text/csv; charset=utf-8` → `text/csv`. */
export function mimeTypeOf(contentType: string | undefined, fallback = 'application/octet-stream'): string {
	const type = contentType?.split(';')[0]?.trim().toLowerCase();
	return type || fallback;
}
