'use strict';

/**
 * How invoice records look on the wire (docs/API.md, Endpoints and "Detail Response Fields"; docs/API.md, Invoice items).
 */

const { toCents, fromCents } = require('./validation');
const { vatOfGross } = require('./seed');
const { formatMicros } = require('./time');

/**
 * @typedef {Object} Permissions  docs/API.md, State and permissions
 * @property {boolean} can_update
 * @property {boolean} can_delete
 * @property {boolean} can_approve
 * @property {boolean} can_reject
 * @property {boolean} can_remove_approval
 */

/**
 * Permissions follow from the approval status alone (docs/API.md, State and
 * permissions).
 * @param {string} approvementStatus
 * @returns {Permissions}
 */
function permissionsFor(approvementStatus) {
	return {
		can_update: approvementStatus !== 'approved',
		can_delete: approvementStatus !== 'approved',
		can_approve: approvementStatus === 'waiting' || approvementStatus === 'rejected',
		can_reject: approvementStatus === 'waiting',
		can_remove_approval: approvementStatus === 'approved',
	};
}

/** "1234567.50" → "1,234,567.50" (`total_price_display`). */
function displayAmount(fixed) {
	if (fixed === null) return null;
	const [whole, fraction] = fixed.split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * `vat_categories`: the items' VAT grouped by rate, lowest rate first.
 * @param {import('./store').ItemRecord[]} items
 */
function vatCategories(items) {
	/** @type {Map<string, number>} */
	const byRate = new Map();
	for (const item of items) {
		if (item.vat_rate === null) continue;
		const vat = vatOfGross(toCents(item.total_price), item.vat_rate);
		byRate.set(item.vat_rate, (byRate.get(item.vat_rate) || 0) + vat);
	}
	return [...byRate.entries()]
		.sort((a, b) => Number(a[0]) - Number(b[0]))
		.map(([rate, cents]) => ({ vat_rate: rate, total_vat: fromCents(cents) }));
}

/** @param {import('./store').ItemRecord} item */
function serializeItem(item) {
	return {
		uid: item.uid,
		name: item.name,
		description: item.description,
		quantity: item.quantity,
		unit: item.unit,
		total_price: item.total_price,
		vat_rate: item.vat_rate,
	};
}

/**
 * @param {{ refs: import('./seed').ReferenceData, fileUrl: (record: import('./store').InvoiceRecord) => string, offsetMinutes: number }} context
 */
function createSerializers({ refs, fileUrl, offsetMinutes }) {
	const byUid = (list) => new Map(list.map((entry) => [entry.uid, entry]));
	const companies = byUid(refs.companies);
	const cards = byUid(refs.cards);
	const categories = byUid(refs.categories);
	const users = byUid(refs.workspaceUsers);
	// Answers get copies, so a caller changing an answer cannot change the store.
	const copy = (value) => (value ? { ...value } : null);
	const copyUser = (value) => (value ? { ...value, user: { ...value.user } } : null);

	/** List fields only (docs/API.md, Listing). */
	function list(record) {
		return {
			hf_id: record.hf_id,
			uid: record.uid,
			total_price: record.total_price,
			total_price_display: displayAmount(record.total_price),
			currency: record.currency,
			invoice_date: record.invoice_date,
			company: copy(companies.get(record.company_uid)),
			category: copy(categories.get(record.category_uid)),
			processing_status: record.processing_status,
			approvement_status: record.approvement_status,
			permissions: permissionsFor(record.approvement_status),
			created_at: record.created_at,
			workspace_user: copyUser(users.get(record.workspace_user_uid)),
		};
	}

	/** List fields plus the detail fields (`GET /v1/invoices/{uid}`). */
	function detail(record) {
		return {
			...list(record),
			file: fileUrl(record),
			items: record.items.map(serializeItem),
			total_vat: record.total_vat,
			invoice_number: record.invoice_number,
			language: record.language,
			country: record.country,
			card: copy(cards.get(record.card_uid)),
			payment_type: record.payment_type,
			history: record.history.map((entry) => ({
				action: entry.action,
				created_at: formatMicros(entry.at, offsetMinutes),
				workspace_user: copyUser(users.get(entry.workspace_user_uid)),
			})),
			vat_categories: vatCategories(record.items),
		};
	}

	/** The 201 answer of an upload: the list fields and the file URL (docs/API.md, Create). */
	function created(record) {
		return { ...list(record), file: fileUrl(record) };
	}

	/** The answer of approve / reject / remove-approval. */
	function action(record) {
		return {
			uid: record.uid,
			approvement_status: record.approvement_status,
			permissions: permissionsFor(record.approvement_status),
		};
	}

	return { list, detail, created, action, item: serializeItem };
}

module.exports = { permissionsFor, displayAmount, vatCategories, serializeItem, createSerializers };
