'use strict';

/**
 * The BillOver simulator as a separate process (test/sandbox/cli.js, the
 * sandbox users run), driven over HTTP: the API as any client sees it and the
 * control API under /_simulator/ (test/sandbox/control.js).
 */
const path = require('node:path');

const { startProcess, waitFor } = require('./processes');

const CLI = path.join(__dirname, '..', 'sandbox', 'cli.js');

/**
 * @param {{ port?: number, seed?: number, invoices?: number, apiKey?: string, ocrDelayMs?: number }} options
 * @returns {Promise<Sandbox>}
 */
async function startSandbox({ port = 0, seed = 1, invoices = 40, apiKey = 'sandbox-key', ocrDelayMs = 3000, node = process.execPath } = {}) {
	const args = [CLI, '--port', String(port), '--seed', String(seed), '--invoices', String(invoices), '--api-key', apiKey, '--ocr-delay-ms', String(ocrDelayMs)];
	const proc = startProcess(node, args, { env: process.env });
	const printed = await waitFor(
		'the BillOver simulator to print its URLs',
		async () => {
			const text = proc.output();
			const exit = await Promise.race([proc.exited, new Promise((resolve) => setTimeout(() => resolve(null), 0))]);
			if (exit) throw Object.assign(new Error(`the simulator exited: ${text}`), { fatal: true });
			const base = /Base URL:\s+(\S+)/.exec(text);
			const storage = /Storage URL:\s+(\S+)/.exec(text);
			const key = /API key:\s+(\S+)/.exec(text);
			return base && storage && key ? { baseUrl: base[1], storageBaseUrl: storage[1], apiKey: key[1] } : null;
		},
		{ timeoutMs: 15_000, intervalMs: 100 },
	);
	return new Sandbox(proc, printed);
}

class Sandbox {
	constructor(proc, { baseUrl, storageBaseUrl, apiKey }) {
		this.proc = proc;
		this.baseUrl = baseUrl;
		this.storageBaseUrl = storageBaseUrl;
		this.apiKey = apiKey;
	}

	/** A request with the API key; answers { status, headers, body } (JSON parsed when it is JSON). */
	async request(method, pathAndQuery, body) {
		const response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
			method,
			headers: { 'Api-Key': this.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(15_000),
		});
		const text = await response.text();
		let parsed = text;
		if ((response.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
		return { status: response.status, headers: response.headers, body: parsed };
	}

	async expectOk(method, pathAndQuery, body) {
		const response = await this.request(method, pathAndQuery, body);
		if (response.status >= 300) throw new Error(`${method} ${pathAndQuery} → ${response.status} ${JSON.stringify(response.body)}`);
		return response.body;
	}

	/** Every invoice of a list query, all pages. */
	async listAll(query = '') {
		const results = [];
		for (let page = 1; ; page++) {
			const body = await this.expectOk('GET', `/v1/invoices/?page=${page}&page_size=100${query ? `&${query}` : ''}`);
			results.push(...body.results);
			if (page >= body.page_count) return results;
		}
	}

	/** The request log (control API), optionally only entries after `since`. */
	async log(since = 0) {
		return this.expectOk('GET', `/_simulator/log${since ? `?since=${since}` : ''}`);
	}

	async info() {
		return this.expectOk('GET', '/_simulator/info');
	}

	async transitions(since = 0) {
		return this.expectOk('GET', `/_simulator/transitions${since ? `?since=${since}` : ''}`);
	}

	/** The last log sequence number (0 when the log is empty). */
	async logMark() {
		const entries = await this.log();
		return entries.length ? entries[entries.length - 1].seq : 0;
	}

	/** Every invoice, compact (control API; not in the request log). */
	async invoices() {
		return this.expectOk('GET', '/_simulator/invoices');
	}

	/** The next `count` requests matching `match` get `fault` (test/sandbox/faults.js). */
	async fault(count, fault, match = {}) {
		const response = await this.request('POST', '/_simulator/faults', { count, fault, match });
		if (response.status !== 204) throw new Error(`POST /_simulator/faults → ${response.status}`);
	}

	/** Upload a file through the API (multipart, as a client does). */
	async upload(fileName, bytes) {
		const form = new FormData();
		form.append('file', new Blob([bytes], { type: 'application/pdf' }), fileName);
		const response = await fetch(`${this.baseUrl}/v1/invoices/`, { method: 'POST', headers: { 'Api-Key': this.apiKey }, body: form, signal: AbortSignal.timeout(15_000) });
		if (response.status !== 201) throw new Error(`POST /v1/invoices/ → ${response.status}`);
		return response.json();
	}

	async stop() {
		await this.proc.stop();
	}
}

module.exports = { startSandbox, Sandbox };
