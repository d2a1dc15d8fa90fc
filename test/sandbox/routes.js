'use strict';

/**
 * The API origin: every documented endpoint, with the documents' exact paths
 * (docs/API.md, Transport): a trailing slash on `/v1/invoices/` and
 * `/v1/invoices/{uid}/items/`, none on `/v1/invoices/{uid}`, `/approve`,
 * `/reject`, `/remove-approval`, `/export-csv`, `/export-xlsx`,
 * `/items/{item_uid}`. A path with the other slash is 404, as with Django's
 * APPEND_SLASH off.
 *
 * Order of checks, as in Django + DRF: unknown path → 404 `Not found.`;
 * wrong or missing Api-Key → 401; method not offered → 405; unknown
 * invoice/item → 404; permission flag false → 403; body invalid → 400.
 */

const {
	NotFoundError,
	NotAuthenticatedError,
	MethodNotAllowedError,
	ValidationError,
	ParseError,
	UnsupportedMediaTypeError,
} = require('./errors');
const { cleanInvoiceFilters, uploadFileType, pythonTypeName } = require('./validation');
const { json, noContent, raw, isFormType, isJsonType } = require('./http');
const { toCsv, toXlsx } = require('./exports');
const { localDate } = require('./time');

/** docs/API.md and docs/API.md, Listing: 10 per page by default, at most 100. */
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/** The value Django's `QueryDict.get()` answers: the last one. */
function lastValue(query, key) {
	const values = query[key];
	return values && values.length ? values[values.length - 1] : undefined;
}

/** Python's `int()` on a string (surrounding spaces, a sign); null if not an integer. */
function pythonInt(text) {
	return /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : null;
}

/**
 * DRF PageNumberPagination: `page_size` must be a positive integer
 * (anything else → the default), larger is clamped to 100; `page` is 1-based,
 * empty means 1, `last` means the last page, anything else that is not a page
 * → 404 `Invalid page.`. An empty result still has one (empty) page.
 * @param {Record<string, string[]>} query
 * @param {number} count
 */
