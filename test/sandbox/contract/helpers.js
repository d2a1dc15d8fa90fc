'use strict';

/**
 * Helpers for the contract tests: real HTTP against a running simulator.
 */

const { fetch, FormData } = require('undici');
const { startSimulator } = require('..');

/**
 * @typedef {Object} CallResult
 * @property {number} status
 * @property {Headers} headers
 * @property {any} body    parsed JSON when the answer is JSON, else the text
 * @property {Buffer} bytes
 */

/**
 * Call the simulator. `json` sends a JSON body; `form` a FormData; `key: false`
 * leaves the Api-Key out; `base: 'storage'` targets the storage origin.
 * @param {import('..').Simulator} sim
 * @param {string} method
 * @param {string} path  path (and query) on the origin, or a full URL
 * @param {{ json?: unknown, body?: string|Buffer, form?: FormData, headers?: Record<string,string>, key?: string|false }} [options]
 * @returns {Promise<CallResult>}
 */
async function call(sim, method, path, options = {}) {
	const headers = { ...(options.headers || {}) };
	if (options.key !== false)
		headers['Api-Key'] = options.key === undefined ? sim.apiKey : options.key;
	let body;
	if (options.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.json);
	} else if (options.form) {
		body = options.form;
	} else if (options.body !== undefined) {
		body = options.body;
	}
	const url = /^https?:/.test(path) ? path : `${sim.baseUrl}${path}`;
	const response = await fetch(url, { method, headers, body });
	const bytes = Buffer.from(await response.arrayBuffer());
	const type = response.headers.get('content-type') || '';
	let parsed = bytes.toString('utf8');
	if (type.startsWith('application/json') && bytes.length > 0) parsed = JSON.parse(parsed);
	return { status: response.status, headers: response.headers, body: parsed, bytes };
}

/** Upload a file as multipart/form-data with one part `file`. */
function upload(
	sim,
	{
		name = 'invoice.pdf',
		type = 'application/pdf',
		data = Buffer.from('%PDF-1.4\n%test\n'),
		key,
	} = {},
) {
	const form = new FormData();
	form.append('file', new Blob([data], { type }), name);
	return call(sim, 'POST', '/v1/invoices/', { form, key });
}

/** Wait until `predicate()` is true (polling), or fail after `timeoutMs`. */
async function waitFor(predicate, timeoutMs = 3000) {
	const started = Date.now();
	for (;;) {
		if (await predicate()) return;
		if (Date.now() - started > timeoutMs) throw new Error('waitFor: timed out');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/**
 * Start a simulator for a test file and close it afterwards.
 * @param {import('..').SimulatorOptions} [options]
 * @returns {{ sim: import('..').Simulator }} filled in beforeAll
 */
function useSimulator(options = {}) {
	const holder = { sim: null };
	beforeAll(async () => {
		holder.sim = await startSimulator({ ocrDelayMs: 30, ...options });
	});
	afterAll(async () => {
		if (holder.sim) await holder.sim.close();
	});
	return holder;
}

/** Every invoice as the list shows them (all pages). */
async function listAll(sim, query = '') {
	const out = [];
	for (let page = 1; ; page++) {
		const separator = query ? '&' : '';
		const { body } = await call(
			sim,
			'GET',
			`/v1/invoices/?${query}${separator}page=${page}&page_size=100`,
		);
		out.push(...body.results);
		if (page >= body.page_count) return out;
	}
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}[+-]\d{2}:\d{2}$/;

module.exports = { call, upload, waitFor, useSimulator, listAll, FormData, UUID_V4, CREATED_AT };
