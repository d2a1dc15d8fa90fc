'use strict';

/**
 * Field validation, modelled on Django REST Framework's serializer fields and
 * django-filter's filter forms, with their exact English messages.
 * The vendor documents give the field types (decimal(10,2), dates, choices);
 * the messages are DRF's (docs/API.md, Assumptions).
 */

const { ValidationError } = require('./errors');

/** docs/API.md, Values. */
const APPROVEMENT_STATUSES = ['waiting', 'approved', 'rejected'];
const PROCESSING_STATUSES = ['processing', 'finished', 'failed'];
const PAYMENT_TYPES = ['credit_card', 'cash', 'bank_transfer', 'other'];
/** docs/API.md, Values: kilogram, piece, meter, liter. */
const UNITS = ['k', 'p', 'm', 'l'];

/** ISO 4217 codes (active list, including funds and precious-metal codes). */
const CURRENCIES = new Set(
	(
		'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN ' +
		'BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ' +
		'ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK ' +
		'JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK ' +
		'MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN ' +
		'PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB ' +
		'TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG ' +
		'XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL'
	).split(' '),
);

/** Thrown by a single field's cleaner; collected into a ValidationError. */
class FieldError extends Error {}

/** Python's type names, as DRF puts them into messages. */
function pythonTypeName(value) {
	if (value === null) return 'NoneType';
	if (Array.isArray(value)) return 'list';
	if (typeof value === 'boolean') return 'bool';
	if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
	if (typeof value === 'string') return 'str';
	return 'dict';
}

