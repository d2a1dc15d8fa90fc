'use strict';

/**
 * The floor: a raw undici client (a keep-alive Pool per origin) making the
 * same requests as the node, the same way (one after another, or the same
 * number at a time), reading every body (JSON parsed, files written to disk).
 */
const fs = require('node:fs');
const { pipeline } = require('node:stream/promises');
const { Pool, FormData } = require('undici');

const { UPLOAD } = require('./data');

/** Runs `task` over `inputs` with at most `limit` in flight; results in input order. */
async function mapLimit(inputs, limit, task) {
	const results = new Array(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
	return results;
}

function createRawClient({ baseUrl, storageBaseUrl, apiKey }) {
	const api = new Pool(baseUrl, { connections: 16 });
	const storage = new Pool(storageBaseUrl, { connections: 4 });
	const headers = { 'Api-Key': apiKey, Accept: 'application/json' };

	async function json(method, path, body) {
		const response = await api.request({ method, path, headers: typeof body === 'string' ? { ...headers, 'Content-Type': 'application/json' } : headers, body });
		const parsed = await response.body.json();
		if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode}`);
		return parsed;
	}

	async function toFile(pool, options, file) {
		const response = await pool.request(options);
		if (response.statusCode !== 200) throw new Error(`${options.method} ${options.path}: ${response.statusCode}`);
		await pipeline(response.body, fs.createWriteStream(file));
		return fs.statSync(file).size;
	}

	return {
		/** Get Many: page 1, then the pages still needed, `concurrency` at a time. */
		async getMany({ limit, concurrency = 1 }) {
			const pageSize = limit === undefined ? 100 : Math.min(100, limit);
			const page = (number) => json('GET', `/v1/invoices/?page=${number}&page_size=${pageSize}`);
			const first = await page(1);
			const needed = limit === undefined ? first.page_count : Math.min(first.page_count, Math.ceil(limit / pageSize));
			const rest = await mapLimit(Array.from({ length: needed - 1 }, (_, index) => index + 2), concurrency, page);
			const results = [first, ...rest].flatMap((body) => body.results);
			return limit === undefined ? results : results.slice(0, limit);
		},
		/** Approve / Reject / Remove Approval of each uid; the answers. */
		async stateAction({ uids, path, concurrency = 1 }) {
			return await mapLimit(uids, concurrency, (uid) => json('POST', `/v1/invoices/${uid}/${path}`));
		},
		/** One multipart upload per item; the answers. */
		async create({ count, concurrency = 1 }) {
			return await mapLimit(Array.from({ length: count }), concurrency, () => {
				const form = new FormData();
				form.append('file', new Blob([UPLOAD.bytes], { type: UPLOAD.mimeType }), UPLOAD.fileName);
				return json('POST', '/v1/invoices/', form);
			});
		},
		/** Export XLSX, written to `file` as it arrives. */
		async exportXlsx({ file }) {
			return await toFile(api, { method: 'POST', path: '/v1/invoices/export-xlsx', headers: { ...headers, Accept: '*/*', 'Content-Type': 'application/json' }, body: '{}' }, file);
		},
		/** The invoice's detail, then its file from the storage host (no key), written to `file`. */
		async download({ uid, file }) {
			const detail = await json('GET', `/v1/invoices/${uid}`);
			const url = new URL(detail.file);
			return await toFile(storage, { method: 'GET', path: url.pathname, headers: { Accept: '*/*' } }, file);
		},
		/** The given GETs, one after another (a trigger poll's requests). */
		async replay({ calls }) {
			for (const { method, path } of calls) await json(method, path);
			return calls.length;
		},
	};
}

module.exports = { createRawClient, mapLimit };
