'use strict';

/**
 * The in-memory BillOver model: invoices with their items and history, the
 * reference data, the approval state machine and the record of transitions.
 *
 * Every public method either succeeds or throws one of ./errors (404, 403,
 * 400 with DRF-style field messages, 409 for the simulator-only
 * finishProcessing), exactly as the HTTP API answers. Methods answer API
 * shapes (./serializers), never internal records.
 *
 * Invoices live in one array kept sorted the way the list endpoint sorts
 * (docs/API.md, Listing: `-created_at`, ties by `uid` descending), so a page
 * is a slice and 100,000 invoices stay fast.
 */

const { NotFoundError, PermissionDeniedError, ConflictError } = require('./errors');
const {
	CURRENCIES,
	PAYMENT_TYPES,
	UNITS,
	parseUuid,
	decimalField,
	dateField,
	charField,
	choiceField,
	relatedUidField,
	cleanBody,
	cleanInvoiceFilters,
	uploadFileType,
	toCents,
	fromCents,
} = require('./validation');
const { mulberry32, hashString, randomInt, randomUuid } = require('./random');
const {
	createHfIdAllocator,
	seedReferenceData,
	seedInvoices,
	inventContent,
	emptyContent,
	vatOfGross,
} = require('./seed');
const { createSerializers, permissionsFor } = require('./serializers');
const { formatMicros, toMicros, startOfLocalDay } = require('./time');
const { renderPdf } = require('./pdf');

/**
 * @typedef {Object} ItemRecord  an invoice item, stored as the API shows it
 * @property {string} uid
 * @property {string|null} name
 * @property {string|null} description
 * @property {string|null} quantity     "2.000"
 * @property {string|null} unit         k | p | m | l
 * @property {string|null} total_price  "100.00", VAT included
 * @property {string|null} vat_rate     "18.00"
 *
 * @typedef {Object} HistoryRecord
 * @property {'created'|'updated'|'approved'|'rejected'|'approval_removed'|'processing_finished'} action
 * @property {number} at  microseconds since the epoch (shown as created_at)
 * @property {string|null} workspace_user_uid  null for the system (OCR)
 *
 * @typedef {Object} InvoiceFile
 * @property {string} name       original file name
 * @property {string} mime_type
 * @property {string} ext        pdf | png | jpg
 * @property {Buffer|null} data  null: a placeholder PDF is made on demand
 *
 * @typedef {Object} InvoiceRecord  what the store keeps per invoice
 * @property {string} uid
 * @property {string} hf_id
 * @property {number} createdAtUs  microseconds since the epoch, for sorting
 * @property {string} created_at
 * @property {'processing'|'finished'|'failed'} processing_status
 * @property {'waiting'|'approved'|'rejected'} approvement_status
 * @property {string|null} total_price
 * @property {string|null} total_vat
 * @property {string|null} currency
 * @property {string|null} country
 * @property {string|null} language
 * @property {string|null} invoice_date
 * @property {string|null} invoice_number
 * @property {string|null} payment_type
 * @property {string|null} company_uid
 * @property {string|null} card_uid
 * @property {string|null} category_uid
 * @property {string} workspace_user_uid
 * @property {ItemRecord[]} items
 * @property {HistoryRecord[]} history
 * @property {InvoiceFile} file
 *
 * @typedef {Object} Transition  the simulator's own record of one event
 * @property {number} seq
 * @property {'created'|'processing_finished'|'processing_failed'|'updated'|'approved'|'rejected'|'approval_removed'|'deleted'} type
 * @property {string} uid
 * @property {string} at  ISO 8601
 * @property {string} approvementStatus  after the event
 * @property {string} processingStatus   after the event
 */

const INVOICE_NOT_FOUND = 'No Invoice matches the given query.';
const ITEM_NOT_FOUND = 'No InvoiceItem matches the given query.';

/** List order: created_at descending, then uid descending. */
function compareInvoices(a, b) {
	if (a.createdAtUs !== b.createdAtUs) return b.createdAtUs - a.createdAtUs;
	return a.uid < b.uid ? 1 : a.uid > b.uid ? -1 : 0;
}

