'use strict';

/**
 * Deterministic seeding. From one numeric `seed` this builds the reference
 * data (companies, workspace users, cards, categories) and the seeded
 * invoices, which are history: they produce no entries in `sim.transitions`.
 * It also invents what "OCR" reads from a newly uploaded file
 * (`inventContent`), deterministically from the seed and the invoice uid.
 */

const { mulberry32, hashString, randomInt, pick, weighted, randomUuid } = require('./random');
const { LOCALES, COMPANIES, WORKSPACE_USERS, CARDS, CATEGORIES } = require('./catalog');
const { formatMicros, localDate } = require('./time');
const { fromCents } = require('./validation');

const DAY_US = 86_400_000_000;
const HOUR_US = 3_600_000_000;

/**
 * @typedef {Object} Company  docs/API.md, Listing
 * @property {string} uid
 * @property {string} name
 * @property {string} address
 * @property {string|null} tax_number
 * @property {string|null} tax_office
 * @property {string|null} phone
 *
 * @typedef {Object} WorkspaceUser
 * @property {string} uid
 * @property {{ uid: string, email: string, first_name: string, last_name: string, full_name: string }} user
 * @property {string} role_type
 *
 * @typedef {{ uid: string, name: string, last_four: string }} Card
 * @typedef {{ uid: string, name: string }} Category
 *
 * @typedef {Object} ReferenceData
 * @property {Company[]} companies
 * @property {WorkspaceUser[]} workspaceUsers
 * @property {Card[]} cards
 * @property {Category[]} categories
 * @property {Map<string, typeof LOCALES.TR>} companyLocales  company uid → locale
 * @property {Map<string, typeof CATEGORIES[0]['lines']>} categoryLines  category uid → typical lines
 */

/**
 * hf_ids: 3 upper-case letters while they last, then 4; never reused.
 * @param {() => number} rng
 */
function createHfIdAllocator(rng) {
	const used = new Set();
	let threeLetterCount = 0;
	const make = (length) => {
		const codes = [];
		for (let i = 0; i < length; i++) codes.push(65 + Math.floor(rng() * 26));
		return String.fromCharCode(...codes);
	};
	return {
		next() {
			// Three letters while fewer than 90% of them are taken, then four.
			const preferThree = threeLetterCount < 26 ** 3 * 0.9;
			for (let attempt = 0; ; attempt++) {
				const id = make(preferThree && attempt < 3 ? 3 : 4);
				if (!used.has(id)) {
					used.add(id);
					if (id.length === 3) threeLetterCount++;
					return id;
				}
			}
		},
	};
}

/**
 * Companies, workspace users, cards and categories for a seed.
 * @param {number} seed
 * @returns {ReferenceData}
 */
function seedReferenceData(seed) {
	const rng = mulberry32(hashString(`reference:${seed}`));
	const companyLocales = new Map();
	const categoryLines = new Map();
	const companies = COMPANIES.map(({ locale, ...fields }) => {
		const company = { uid: randomUuid(rng), ...fields };
		companyLocales.set(company.uid, LOCALES[locale]);
		return company;
	});
	const workspaceUsers = WORKSPACE_USERS.map(({ role_type, ...user }) => ({
		uid: randomUuid(rng),
		user: { uid: randomUuid(rng), ...user, full_name: `${user.first_name} ${user.last_name}` },
		role_type,
	}));
	const cards = CARDS.map((card) => ({ uid: randomUuid(rng), ...card }));
	const categories = CATEGORIES.map(({ name, lines }) => {
		const category = { uid: randomUuid(rng), name };
		categoryLines.set(category.uid, lines);
		return category;
	});
	return { companies, workspaceUsers, cards, categories, companyLocales, categoryLines };
}

