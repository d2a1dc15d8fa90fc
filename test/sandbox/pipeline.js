'use strict';

/**
 * The path every request takes on either origin:
 *   read the request → pick a fault → log it → (delay) → handle → latency → answer.
 * Waiting never blocks other requests (timers and promises only).
 * Requests under /_simulator/ on the API origin are the control API: no
 * faults, no log, no latency.
 */

const http = require('node:http');
const { ApiError, PayloadTooLargeError } = require('./errors');
const { json, send, readRequest, bodyForLog, MAX_BODY_BYTES } = require('./http');
const { faultLabel, faultResponse } = require('./faults');
const { throttledBody } = require('./limits');

/**
 * @typedef {Object} LogEntry  one request on either origin (sim.log)
 * @property {number} seq
 * @property {number} receivedAt  when the request arrived (ms since the epoch)
 * @property {'api'|'storage'} origin
 * @property {string} method
 * @property {string} path  without the query
 * @property {Record<string, string[]>} query
 * @property {Record<string, string>} headers  lower-cased names
 * @property {unknown} body  parsed JSON; for forms `{ file: { filename, type, size }, ...fields }`; else null
 * @property {number|null} status  null while in flight or when the socket was dropped
 * @property {number} [answeredAt]  when the answer was sent (ms since the epoch)
 * @property {number} [retryAfter]  a throttled request's Retry-After (seconds)
 * @property {string|null} fault   null, or '429', '500', '503-after', 'drop', 'drop-after', 'delay',
 *   or 'throttled' (over the rate limits of ./limits.js: answered 429 with Retry-After)
 */

/**
 * Turn a thrown error into an answer: ApiErrors are the API's answers;
 * anything else is a bug, answered like Django's 500.
 * @param {unknown} error
 */
function errorResponse(error) {
	if (error instanceof ApiError) return json(error.status, error.body, error.headers);
	console.error('[billover-simulator] unexpected error:', error);
	return json(500, { detail: 'A server error occurred.' });
}

/**
 * @param {Object} options
 * @param {'api'|'storage'} options.origin
 * @param {(ctx: import('./http').RequestContext) => Promise<import('./http').SimResponse>} options.handle
 * @param {((ctx: import('./http').RequestContext) => Promise<import('./http').SimResponse>) | null} [options.handleControl]
 * @param {import('./index').SimulatorState} options.state  log, faults, latency, timers
 * @returns {http.Server}
 */
function createOriginServer({ origin, handle, handleControl = null, state }) {
	/** Wait without blocking; cancelled (never resolving) when the simulator closes. */
	const sleep = (ms) =>
		new Promise((resolve) => {
			const timer = setTimeout(() => {
				state.timers.delete(timer);
				resolve();
			}, ms);
			timer.unref();
			state.timers.add(timer);
		});

	async function onRequest(req, res) {
		const declaredLength = Number(req.headers['content-length'] || 0);
		if (declaredLength > MAX_BODY_BYTES) {
			res.setHeader('Connection', 'close');
			send(res, errorResponse(new PayloadTooLargeError()), false);
			return;
		}
		const ctx = await readRequest(req, origin);

		if (handleControl && ctx.path.startsWith('/_simulator/')) {
			send(res, await handleControl(ctx).catch(errorResponse), false);
			return;
		}

		// Over the rate limits: refused at once, the server does nothing (./limits.js).
		const throttled = origin === 'api' ? state.limits.admit() : null;
		const fault = throttled ? null : state.faults.take({ origin, method: ctx.method, path: ctx.path });
		/** @type {LogEntry} */
		const entry = {
			seq: ++state.logSeq,
			/** When the request arrived (ms since the epoch). */
			receivedAt: Date.now(),
			origin,
			method: ctx.method,
			path: ctx.path,
			query: ctx.query,
			headers: ctx.headers,
			body: bodyForLog(ctx),
			status: null,
			fault: throttled ? 'throttled' : fault ? faultLabel(fault) : null,
		};
		state.log.push(entry);
		if (throttled) {
			if (state.latencyMs > 0) await sleep(state.latencyMs);
			entry.status = 429;
			entry.retryAfter = throttled.retryAfter;
			entry.answeredAt = Date.now();
			send(res, json(429, throttledBody(throttled.retryAfter), { 'Retry-After': String(throttled.retryAfter) }), false);
			return;
		}
		try {
			if (state.gate && origin === 'api' && state.gate.holds(entry)) await state.gate.enter();
			await answer(req, res, ctx, entry, fault);
		} finally {
			if (origin === 'api') state.limits.release();
		}
	}

	async function answer(req, res, ctx, entry, fault) {
		if (fault && fault.type === 'delay') await sleep(fault.ms);
		if (fault && fault.type === 'drop') {
			req.socket.destroy();
			return;
		}
		let response;
		if (fault && fault.type === 'status') {
			response = faultResponse(fault);
		} else {
			response = await handle(ctx).catch(errorResponse);
			if (fault && fault.type === 'status-after') response = faultResponse(fault);
			if (fault && fault.type === 'drop-after') {
				req.socket.destroy();
				return;
			}
		}
		if (state.latencyMs > 0) await sleep(state.latencyMs);
		entry.status = response.status;
		entry.answeredAt = Date.now();
		send(res, response, ctx.method === 'HEAD');
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((error) => {
			console.error('[billover-simulator] request failed:', error);
			if (!res.headersSent) send(res, errorResponse(error), false);
			else res.destroy();
		});
	});
	server.keepAliveTimeout = 5000;
	return server;
}

module.exports = { createOriginServer, errorResponse };