/** Everything `query` searches, lower-cased (docs/API.md, Listing). */
function searchText(record, refs) {
	const parts = [record.hf_id, record.invoice_number];
	const category = refs.categoryByUid.get(record.category_uid);
	if (category) parts.push(category.name);
	const company = refs.companyByUid.get(record.company_uid);
	if (company) parts.push(company.name, company.address, company.tax_number);
	for (const item of record.items) parts.push(item.name, item.description);
	return parts
		.filter((part) => part !== null && part !== undefined)
		.join('\u0000')
		.toLowerCase();
}

class Store {
	/** @type {InvoiceRecord[]} newest first */
	#invoices = [];
	/** @type {Map<string, InvoiceRecord>} */
	#byUid = new Map();
	/** @type {Map<string, NodeJS.Timeout>} pending OCR timers */
	#ocrTimers = new Map();
	#rng;
	#hfIds;
	#lastCreatedUs = 0;
	#lastActionUs = 0;
	#refs;
	#serialize;
	#invoiceFields;
	#itemFields;

	/**
	 * @param {Object} options
	 * @param {number} options.seed
	 * @param {number} options.invoices      how many seeded invoices
	 * @param {() => Date} options.now
	 * @param {number} options.offsetMinutes UTC offset datetimes are shown in
	 * @param {number|null} options.ocrDelayMs  null: processing only ends by finishProcessing()
	 * @param {(record: InvoiceRecord) => string} options.fileUrl
	 */
	constructor({ seed, invoices, now, offsetMinutes, ocrDelayMs, fileUrl }) {
		this.seed = seed;
		this.now = now;
		this.offsetMinutes = offsetMinutes;
		this.ocrDelayMs = ocrDelayMs;
		/** @type {Transition[]} */
		this.transitions = [];

		const refs = seedReferenceData(seed);
		this.#refs = {
			...refs,
			companyByUid: new Map(refs.companies.map((c) => [c.uid, c])),
			categoryByUid: new Map(refs.categories.map((c) => [c.uid, c])),
			cardByUid: new Map(refs.cards.map((c) => [c.uid, c])),
		};
		this.companies = refs.companies;
		this.cards = refs.cards;
		this.workspaceUsers = refs.workspaceUsers;
		this.categories = refs.categories;
		/** The workspace user the API key belongs to: uploads and actions are theirs. */
		this.apiUser = refs.workspaceUsers[0];

		this.#serialize = createSerializers({ refs, fileUrl, offsetMinutes });
		this.#rng = mulberry32(hashString(`runtime:${seed}`));
		this.#hfIds = createHfIdAllocator(mulberry32(hashString(`hf_id:${seed}`)));

		const anchorUs = startOfLocalDay(now().getTime() * 1000, offsetMinutes);
		const seeded = seedInvoices({
			seed,
			count: invoices,
			refs,
			anchorUs,
			offsetMinutes,
			hfIds: this.#hfIds,
		});
		seeded.sort(compareInvoices);
		this.#invoices = seeded;
		for (const record of seeded) this.#byUid.set(record.uid, record);