/** An invoice number in the style of the company's country. */
function inventInvoiceNumber(rng, style, year) {
	const n = randomInt(rng, 1, 999_999);
	switch (style) {
		case 'gib':
			return `${pick(rng, ['GIB', 'EFT', 'ABC'])}${year}${String(n).padStart(9, '0')}`;
		case 're':
			return `RE-${year}-${String(n % 10_000).padStart(4, '0')}`;
		case 'f':
			return `F${year}-${String(n % 100_000).padStart(5, '0')}`;
		case 'inv':
			return `INV-${String(n).padStart(6, '0')}`;
		default:
			return pick(rng, [String(10_000 + (n % 90_000)), `A-${n % 1000}`]);
	}
}

/**
 * VAT included in a gross amount: gross × rate / (100 + rate), in cents,
 * rounded half up.
 * @param {number} grossCents
 * @param {string|null} vatRate e.g. "18.00"
 */
function vatOfGross(grossCents, vatRate) {
	if (vatRate === null || vatRate === undefined) return 0;
	const rate = Math.round(Number(vatRate) * 100);
	if (rate <= 0) return 0;
	return Math.round((grossCents * rate) / (10_000 + rate));
}

/**
 * What OCR "reads" from an invoice: company, category, currency, date,
 * number, payment, items and totals. Used for seeded invoices and when an
 * uploaded invoice finishes processing.
 * @param {() => number} rng
 * @param {ReferenceData} refs
 * @param {{ createdAtUs: number, offsetMinutes: number, itemCount?: number }} options
 */
function inventContent(rng, refs, { createdAtUs, offsetMinutes, itemCount }) {
	const company = pick(rng, refs.companies);
	const locale = refs.companyLocales.get(company.uid);
	const category = rng() < 0.8 ? pick(rng, refs.categories) : null;
	const lines = category ? refs.categoryLines.get(category.uid) : pick(rng, CATEGORIES).lines;
	const paymentType = weighted(rng, [
		['credit_card', 45],
		['bank_transfer', 30],
		['cash', 15],
		['other', 10],
	]);
	const invoiceDate = localDate(createdAtUs - randomInt(rng, 0, 14) * DAY_US, offsetMinutes);
	const count =
		itemCount ??
		weighted(rng, [
			[0, 15],
			[1, 30],
			[2, 25],
			[3, 18],
			[4, 12],
		]);
	const items = [];
	for (let i = 0; i < count; i++) {
		const line = pick(rng, lines);
		const quantityThousandths = line.fractional
			? randomInt(rng, 500, 40_000)
			: randomInt(rng, 1, 5) * 1000;
		const unitCents = randomInt(
			rng,
			Math.round(line.price[0] * 100),
			Math.round(line.price[1] * 100),
		);
		items.push({
			uid: randomUuid(rng),
			name: line.name,
			description: line.description,
			quantity: (quantityThousandths / 1000).toFixed(3),
			unit: line.unit,
			total_price: fromCents(Math.round((unitCents * quantityThousandths) / 1000)),
			vat_rate: pick(rng, locale.vatRates),
		});
	}
	let totalCents;
	let vatCents;
	if (items.length > 0) {
		totalCents = items.reduce((sum, item) => sum + Math.round(Number(item.total_price) * 100), 0);
		vatCents = items.reduce(
			(sum, item) => sum + vatOfGross(Math.round(Number(item.total_price) * 100), item.vat_rate),
			0,
		);
	} else {
		totalCents = randomInt(rng, 500, 500_000);
		vatCents = vatOfGross(totalCents, locale.vatRates[0]);
	}
	return {
		company_uid: company.uid,
		category_uid: category ? category.uid : null,
		currency: locale.currency,
		country: locale.country,
		language: locale.language,
		invoice_date: invoiceDate,
		invoice_number: inventInvoiceNumber(rng, locale.numberStyle, invoiceDate.slice(0, 4)),
		payment_type: paymentType,
		card_uid: paymentType === 'credit_card' ? pick(rng, refs.cards).uid : null,
		total_price: fromCents(totalCents),
		total_vat: fromCents(vatCents),
		items,
	};
}