/** Python's `str()` of a JSON value, as DRF applies it before parsing. */
function pythonStr(value) {
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

// ---------------------------------------------------------------- UUIDs

/**
 * Canonical (lower-case, dashed) form of a UUID string, or null. Accepts what
 * Python's `uuid.UUID()` accepts: dashes optional, braces, `urn:uuid:` prefix.
 * @param {unknown} value
 */
function parseUuid(value) {
	if (typeof value !== 'string') return null;
	const hex = value
		.trim()
		.replace(/^urn:/i, '')
		.replace(/^uuid:/i, '')
		.replace(/^\{|\}$/g, '')
		.replace(/-/g, '');
	if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
	const h = hex.toLowerCase();
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------- decimals

/**
 * Parse a decimal the way Python's `Decimal(str)` does, into sign, coefficient
 * digits (leading zeros stripped) and exponent. Null if it is not a number.
 * @param {string} text
 * @returns {{ negative: boolean, digits: string, exponent: number } | null}
 */
function parseDecimal(text) {
	const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
	if (!match || (match[2] === '' && (match[3] === undefined || match[3] === ''))) return null;
	const fraction = match[3] || '';
	const digits = (match[2] + fraction).replace(/^0+(?=\d)/, '');
	return { negative: match[1] === '-', digits, exponent: Number(match[4] || 0) - fraction.length };
}

/**
 * Fixed-place string of a parsed decimal that has at most `places` decimals.
 * @param {{ negative: boolean, digits: string, exponent: number }} parsed
 * @param {number} places
 */
function toFixedString(parsed, places) {
	let { digits } = parsed;
	const { exponent } = parsed;
	if (exponent >= 0) digits += '0'.repeat(exponent);
	const scale = exponent >= 0 ? 0 : -exponent;
	digits = digits.padStart(scale + 1, '0');
	const whole = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
	const fraction = digits.slice(digits.length - scale).padEnd(places, '0');
	return `${parsed.negative ? '-' : ''}${whole}${places ? `.${fraction}` : ''}`;
}

/**
 * A DRF `DecimalField(max_digits, decimal_places, min_value?, max_value?)`:
 * answers the fixed-place string ("599.00").
 * @param {{ maxDigits: number, decimalPlaces: number, min?: number, max?: number }} spec
 */
function decimalField({ maxDigits, decimalPlaces, min, max }) {
	return function cleanDecimal(value) {
		const text = pythonStr(value).trim();
		if (text.length > 1000) throw new FieldError('String value too large.');
		if (typeof value === 'boolean' || typeof value === 'object')
			throw new FieldError('A valid number is required.');
		const parsed = parseDecimal(text);
		if (!parsed) throw new FieldError('A valid number is required.');
		// DRF's validate_precision(), on Decimal.as_tuple().
		const count = parsed.digits.length;
		let totalDigits;
		let places;
		if (parsed.exponent >= 0) {
			totalDigits = count + parsed.exponent;
			places = 0;
		} else if (count > -parsed.exponent) {
			totalDigits = count;
			places = -parsed.exponent;
		} else {
			totalDigits = -parsed.exponent;
			places = totalDigits;
		}
		const wholeDigits = totalDigits - places;
		if (totalDigits > maxDigits) {
			throw new FieldError(`Ensure that there are no more than ${maxDigits} digits in total.`);
		}
		if (places > decimalPlaces) {
			throw new FieldError(`Ensure that there are no more than ${decimalPlaces} decimal places.`);
		}
		if (wholeDigits > maxDigits - decimalPlaces) {
			throw new FieldError(
				`Ensure that there are no more than ${maxDigits - decimalPlaces} digits before the decimal point.`,
			);
		}
		const fixed = toFixedString(parsed, decimalPlaces);
		if (min !== undefined && Number(fixed) < min) {
			throw new FieldError(`Ensure this value is greater than or equal to ${min}.`);
		}
		if (max !== undefined && Number(fixed) > max) {
			throw new FieldError(`Ensure this value is less than or equal to ${max}.`);
		}
		return fixed;
	};
}

/** Integer number of hundredths ("12.34" → 1234) for money arithmetic. */
function toCents(fixed) {
	if (fixed === null || fixed === undefined) return 0;
	const negative = fixed.startsWith('-');
	const [whole, fraction = ''] = fixed.replace(/^-/, '').split('.');
	const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
	return negative ? -cents : cents;
}

/** 1234 → "12.34". */
function fromCents(cents) {
	const negative = cents < 0;
	const abs = Math.abs(Math.round(cents));
	return `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- dates

/** True if `YYYY-M-D` numbers form a real calendar date. */
function isCalendarDate(year, month, day) {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/**
 * `YYYY-MM-DD` (Django's parse_date also takes one-digit month and day);
 * answers the normalised string or null.
 * @param {unknown} value
 */
function parseIsoDate(value) {
	if (typeof value !== 'string') return null;
	const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.trim());
	if (!match) return null;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (year < 1 || !isCalendarDate(year, month, day)) return null;
	return `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
}

/** A DRF `DateField` with the default ISO 8601 input format. */
function dateField() {
	return function cleanDate(value) {
		const parsed = parseIsoDate(value);
		if (!parsed)
			throw new FieldError('Date has wrong format. Use one of these formats instead: YYYY-MM-DD.');
		return parsed;
	};
}

// ---------------------------------------------------------------- strings and choices

/** A DRF `CharField(max_length?)` (blank allowed, whitespace trimmed). */
function charField({ maxLength } = {}) {
	return function cleanString(value) {
		if (typeof value === 'boolean' || (typeof value !== 'string' && typeof value !== 'number')) {
			throw new FieldError('Not a valid string.');
		}
		const text = String(value).trim();
		if (text.includes('\0')) throw new FieldError('Null characters are not allowed.');
		if (maxLength !== undefined && [...text].length > maxLength) {
			throw new FieldError(`Ensure this field has no more than ${maxLength} characters.`);
		}
		return text;
	};
}

/** A DRF `ChoiceField`: `"x" is not a valid choice.`. */
function choiceField(choices) {
	const allowed = choices instanceof Set ? choices : new Set(choices);
	return function cleanChoice(value) {
		const text = pythonStr(value);
		if (typeof value === 'object' || !allowed.has(text))
			throw new FieldError(`"${text}" is not a valid choice.`);
		return text;
	};
}

/**
 * A DRF `PrimaryKeyRelatedField` on a UUID primary key.
 * @param {(uid: string) => boolean} exists
 */
function relatedUidField(exists) {
	return function cleanRelated(value) {
		if (typeof value !== 'string') {
			throw new FieldError(`Incorrect type. Expected pk value, received ${pythonTypeName(value)}.`);
		}
		const uid = parseUuid(value);
		if (!uid) throw new FieldError(`“${value}” is not a valid UUID.`);
		if (!exists(uid)) throw new FieldError(`Invalid pk "${value}" - object does not exist.`);
		return uid;
	};
}

/**
 * Validate the fields of a JSON body that are present (every field is
 * optional, docs/API.md, Update; null clears a field). Unknown fields are
 * ignored, as DRF serializers do.
 * @param {unknown} body
 * @param {Record<string, (value: unknown) => unknown>} spec field name → cleaner
 * @returns {Record<string, unknown>}
 */
function cleanBody(body, spec) {
	if (body === null || body === undefined) {
		throw new ValidationError({ non_field_errors: ['No data provided'] });
	}
	if (typeof body !== 'object' || Array.isArray(body)) {
		throw new ValidationError({
			non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonTypeName(body)}.`],
		});
	}
	/** @type {Record<string, unknown>} */
	const cleaned = {};
	/** @type {Record<string, string[]>} */
	const errors = {};
	for (const [name, clean] of Object.entries(spec)) {
		if (!Object.prototype.hasOwnProperty.call(body, name)) continue;
		const value = body[name];
		try {
			cleaned[name] = value === null ? null : clean(value);
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			errors[name] = [error.message];
		}
	}
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
	return cleaned;
}

// ---------------------------------------------------------------- list filters

/**
 * @typedef {Object} InvoiceFilters  cleaned list / export filters
 * @property {Set<string>|null} companyUids       company__uid (OR within)
 * @property {Set<string>|null} workspaceUserUids workspace_user__uid
 * @property {Set<string>|null} cardUids          card__uid
 * @property {Set<string>|null} approvementStatuses approvement_status
 * @property {Set<string>|null} paymentTypes      payment_type
 * @property {string|null} fromDate  YYYY-MM-DD, inclusive
 * @property {string|null} toDate    YYYY-MM-DD, inclusive
 * @property {string|null} query     lower-cased search text
 */

/**
 * Clean the list filters (docs/API.md, Listing) the way a
 * django-filter FilterSet would. Input: every key → list of string values
 * (repeated query keys, or a JSON string/array in the export body). Empty
 * values are ignored; single-valued filters take the last value (QueryDict.get).
 * @param {Record<string, unknown>} params
 * @returns {InvoiceFilters}
 */
function cleanInvoiceFilters(params) {
	/** @type {Record<string, string[]>} */
	const errors = {};
	const values = (key) => {
		const raw = params[key];
		const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
		return list.filter((v) => v !== null && v !== undefined && v !== '').map((v) => pythonStr(v));
	};
	const uuidSet = (key) => {
		const list = values(key);
		if (list.length === 0) return null;
		const out = new Set();
		for (const value of list) {
			const uid = parseUuid(value);
			if (!uid) {
				errors[key] = [`“${value}” is not a valid UUID.`];
				return null;
			}
			out.add(uid);
		}
		return out;
	};
	const choiceSet = (key, choices) => {
		const list = values(key);
		if (list.length === 0) return null;
		for (const value of list) {
			if (!choices.includes(value)) {
				errors[key] = [`Select a valid choice. ${value} is not one of the available choices.`];
				return null;
			}
		}
		return new Set(list);
	};
	const single = (key) => {
		const list = values(key);
		return list.length ? list[list.length - 1] : null;
	};
	const date = (key) => {
		const value = single(key);
		if (value === null) return null;
		const parsed = parseIsoDate(value);
		if (!parsed) errors[key] = ['Enter a valid date.'];
		return parsed;
	};
	const query = single('query');
	const filters = {
		companyUids: uuidSet('company__uid'),
		workspaceUserUids: uuidSet('workspace_user__uid'),
		cardUids: uuidSet('card__uid'),
		approvementStatuses: choiceSet('approvement_status', APPROVEMENT_STATUSES),
		paymentTypes: choiceSet('payment_type', PAYMENT_TYPES),
		fromDate: date('from_date'),
		toDate: date('to_date'),
		query: query === null || query.trim() === '' ? null : query.trim().toLowerCase(),
	};
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
	return filters;
}

module.exports = {
	APPROVEMENT_STATUSES,
	PROCESSING_STATUSES,
	PAYMENT_TYPES,
	UNITS,
	CURRENCIES,
	FieldError,
	pythonTypeName,
	parseUuid,
	parseDecimal,
	decimalField,
	toCents,
	fromCents,
	parseIsoDate,
	dateField,
	charField,
	choiceField,
	relatedUidField,
	cleanBody,
	cleanInvoiceFilters,
};

// ---------------------------------------------------------------- uploads

/** docs/API.md, Create: PDF, PNG or JPEG. */
const UPLOAD_TYPES = {
	'application/pdf': 'pdf',
	'image/png': 'png',
	'image/jpeg': 'jpg',
};
const UPLOAD_EXTENSIONS = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
};

/**
 * The accepted type of an uploaded file: by the part's Content-Type, or by
 * the file extension when the type says nothing (`application/octet-stream`
 * or empty). Null if it is not a PDF, PNG or JPEG.
 * @param {string} fileName
 * @param {string} mimeType
 * @returns {{ mimeType: string, ext: string } | null}
 */
function uploadFileType(fileName, mimeType) {
	const type = String(mimeType || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (type === 'image/jpg' || type === 'image/pjpeg') return { mimeType: 'image/jpeg', ext: 'jpg' };
	if (UPLOAD_TYPES[type]) return { mimeType: type, ext: UPLOAD_TYPES[type] };
	if (type === '' || type === 'application/octet-stream') {
		const ext = /\.([a-z0-9]+)$/i.exec(fileName || '');
		const byExt = ext && UPLOAD_EXTENSIONS[ext[1].toLowerCase()];
		if (byExt) return { mimeType: byExt, ext: UPLOAD_TYPES[byExt] };
	}
	return null;
}

module.exports.uploadFileType = uploadFileType;
