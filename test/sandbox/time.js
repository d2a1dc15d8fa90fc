'use strict';

/**
 * Datetimes. The API shows `created_at` as ISO 8601 with an offset and
 * microsecond precision (docs/API.md, Transport), e.g.
 * `2024-11-30T21:02:29.706626+03:00`. JavaScript dates only hold
 * milliseconds, so the simulator keeps instants as integer microseconds
 * since the epoch ("us") and renders them in one fixed offset, like a Django
 * project with USE_TZ and a single TIME_ZONE.
 */

/**
 * Parse "+03:00" / "-05:30" / "Z" to minutes east of UTC.
 * @param {string} offset
 */
function offsetToMinutes(offset) {
	if (offset === 'Z' || offset === '+00:00' || offset === '-00:00') return 0;
	const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
	if (!match) throw new Error(`Invalid UTC offset "${offset}"`);
	const minutes = Number(match[2]) * 60 + Number(match[3]);
	return match[1] === '-' ? -minutes : minutes;
}

function pad(value, width) {
	return String(value).padStart(width, '0');
}

/**
 * Render microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM`.
 * @param {number} us
 * @param {number} offsetMinutes
 */
function formatMicros(us, offsetMinutes) {
	const localUs = us + offsetMinutes * 60_000_000;
	const wholeMs = Math.floor(localUs / 1000);
	const date = new Date(wholeMs);
	const micros = ((localUs % 1_000_000) + 1_000_000) % 1_000_000;
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	// join() gives a flat string (100,000 seeded invoices keep one each).
	return [
		pad(date.getUTCFullYear(), 4),
		'-',
		pad(date.getUTCMonth() + 1, 2),
		'-',
		pad(date.getUTCDate(), 2),
		'T',
		pad(date.getUTCHours(), 2),
		':',
		pad(date.getUTCMinutes(), 2),
		':',
		pad(date.getUTCSeconds(), 2),
		'.',
		pad(micros, 6),
		sign,
		pad(Math.floor(abs / 60), 2),
		':',
		pad(abs % 60, 2),
	].join('');
}

/**
 * Microseconds since the epoch from a Date or an ISO 8601 string. Keeps up to
 * six fractional digits of a string (a Date only has milliseconds).
 * @param {Date|string} value
 */
function toMicros(value) {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new TypeError('Invalid Date');
		return value.getTime() * 1000;
	}
	const match =
		/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
			String(value),
		);
	if (!match) throw new TypeError(`Invalid datetime "${value}"`);
	const zone = match[3]
		? match[3] === 'Z'
			? 'Z'
			: match[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
		: 'Z';
	const ms = Date.parse(`${match[1]}${zone}`);
	if (Number.isNaN(ms)) throw new TypeError(`Invalid datetime "${value}"`);
	const fraction = (match[2] || '').slice(0, 6).padEnd(6, '0');
	return ms * 1000 + Number(fraction);
}

/**
 * Microseconds at the start of the local day (in the given offset) containing `us`.
 * @param {number} us
 * @param {number} offsetMinutes
 */
function startOfLocalDay(us, offsetMinutes) {
	const dayUs = 86_400_000_000;
	const localUs = us + offsetMinutes * 60_000_000;
	return localUs - (((localUs % dayUs) + dayUs) % dayUs) - offsetMinutes * 60_000_000;
}

/** `YYYY-MM-DD` of an instant in the given offset. */
function localDate(us, offsetMinutes) {
	return formatMicros(us, offsetMinutes).slice(0, 10);
}

module.exports = { offsetToMinutes, formatMicros, toMicros, startOfLocalDay, localDate };