function paginate(query, count) {
	const sizeParam = pythonInt(lastValue(query, 'page_size') ?? '');
	const pageSize =
		sizeParam !== null && sizeParam > 0 ? Math.min(sizeParam, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
	const pageCount = Math.max(1, Math.ceil(count / pageSize));
	const pageParam = lastValue(query, 'page') || '1';
	const page = pageParam === 'last' ? pageCount : pythonInt(pageParam);
	if (page === null || page < 1 || page > pageCount) throw new NotFoundError('Invalid page.');
	return { page, pageSize, pageCount, start: (page - 1) * pageSize };
}

/**
 * @param {import('./index').Simulator} sim
 */
function createApiHandler(sim) {
	const { store } = sim;

	/** Filters of the export body: an object whose values are strings or arrays. */
	function exportFilters(ctx) {
		const body = ctx.json();
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			throw new ValidationError({
				non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonTypeName(body)}.`],
			});
		}
		return cleanInvoiceFilters(body);
	}

	function exportFileName(ext) {
		return `invoices-${localDate(store.now().getTime() * 1000, store.offsetMinutes)}.${ext}`;
	}

	/**
	 * The `file` part of an upload, checked like DRF's FileField, plus the
	 * accepted types (docs/API.md, Create: PDF, PNG, JPEG).
	 */
	async function uploadedFile(ctx) {
		let value;
		if (isFormType(ctx.contentType)) {
			if (ctx.formError)
				throw new ParseError(`Multipart form parse error - ${ctx.formError.message}`);
			const all = ctx.form.getAll('file');
			value = all[all.length - 1];
		} else if (isJsonType(ctx.contentType) || !ctx.rawBody || ctx.rawBody.length === 0) {
			const body = ctx.json();
			value = body && typeof body === 'object' && !Array.isArray(body) ? body.file : undefined;
		} else {
			throw new UnsupportedMediaTypeError(ctx.headers['content-type']);
		}
		// A file input left empty arrives as a file without a name: Django drops it.
		if (
			value === undefined ||
			value === null ||
			(typeof value === 'object' && value.name === '' && value.size === 0)
		) {
			throw new ValidationError({ file: ['No file was submitted.'] });
		}
		if (typeof value !== 'object' || typeof value.arrayBuffer !== 'function') {
			throw new ValidationError({
				file: ['The submitted data was not a file. Check the encoding type on the form.'],
			});
		}
		if (!value.name) throw new ValidationError({ file: ['No filename could be determined.'] });
		if (value.size === 0) throw new ValidationError({ file: ['The submitted file is empty.'] });
		const type = uploadFileType(value.name, value.type);
		if (!type) {
			throw new ValidationError({
				file: [
					`Unsupported file type "${value.type || 'unknown'}". Upload a PDF, PNG or JPEG file.`,
				],
			});
		}
		return {
			fileName: value.name,
			mimeType: type.mimeType,
			data: Buffer.from(await value.arrayBuffer()),
		};
	}

	/** Route table: path pattern → method → handler(ctx, params). */
	const routes = [
		{
			// List and upload (docs/API.md, Listing, "Create Invoice").
			pattern: /^\/v1\/invoices\/$/,
			methods: {
				GET(ctx) {
					const filters = cleanInvoiceFilters(ctx.query);
					const records = store.findInvoices(filters);
					const { pageSize, pageCount, start } = paginate(ctx.query, records.length);
					return json(200, {
						count: records.length,
						page_count: pageCount,
						page_size: pageSize,
						results: records.slice(start, start + pageSize).map(store.serialize.list),
					});
				},
				async POST(ctx) {
					const file = await uploadedFile(ctx);
					const created = store.createInvoice(file);
					return json(201, store.createdView(created.uid));
				},
			},
		},
		{
			pattern: /^\/v1\/invoices\/export-csv$/,
			methods: {
				POST(ctx) {
					const rows = store.exportRows(exportFilters(ctx));
					return raw(200, 'text/csv; charset=utf-8', toCsv(rows), {
						'Content-Disposition': `attachment; filename="${exportFileName('csv')}"`,
					});
				},
			},
		},
		{
			pattern: /^\/v1\/invoices\/export-xlsx$/,
			methods: {
				async POST(ctx) {
					const rows = store.exportRows(exportFilters(ctx));
					return raw(
						200,
						'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
						await toXlsx(rows),
						{
							'Content-Disposition': `attachment; filename="${exportFileName('xlsx')}"`,
						},
					);
				},
			},
		},
		{
			// Get, update, delete (docs/API.md, Endpoints, "Update Invoice", "Delete Invoice").
			pattern: /^\/v1\/invoices\/(?<uid>[^/]+)$/,
			methods: {
				GET: (ctx, { uid }) => json(200, store.getInvoice(uid)),
				PUT(ctx, { uid }) {
					// DRF reads the body only after the object lookup (404) and the permission check (403).
					store.assertAllowed(uid, 'can_update');
					return json(200, store.updateInvoice(uid, ctx.json()));
				},
				DELETE(ctx, { uid }) {
					store.deleteInvoice(uid);
					return noContent();
				},
			},
		},
		{
			pattern: /^\/v1\/invoices\/(?<uid>[^/]+)\/approve$/,
			methods: { POST: (ctx, { uid }) => json(200, store.approve(uid)) },
		},
		{
			pattern: /^\/v1\/invoices\/(?<uid>[^/]+)\/reject$/,
			methods: { POST: (ctx, { uid }) => json(200, store.reject(uid)) },
		},
		{
			pattern: /^\/v1\/invoices\/(?<uid>[^/]+)\/remove-approval$/,
			methods: { POST: (ctx, { uid }) => json(200, store.removeApproval(uid)) },
		},
		{
			// docs/API.md, Invoice items.
			pattern: /^\/v1\/invoices\/(?<uid>[^/]+)\/items\/$/,
			methods: {
				POST(ctx, { uid }) {
					store.assertAllowed(uid, 'can_update');
					return json(201, store.createItem(uid, ctx.json()));
				},
			},
		},
		{
			// docs/API.md, Invoice items, "Delete Invoice Item".
			pattern: /^\/v1\/invoices\/(?<uid>[^/]+)\/items\/(?<itemUid>[^/]+)$/,
			methods: {
				PUT(ctx, { uid, itemUid }) {
					store.assertAllowed(uid, 'can_update', itemUid);
					return json(200, store.updateItem(uid, itemUid, ctx.json()));
				},
				DELETE(ctx, { uid, itemUid }) {
					store.deleteItem(uid, itemUid);
					return noContent();
				},
			},
		},
	];

	/**
	 * @param {import('./http').RequestContext} ctx
	 * @returns {Promise<import('./http').SimResponse>}
	 */
	return async function handleApi(ctx) {
		let route;
		let params;
		for (const candidate of routes) {
			const match = candidate.pattern.exec(ctx.path);
			if (match) {
				route = candidate;
				params = match.groups || {};
				break;
			}
		}
		if (!route) throw new NotFoundError();
		if (ctx.headers['api-key'] !== sim.apiKey) throw new NotAuthenticatedError();

		const allowed = Object.keys(route.methods);
		if (allowed.includes('GET')) allowed.push('HEAD');
		allowed.push('OPTIONS');
		if (ctx.method === 'OPTIONS') {
			return json(
				200,
				{ name: 'BillOver simulator', renders: ['application/json'] },
				{ Allow: allowed.join(', ') },
			);
		}
		const handler = route.methods[ctx.method === 'HEAD' ? 'GET' : ctx.method];
		if (!handler) throw new MethodNotAllowedError(ctx.method, allowed);
		return handler(ctx, params);
	};
}

module.exports = { createApiHandler, paginate, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };
