'use strict';

/**
 * The storage origin: a different host serving invoice files, like
 * `https://storage.billover.com/invoices/{uid}.pdf` in docs/API.md
 * ("Create an Invoice" response). docs/API.md, Invoice file: fetching a
 * file needs no Api-Key, and the key must never be sent there — so this
 * origin refuses every request that carries one. That is how tests prove
 * the key does not leak.
 *
 *   GET|HEAD /invoices/{uid}.{ext}  → the file bytes, with Content-Type,
 *                                     Content-Length and
 *                                     Content-Disposition: inline; filename="<original name>"
 *   anything with an Api-Key header → 400 {"detail": "Api-Key must not be sent to the storage host."}
 *   unknown file                     → 404 {"detail": "Not found."}
 */

const { ApiError, NotFoundError, MethodNotAllowedError } = require('./errors');
const { raw } = require('./http');

/**
 * `inline; filename="…"`, with an RFC 5987 `filename*` as well when the
 * name is not plain ASCII.
 * @param {string} name
 */
function contentDisposition(name) {
	const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/(["\\])/g, '\\$1');
	const header = `inline; filename="${ascii}"`;
	return /^[\x20-\x7e]*$/.test(name)
		? header
		: `${header}; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * @param {import('./index').Simulator} sim
 */
function createStorageHandler(sim) {
	return async function handleStorage(ctx) {
		if (ctx.headers['api-key'] !== undefined) {
			throw new ApiError(400, { detail: 'Api-Key must not be sent to the storage host.' });
		}
		const match = /^\/invoices\/([^/]+)\.([A-Za-z0-9]+)$/.exec(ctx.path);
		if (!match) throw new NotFoundError();
		if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
			throw new MethodNotAllowedError(ctx.method, ['GET', 'HEAD']);
		const file = sim.store.fileOf(match[1]);
		if (!file || file.ext !== match[2]) throw new NotFoundError();
		return raw(200, file.mimeType, file.data, {
			'Content-Disposition': contentDisposition(file.name),
			'Cache-Control': 'private, max-age=3600',
		});
	};
}

module.exports = { createStorageHandler, contentDisposition };