/** The invoice fields that stay null until processing has finished. */
function emptyContent() {
	return {
		company_uid: null,
		category_uid: null,
		currency: null,
		country: null,
		language: null,
		invoice_date: null,
		invoice_number: null,
		payment_type: null,
		card_uid: null,
		total_price: null,
		total_vat: null,
		items: [],
	};
}

/**
 * Seeded invoices, sorted newest first (created_at desc, uid desc). They are
 * spread over the two years before `anchorUs` (the start of "today"), about
 * one in twelve shares its created_at with another (a batch upload), a
 * couple failed processing, the rest are finished.
 * @param {{ seed: number, count: number, refs: ReferenceData, anchorUs: number, offsetMinutes: number, hfIds: ReturnType<typeof createHfIdAllocator> }} options
 * @returns {import('./store').InvoiceRecord[]}
 */
function seedInvoices({ seed, count, refs, anchorUs, offsetMinutes, hfIds }) {
	const rng = mulberry32(hashString(`invoices:${seed}`));
	const failedRng = mulberry32(hashString(`failed:${seed}`));
	const failedCount = count >= 10 ? Math.max(2, Math.round(count * 0.02)) : count >= 3 ? 1 : 0;
	const failed = new Set();
	while (failed.size < failedCount) failed.add(Math.floor(failedRng() * count));

	const oldestUs = anchorUs - 730 * DAY_US;
	const spanSeconds = (730 - 4) * 86_400;
	const admins = refs.workspaceUsers.filter((u) => u.role_type !== 'member');
	const records = [];
	let previousUs = 0;
	for (let i = 0; i < count; i++) {
		const sharesTime = i > 0 && rng() < 0.08;
		const createdAtUs = sharesTime
			? previousUs
			: oldestUs + Math.floor(rng() * spanSeconds) * 1_000_000 + Math.floor(rng() * 1_000_000);
		previousUs = createdAtUs;
		const uid = randomUuid(rng);
		const hfId = hfIds.next();
		const uploader = weighted(rng, [
			[refs.workspaceUsers[0], 50],
			[refs.workspaceUsers[1], 30],
			[refs.workspaceUsers[2], 20],
		]);
		const isFailed = failed.has(i);
		const content = isFailed
			? emptyContent()
			: inventContent(rng, refs, { createdAtUs, offsetMinutes });
		const history = [{ action: 'created', at: createdAtUs, workspace_user_uid: uploader.uid }];
		let approvementStatus = 'waiting';
		if (!isFailed) {
			history.push({
				action: 'processing_finished',
				at: createdAtUs + randomInt(rng, 15, 120) * 1_000_000,
				workspace_user_uid: null,
			});
			approvementStatus = weighted(rng, [
				['waiting', 40],
				['approved', 40],
				['rejected', 20],
			]);
			let at = history[1].at;
			const reviewer = pick(rng, admins);
			if (approvementStatus === 'approved' && rng() < 0.2) {
				at += randomInt(rng, 1, 24) * HOUR_US;
				history.push({ action: 'rejected', at, workspace_user_uid: reviewer.uid });
			}
			if (approvementStatus !== 'waiting') {
				at += randomInt(rng, 1, 48) * HOUR_US;
				history.push({ action: approvementStatus, at, workspace_user_uid: reviewer.uid });
			}
		}
		const { items, ...fields } = content;
		records.push({
			uid,
			hf_id: hfId,
			createdAtUs,
			created_at: formatMicros(createdAtUs, offsetMinutes),
			processing_status: isFailed ? 'failed' : 'finished',
			approvement_status: approvementStatus,
			...fields,
			workspace_user_uid: uploader.uid,
			items,
			history,
			file: {
				name: isFailed
					? `scan-${hfId.toLowerCase()}.pdf`
					: [fields.invoice_number, '.pdf'].join(''),
				mime_type: 'application/pdf',
				ext: 'pdf',
				data: null,
			},
		});
	}
	return records;
}

module.exports = {
	createHfIdAllocator,
	seedReferenceData,
	inventContent,
	emptyContent,
	seedInvoices,
	vatOfGross,
};
