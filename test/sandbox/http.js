'use strict';

/**
 * Small HTTP helpers shared by both origins: parsing a request into a
 * context, building answers, and writing them.
 */

const { Request } = require('undici');
const { ParseError, UnsupportedMediaTypeError } = require('./errors');

/**
 * @typedef {Object} SimResponse  what a handler answers; written by send()
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {Buffer|null} body
 */

/**
 * @typedef {Object} RequestContext
 * @property {'api'|'storage'} origin
 * @property {string} method
 * @property {string} path   without the query
 * @property {Record<string, string[]>} query  every key → its values, in order
 * @property {Record<string, string>} headers  lower-cased names
 * @property {string} contentType  media type only, lower-cased ('' if none)
 * @property {Buffer|null} rawBody  for non-form bodies
 * @property {FormData|null} form   parsed multipart / urlencoded body
 * @property {Error|null} formError
 * @property {() => unknown} json   the JSON body ({} if empty); ParseError / 415 when not JSON
 */

/** 100 MB: larger request bodies get 413 (uploads up to 50 MB must work). */
const MAX_BODY_BYTES = 100 * 1024 * 1024;

/** JSON answer (DRF's JSONRenderer: compact, UTF-8, no charset parameter). */
function json(status, body, headers = {}) {
	return {
		status,
		headers: { 'Content-Type': 'application/json', Vary: 'Accept', ...headers },
		body: Buffer.from(JSON.stringify(body)),
	};
}

/** 204 No Content. */
function noContent(headers = {}) {
	return { status: 204, headers: { Vary: 'Accept', ...headers }, body: null };
}

/** Any other answer (files, HTML error pages). */
function raw(status, contentType, body, headers = {}) {
	return { status, headers: { 'Content-Type': contentType, ...headers }, body: Buffer.from(body) };
}

/**
 * Write an answer. HEAD answers carry the headers of GET but no body.
 * @param {import('node:http').ServerResponse} res
 * @param {SimResponse} response
 * @param {boolean} head
 */
function send(res, response, head) {
	const headers = { ...response.headers };
	if (response.body && !headers['Content-Length'])
		headers['Content-Length'] = String(response.body.length);
	res.writeHead(response.status, headers);
	res.end(head || !response.body ? undefined : response.body);
}

/** `/path?a=1&a=2` → path and `{ a: ['1', '2'] }` (`+` is a space, as in Django's QueryDict). */
function splitUrl(url) {
	const index = url.indexOf('?');
	const path = index === -1 ? url : url.slice(0, index);
	/** @type {Record<string, string[]>} */
	const query = {};
	if (index !== -1) {
		for (const [key, value] of new URLSearchParams(url.slice(index + 1))) {
			(query[key] ||= []).push(value);
		}
	}
	return { path, query };
}

/** Flatten Node's header object (lower-cased names; repeated headers joined). */
function flatHeaders(rawHeaders) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [name, value] of Object.entries(rawHeaders)) {
		if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

function isFormType(contentType) {
	return (
		contentType === 'multipart/form-data' || contentType === 'application/x-www-form-urlencoded'
	);
}

function isJsonType(contentType) {
	return contentType === 'application/json' || /^application\/[^;]+\+json$/.test(contentType);
}

/** Collect a request body into one Buffer. */
async function readAll(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks);
}

/**
 * Read the request into a context. Multipart and urlencoded bodies are
 * parsed by the platform's own parser: an undici Request built from the
 * incoming stream, then `formData()`. Nothing here parses multipart by hand.
 * @param {import('node:http').IncomingMessage} req
 * @param {'api'|'storage'} origin
 * @returns {Promise<RequestContext>}
 */
async function readRequest(req, origin) {
	const { path, query } = splitUrl(req.url || '/');
	const headers = flatHeaders(req.headers);
	const contentType = (headers['content-type'] || '').split(';')[0].trim().toLowerCase();
	let rawBody = null;
	let form = null;
	let formError = null;

	if (isFormType(contentType)) {
		const request = new Request(`http://simulator${path}`, {
			method: req.method,
			headers,
			body: req,
			duplex: 'half',
		});
		try {
			form = await request.formData();
		} catch (error) {
			formError = error;
			req.resume();
		}
	} else if (req.method !== 'GET' && req.method !== 'HEAD') {
		rawBody = await readAll(req);
	}

	let parsedJson;
	let jsonError = null;
	let jsonDone = false;
	const context = {
		origin,
		method: req.method || 'GET',
		path,
		query,
		headers,
		contentType,
		rawBody,
		form,
		formError,
		/** The JSON body, parsed on first use (DRF parses request.data lazily). */
		json() {
			if (!jsonDone) {
				jsonDone = true;
				if (!rawBody || rawBody.length === 0) {
					parsedJson = {};
				} else if (!isJsonType(contentType)) {
					jsonError = new UnsupportedMediaTypeError(headers['content-type'] || '');
				} else {
					try {
						parsedJson = JSON.parse(rawBody.toString('utf8'));
					} catch (error) {
						jsonError = new ParseError(`JSON parse error - ${error.message}`);
					}
				}
			}
			if (jsonError) throw jsonError;
			return parsedJson;
		},
	};
	return context;
}

/**
 * The request body as the request log shows it: parsed JSON; for forms every
 * field, files as `{ filename, type, size }`; otherwise null.
 * @param {RequestContext} ctx
 */
function bodyForLog(ctx) {
	if (ctx.form) {
		/** @type {Record<string, unknown>} */
		const out = {};
		for (const [key, value] of ctx.form.entries()) {
			const shown =
				typeof value === 'string'
					? value
					: { filename: value.name, type: value.type, size: value.size };
			if (key in out) out[key] = [].concat(out[key], [shown]);
			else out[key] = shown;
		}
		return out;
	}
	if (ctx.rawBody && ctx.rawBody.length > 0 && isJsonType(ctx.contentType)) {
		try {
			return JSON.parse(ctx.rawBody.toString('utf8'));
		} catch {
			return null;
		}
	}
	return null;
}

module.exports = {
	MAX_BODY_BYTES,
	json,
	noContent,
	raw,
	send,
	splitUrl,
	readRequest,
	bodyForLog,
	isFormType,
	isJsonType,
};
