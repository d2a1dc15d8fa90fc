'use strict';

/**
 * Fault injection: make chosen requests fail the ways a real network and a
 * real server fail (docs/API.md, Errors: 429 with Retry-After, 5xx on any
 * call, "a 5xx or a dropped connection on a POST does not say whether the
 * server acted").
 *
 * A fault is one of:
 *   { type: 'status', status: 429|500|502|503, retryAfter?: seconds }
 *       answer at once; the server does nothing (retryAfter only for 429, default 1)
 *   { type: 'status-after', status: 500|502|503 }
 *       perform the request, then answer the 5xx instead of the real answer
 *   { type: 'drop' }        destroy the socket before acting
 *   { type: 'drop-after' }  act, then destroy the socket without answering
 *   { type: 'delay', ms }   wait, then handle normally
 *
 * A match selects requests: { origin?: 'api'|'storage', method?, path?: string|RegExp }
 * (path is the path without the query; a string must be equal). Over the
 * control API, `pathPattern: "<regex source>"` stands for a RegExp.
 */

const { mulberry32 } = require('./random');
const { raw, json } = require('./http');

/**
 * @typedef {{ type: 'status', status: 429|500|502|503, retryAfter?: number }
 *   | { type: 'status-after', status: 500|502|503 }
 *   | { type: 'drop' } | { type: 'drop-after' } | { type: 'delay', ms: number }} Fault
 *
 * @typedef {Object} FaultMatch
 * @property {'api'|'storage'} [origin]
 * @property {string} [method]
 * @property {string|RegExp} [path]
 * @property {string} [pathPattern]  RegExp source (for JSON callers)
 */

/**
 * Check a fault and fill defaults; TypeError if it is not one of the shapes above.
 * @param {Fault} fault
 * @returns {Fault}
 */
function normalizeFault(fault) {
	if (!fault || typeof fault !== 'object') throw new TypeError('fault must be an object');
	switch (fault.type) {
		case 'status':
			if (![429, 500, 502, 503].includes(fault.status))
				throw new TypeError('status fault: status must be 429, 500, 502 or 503');
			return fault.status === 429
				? { type: 'status', status: 429, retryAfter: fault.retryAfter ?? 1 }
				: { type: 'status', status: fault.status };
		case 'status-after':
			if (![500, 502, 503].includes(fault.status))
				throw new TypeError('status-after fault: status must be 500, 502 or 503');
			return { type: 'status-after', status: fault.status };
		case 'drop':
		case 'drop-after':
			return { type: fault.type };
		case 'delay':
			if (typeof fault.ms !== 'number' || !(fault.ms >= 0))
				throw new TypeError('delay fault: ms must be a number >= 0');
			return { type: 'delay', ms: fault.ms };
		default:
			throw new TypeError(`unknown fault type "${fault.type}"`);
	}
}

/** @param {FaultMatch} [match] */
function normalizeMatch(match = {}) {
	const out = { ...match };
	if (typeof out.pathPattern === 'string') out.path = new RegExp(out.pathPattern);
	delete out.pathPattern;
	if (out.method) out.method = String(out.method).toUpperCase();
	return out;
}

/** @param {FaultMatch} match @param {{ origin: string, method: string, path: string }} request */
function matches(match, request) {
	if (match.origin && match.origin !== request.origin) return false;
	if (match.method && match.method !== request.method) return false;
	if (match.path instanceof RegExp) return match.path.test(request.path);
	if (typeof match.path === 'string') return match.path === request.path;
	return true;
}

/** The short label a faulted request carries in the log: '429', '500-after', 'drop', ... */
function faultLabel(fault) {
	if (fault.type === 'status') return String(fault.status);
	if (fault.type === 'status-after') return `${fault.status}-after`;
	return fault.type;
}

const HTML_PAGES = {
	// Django's own page for an unhandled exception (DEBUG off).
	500: '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n',
	// What a reverse proxy in front of the app answers.
	502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	503: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};

/**
 * The answer a status fault gives: 429 is DRF's throttle answer (JSON,
 * Retry-After); 5xx are HTML pages as Django and nginx send them.
 * @param {Fault} fault
 * @returns {import('./http').SimResponse}
 */
function faultResponse(fault) {
	if (fault.status === 429) {
		const wait = fault.retryAfter;
		return json(
			429,
			{
				detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
			},
			{ 'Retry-After': String(wait) },
		);
	}
	return raw(fault.status, 'text/html; charset=utf-8', HTML_PAGES[fault.status]);
}

class FaultInjector {
	/** @type {Array<{ remaining: number, fault: Fault, match: FaultMatch }>} */
	#rules = [];
	/** @type {{ probability: number, rng: () => number, faults: Fault[], match: FaultMatch } | null} */
	#random = null;

	/**
	 * The next `count` requests matching `match` get `fault`. Rules queue up:
	 * the oldest matching rule with requests left applies.
	 * @param {number} count
	 * @param {Fault} fault
	 * @param {FaultMatch} [match]
	 */
	next(count, fault, match = {}) {
		if (!Number.isInteger(count) || count < 1)
			throw new TypeError('count must be a positive integer');
		this.#rules.push({
			remaining: count,
			fault: normalizeFault(fault),
			match: normalizeMatch(match),
		});
	}

	/**
	 * Each matching request gets one of `faults` (picked at random) with the
	 * given probability; the dice come from a PRNG seeded with `seed`, so the
	 * same requests in the same order get the same faults. Replaces an
	 * earlier random setting. `next()` rules win over random faults.
	 * @param {{ probability: number, seed?: number, faults: Fault[], match?: FaultMatch }} options
	 */
	random({ probability, seed = 1, faults, match = {} }) {
		if (typeof probability !== 'number' || probability < 0 || probability > 1) {
			throw new TypeError('probability must be a number between 0 and 1');
		}
		if (!Array.isArray(faults) || faults.length === 0)
			throw new TypeError('faults must be a non-empty array');
		this.#random = {
			probability,
			rng: mulberry32(seed),
			faults: faults.map(normalizeFault),
			match: normalizeMatch(match),
		};
	}

	/** Remove every rule and the random setting. */
	clear() {
		this.#rules = [];
		this.#random = null;
	}

	/**
	 * The fault for this request, if any (consumes one use of a rule).
	 * @param {{ origin: string, method: string, path: string }} request
	 * @returns {Fault|null}
	 */
	take(request) {
		const rule = this.#rules.find(
			(candidate) => candidate.remaining > 0 && matches(candidate.match, request),
		);
		if (rule) {
			rule.remaining -= 1;
			this.#rules = this.#rules.filter((candidate) => candidate.remaining > 0);
			return rule.fault;
		}
		const random = this.#random;
		if (random && matches(random.match, request) && random.rng() < random.probability) {
			return random.faults[Math.floor(random.rng() * random.faults.length)];
		}
		return null;
	}
}

module.exports = { FaultInjector, normalizeFault, faultLabel, faultResponse };