		// PUT /v1/invoices/{uid} body (docs/API.md, Update).
		this.#invoiceFields = {
			total_price: decimalField({ maxDigits: 10, decimalPlaces: 2 }),
			total_vat: decimalField({ maxDigits: 10, decimalPlaces: 2 }),
			invoice_date: dateField(),
			invoice_number: charField({ maxLength: 64 }),
			currency: choiceField(CURRENCIES),
			payment_type: choiceField(PAYMENT_TYPES),
			company_uid: relatedUidField((uid) => this.#refs.companyByUid.has(uid)),
			card_uid: relatedUidField((uid) => this.#refs.cardByUid.has(uid)),
		};
		// Item body (docs/API.md, Invoice items).
		this.#itemFields = {
			name: charField({ maxLength: 255 }),
			description: charField(),
			quantity: decimalField({ maxDigits: 10, decimalPlaces: 3 }),
			unit: choiceField(UNITS),
			total_price: decimalField({ maxDigits: 10, decimalPlaces: 2 }),
			vat_rate: decimalField({ maxDigits: 5, decimalPlaces: 2, min: 0, max: 100 }),
		};
	}

	// ------------------------------------------------------------ reading

	/** Number of invoices. */
	count() {
		return this.#invoices.length;
	}

	/** Detail shape of one invoice; NotFoundError if unknown or malformed. */
	getInvoice(uid) {
		return this.#serialize.detail(this.#record(uid));
	}

	/**
	 * Every invoice matching the list filters, in list order, list shape.
	 * `filters` uses the API's keys (`company__uid`, `approvement_status`, ...,
	 * strings or arrays); ValidationError like the list endpoint.
	 * @param {Record<string, string|string[]>} [filters]
	 */
	listInvoices(filters = {}) {
		return this.findInvoices(cleanInvoiceFilters(filters)).map(this.#serialize.list);
	}

	/**
	 * Internal records matching cleaned filters, in list order (a new array).
	 * @param {import('./validation').InvoiceFilters} filters
	 * @returns {InvoiceRecord[]}
	 */
	findInvoices(filters) {
		const f = filters;
		const active = Object.values(f).some((value) => value !== null);
		if (!active) return this.#invoices.slice();
		return this.#invoices.filter((record) => {
			if (f.companyUids && !f.companyUids.has(record.company_uid)) return false;
			if (f.workspaceUserUids && !f.workspaceUserUids.has(record.workspace_user_uid)) return false;
			if (f.cardUids && !f.cardUids.has(record.card_uid)) return false;
			if (f.approvementStatuses && !f.approvementStatuses.has(record.approvement_status))
				return false;
			if (f.paymentTypes && !f.paymentTypes.has(record.payment_type)) return false;
			// from_date / to_date compare the date of created_at in its own offset.
			const day = record.created_at.slice(0, 10);
			if (f.fromDate && day < f.fromDate) return false;
			if (f.toDate && day > f.toDate) return false;
			if (f.query && !searchText(record, this.#refs).includes(f.query)) return false;
			return true;
		});
	}

	/**
	 * Export rows (./exports EXPORT_COLUMNS) for invoices matching cleaned filters.
	 * @param {import('./validation').InvoiceFilters} filters
	 */
	exportRows(filters) {
		return this.findInvoices(filters).map((record) => {
			const company = this.#refs.companyByUid.get(record.company_uid);
			return {
				hf_id: record.hf_id,
				uid: record.uid,
				invoice_number: record.invoice_number,
				invoice_date: record.invoice_date,
				company: company ? company.name : null,
				company_tax_number: company ? company.tax_number : null,
				total_price: record.total_price,
				total_vat: record.total_vat,
				currency: record.currency,
				payment_type: record.payment_type,
				approvement_status: record.approvement_status,
				processing_status: record.processing_status,
				created_at: record.created_at,
			};
		});
	}

	/** The serializers, for the HTTP layer. */
	get serialize() {
		return this.#serialize;
	}

	/**
	 * The stored file of an invoice (a placeholder PDF for seeded ones), or
	 * null if there is no such invoice.
	 * @param {string} uid
	 * @returns {{ name: string, mimeType: string, ext: string, data: Buffer } | null}
	 */
	fileOf(uid) {
		const record = this.#byUid.get(parseUuid(uid));
		if (!record) return null;
		const { file } = record;
		const data =
			file.data ||
			renderPdf([
				`Invoice ${record.invoice_number || record.hf_id}`,
				`BillOver simulator placeholder for ${record.uid}`,
				`Total: ${record.total_price || '-'} ${record.currency || ''}`,
			]);
		return { name: file.name, mimeType: file.mime_type, ext: file.ext, data };
	}

	// ------------------------------------------------------------ creating and processing

	/**
	 * Create an invoice as an upload does (docs/API.md, Create): waiting,
	 * processing, fields null; OCR finishes after `ocrDelayMs`.
	 * @param {Object} input
	 * @param {string} input.fileName
	 * @param {string} [input.mimeType]  PDF, PNG or JPEG; defaults from the name
	 * @param {Buffer} [input.data]
	 * @param {Date|string} [input.createdAt]  force created_at (e.g. identical ones)
	 * @param {boolean} [input.processing=true]  false: finish processing at once
	 * @returns {object} the detail shape
	 */
	createInvoice({
		fileName,
		mimeType = 'application/octet-stream',
		data = Buffer.alloc(0),
		createdAt,
		processing = true,
	}) {
		const type = uploadFileType(fileName, mimeType) || { mimeType: 'application/pdf', ext: 'pdf' };
		const createdAtUs = createdAt === undefined ? this.#nextCreatedUs() : toMicros(createdAt);
		/** @type {InvoiceRecord} */
		const record = {
			uid: randomUuid(this.#rng),
			hf_id: this.#hfIds.next(),
			createdAtUs,
			created_at: formatMicros(createdAtUs, this.offsetMinutes),
			processing_status: 'processing',
			approvement_status: 'waiting',
			...emptyContent(),
			workspace_user_uid: this.apiUser.uid,
			history: [],
			file: { name: fileName, mime_type: type.mimeType, ext: type.ext, data: Buffer.from(data) },
		};
		record.history.push({
			action: 'created',
			at: createdAtUs,
			workspace_user_uid: this.apiUser.uid,
		});
		this.#insertSorted(record);
		this.#byUid.set(record.uid, record);
		this.#recordTransition('created', record);
		if (!processing) {
			this.finishProcessing(record.uid);
		} else if (typeof this.ocrDelayMs === 'number' && Number.isFinite(this.ocrDelayMs)) {
			const timer = setTimeout(() => {
				this.#ocrTimers.delete(record.uid);
				if (this.#byUid.get(record.uid) === record && record.processing_status === 'processing') {
					this.finishProcessing(record.uid);
				}
			}, this.ocrDelayMs);
			timer.unref();
			this.#ocrTimers.set(record.uid, timer);
		}
		return this.#serialize.detail(record);
	}

	/**
	 * The upload's 201 answer shape for an invoice (list fields + file URL).
	 * @param {string} uid
	 */
	createdView(uid) {
		return this.#serialize.created(this.#record(uid));
	}

	/**
	 * End OCR: fill the fields deterministically from the seed and the uid
	 * (only fields still null, so edits made while processing survive), or
	 * fail it. A file named like "*unreadable*" always fails.
	 * ConflictError if the invoice is not processing.
	 * @param {string} uid
	 * @param {{ fail?: boolean }} [options]
	 */
	finishProcessing(uid, { fail = false } = {}) {
		const record = this.#record(uid);
		if (record.processing_status !== 'processing') {
			throw new ConflictError(
				`Invoice is not processing (processing_status is "${record.processing_status}").`,
			);
		}
		const timer = this.#ocrTimers.get(record.uid);
		if (timer) clearTimeout(timer);
		this.#ocrTimers.delete(record.uid);

		if (fail || /unreadable/i.test(record.file.name)) {
			// History has no failure action (docs/API.md, History, lists none); only the transition record shows it.
			record.processing_status = 'failed';
			this.#recordTransition('processing_failed', record);
			return this.#serialize.detail(record);
		}
		const rng = mulberry32(hashString(`ocr:${this.seed}:${record.uid}`));
		const content = inventContent(rng, this.#refs, {
			createdAtUs: record.createdAtUs,
			offsetMinutes: this.offsetMinutes,
			itemCount: randomInt(rng, 1, 3),
		});
		const { items, ...fields } = content;
		for (const [key, value] of Object.entries(fields)) {
			if (record[key] === null) record[key] = value;
		}
		if (record.items.length === 0) record.items = items;
		record.processing_status = 'finished';
		record.history.push({
			action: 'processing_finished',
			at: this.#nextActionUs(),
			workspace_user_uid: null,
		});
		this.#recordTransition('processing_finished', record);
		return this.#serialize.detail(record);
	}

	// ------------------------------------------------------------ the approval state machine

	/** waiting | rejected → approved. Answers `{uid, approvement_status, permissions}`. */
	approve(uid) {
		return this.#transition(uid, 'can_approve', 'approved', 'approved');
	}

	/** waiting → rejected. */
	reject(uid) {
		return this.#transition(uid, 'can_reject', 'rejected', 'rejected');
	}

	/** approved → waiting. */
	removeApproval(uid) {
		return this.#transition(uid, 'can_remove_approval', 'waiting', 'approval_removed');
	}

	#transition(uid, permission, status, action) {
		const record = this.#record(uid);
		if (!permissionsFor(record.approvement_status)[permission]) throw new PermissionDeniedError();
		record.approvement_status = status;
		const at = this.#nextActionUs();
		record.history.push({ action, at, workspace_user_uid: this.apiUser.uid });
		this.#recordTransition(action, record, at);
		return this.#serialize.action(record);
	}

	// ------------------------------------------------------------ updating and deleting

	/**
	 * PUT semantics of the API: any subset of the documented fields, the rest
	 * untouched (docs/API.md, Update). 403 while approved. Answers the detail.
	 * @param {string} uid
	 * @param {Record<string, unknown>} fields
	 */
	updateInvoice(uid, fields) {
		const record = this.#record(uid);
		if (!permissionsFor(record.approvement_status).can_update) throw new PermissionDeniedError();
		const cleaned = cleanBody(fields, this.#invoiceFields);
		for (const [key, value] of Object.entries(cleaned)) record[key] = value;
		this.#markUpdated(record);
		return this.#serialize.detail(record);
	}

	/** 403 while approved. */
	deleteInvoice(uid) {
		const record = this.#record(uid);
		if (!permissionsFor(record.approvement_status).can_delete) throw new PermissionDeniedError();
		const timer = this.#ocrTimers.get(record.uid);
		if (timer) clearTimeout(timer);
		this.#ocrTimers.delete(record.uid);
		this.#invoices.splice(this.#indexOf(record), 1);
		this.#byUid.delete(record.uid);
		this.#recordTransition('deleted', record);
	}

	// ------------------------------------------------------------ items

	/**
	 * Add an item (fields not sent are null). Item changes need `can_update`
	 * and recompute the invoice totals from the items.
	 * @param {string} invoiceUid
	 * @param {Record<string, unknown>} fields
	 */
	createItem(invoiceUid, fields) {
		const record = this.#record(invoiceUid);
		if (!permissionsFor(record.approvement_status).can_update) throw new PermissionDeniedError();
		const cleaned = cleanBody(fields, this.#itemFields);
		/** @type {ItemRecord} */
		const item = {
			uid: randomUuid(this.#rng),
			name: null,
			description: null,
			quantity: null,
			unit: null,
			total_price: null,
			vat_rate: null,
			...cleaned,
		};
		record.items.push(item);
		this.#itemsChanged(record);
		return this.#serialize.item(item);
	}

	/** Update the sent fields of an item. 404 for an item of another invoice. */
	updateItem(invoiceUid, itemUid, fields) {
		const record = this.#record(invoiceUid);
		const item = this.#item(record, itemUid);
		if (!permissionsFor(record.approvement_status).can_update) throw new PermissionDeniedError();
		const cleaned = cleanBody(fields, this.#itemFields);
		Object.assign(item, cleaned);
		this.#itemsChanged(record);
		return this.#serialize.item(item);
	}

	deleteItem(invoiceUid, itemUid) {
		const record = this.#record(invoiceUid);
		const item = this.#item(record, itemUid);
		if (!permissionsFor(record.approvement_status).can_update) throw new PermissionDeniedError();
		record.items.splice(record.items.indexOf(item), 1);
		this.#itemsChanged(record);
	}

	/**
	 * After an item change, the invoice's totals are the items' sums
	 * (total_price = Σ item total_price, total_vat = Σ VAT included in each
	 * item). With no items left the totals stay as they were.
	 */
	#itemsChanged(record) {
		if (record.items.length > 0) {
			let total = 0;
			let vat = 0;
			for (const item of record.items) {
				const cents = toCents(item.total_price);
				total += cents;
				vat += vatOfGross(cents, item.vat_rate);
			}
			record.total_price = fromCents(total);
			record.total_vat = fromCents(vat);
		}
		this.#markUpdated(record);
	}

	/**
	 * Throw what the API answers before it reads a body: 404 for an unknown
	 * invoice (or item, when `itemUid` is given), 403 when the invoice's
	 * permission flag is false.
	 * @param {string} uid
	 * @param {keyof import('./serializers').Permissions} permission
	 * @param {string} [itemUid]
	 */
	assertAllowed(uid, permission, itemUid) {
		const record = this.#record(uid);
		if (itemUid !== undefined) this.#item(record, itemUid);
		if (!permissionsFor(record.approvement_status)[permission]) throw new PermissionDeniedError();
	}

	// ------------------------------------------------------------ lifecycle

	/** Cancel pending OCR timers (on close). */
	dispose() {
		for (const timer of this.#ocrTimers.values()) clearTimeout(timer);
		this.#ocrTimers.clear();
	}

	// ------------------------------------------------------------ internals

	#record(uid) {
		const record = this.#byUid.get(parseUuid(uid));
		if (!record) throw new NotFoundError(INVOICE_NOT_FOUND);
		return record;
	}

	#item(record, itemUid) {
		const wanted = parseUuid(itemUid);
		const item = record.items.find((candidate) => candidate.uid === wanted);
		if (!item) throw new NotFoundError(ITEM_NOT_FOUND);
		return item;
	}

	#markUpdated(record) {
		record.history.push({
			action: 'updated',
			at: this.#nextActionUs(),
			workspace_user_uid: this.apiUser.uid,
		});
		this.#recordTransition('updated', record);
	}

	/** `historyAt`: the µs time of the history entry the transition added, when it added one. */
	#recordTransition(type, record, historyAt) {
		this.transitions.push({
			seq: this.transitions.length + 1,
			type,
			uid: record.uid,
			at: this.#nowIso(),
			...(historyAt === undefined ? {} : { historyAt }),
			approvementStatus: record.approvement_status,
			processingStatus: record.processing_status,
		});
	}

	#nowUs() {
		return this.now().getTime() * 1000;
	}

	#nowIso() {
		return formatMicros(this.#nowUs(), this.offsetMinutes);
	}

	/**
	 * The time of a history entry: now() in microseconds, strictly increasing
	 * across entries (a database timestamp with microseconds never repeats
	 * for one row's successive actions, even within a millisecond).
	 */
	#nextActionUs() {
		let us = this.#nowUs();
		if (us <= this.#lastActionUs) us = this.#lastActionUs + 1;
		this.#lastActionUs = us;
		return us;
	}

	/** now() with made-up microseconds, strictly increasing across uploads. */
	#nextCreatedUs() {
		let us = this.now().getTime() * 1000 + Math.floor(this.#rng() * 1000);
		if (us <= this.#lastCreatedUs) us = this.#lastCreatedUs + 1;
		this.#lastCreatedUs = us;
		return us;
	}

	/** First index whose invoice sorts at or after `record`. */
	#lowerBound(record) {
		let low = 0;
		let high = this.#invoices.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (compareInvoices(this.#invoices[mid], record) < 0) low = mid + 1;
			else high = mid;
		}
		return low;
	}

	#insertSorted(record) {
		this.#invoices.splice(this.#lowerBound(record), 0, record);
	}

	#indexOf(record) {
		const index = this.#lowerBound(record);
		if (this.#invoices[index] !== record)
			throw new Error(`Store index out of order for ${record.uid}`);
		return index;
	}
}

module.exports = { Store, compareInvoices, INVOICE_NOT_FOUND, ITEM_NOT_FOUND };
