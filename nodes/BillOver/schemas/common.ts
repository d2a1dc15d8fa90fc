/**
 * Value rules shared by the request-body schemas (docs/API.md, Transport and
 * Values). Numbers may arrive as numbers or strings (expressions); they leave
 * as the API's fixed-place decimal strings.
 */
import { z } from 'zod';

import { ISO_4217_CODES } from './currencies';

/** A UUID, as regular-expression source (for the editor's validation rules, which take text). */
export const UUID_REGEX = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const UUID_PATTERN = new RegExp(`^${UUID_REGEX}$`);

export const APPROVEMENT_STATUSES = ['waiting', 'approved', 'rejected'] as const;
export const PAYMENT_TYPES = ['credit_card', 'cash', 'bank_transfer', 'other'] as const;
export const UNITS = ['k', 'p', 'm', 'l'] as const;

export const uuid = z
	.string({ invalid_type_error: 'must be text (a UUID)' })
	.trim()
	.regex(UUID_PATTERN, 'must be a UUID such as 67df8b92-ed61-4796-b5c2-9505bf9d4b6a')
	.transform((value) => value.toLowerCase());

/**
 * A decimal with at most `places` decimal places and `digits` digits in all
 * (decimal(digits, places)), sent as a string with exactly `places` places.
 */
export function decimal(digits: number, places: number, { min, max }: { min?: number; max?: number } = {}) {
	return z
		.union([z.number(), z.string()], { invalid_type_error: 'must be a number' })
		.transform((value, ctx) => {
			const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
			const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
			if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a number, got "${String(value)}"` });
				return z.NEVER;
			}
			const [, sign, whole, fraction = ''] = match;
			const trimmedFraction = fraction.replace(/0+$/, '');
			if (trimmedFraction.length > places) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must have at most ${places} decimal places, got "${text}"` });
				return z.NEVER;
			}
			const wholeDigits = whole.replace(/^0+(?=\d)/, '') || '0';
			if (wholeDigits.length > digits - places) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must have at most ${digits - places} digits before the decimal point` });
				return z.NEVER;
			}
			const numeric = Number(`${sign}${wholeDigits}.${trimmedFraction || '0'}`);
			if ((min !== undefined && numeric < min) || (max !== undefined && numeric > max)) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be between ${min ?? '-∞'} and ${max ?? '∞'}, got ${text}` });
				return z.NEVER;
			}
			const isZero = /^0*$/.test(wholeDigits + trimmedFraction);
			return `${sign && !isZero ? '-' : ''}${wholeDigits}.${trimmedFraction.padEnd(places, '0')}`;
		});
}

/** Avoids exponent notation (1e-7) when a number becomes text. */
function numberToPlainString(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	const text = String(value);
	if (!/e/i.test(text)) return text;
	return value.toFixed(20).replace(/\.?0+$/, '');
}

/** A Luxon DateTime (what `{{ $now }}` and date expressions give) as its ISO text, in its own zone. */
function fromDateTimeObject(value: unknown): unknown {
	if (value && typeof value === 'object' && !(value instanceof Date)) {
		const toISO = (value as { toISO?: unknown }).toISO;
		if (typeof toISO === 'function') return (toISO as () => unknown).call(value) ?? value;
	}
	return value;
}

/** A calendar date `YYYY-MM-DD` that exists. Accepts n8n date-time values and cuts the time off. */
export const isoDate = z.preprocess(
	fromDateTimeObject,
	z.union([z.string(), z.date()], { invalid_type_error: 'must be a date (YYYY-MM-DD)' }).transform((value, ctx) => {
		const text = value instanceof Date ? value.toISOString() : value.trim();
		const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
		const valid =
			match &&
			(() => {
				const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
				return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
			})();
		if (!match || !valid) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a date as YYYY-MM-DD, got "${text}"` });
			return z.NEVER;
		}
		return `${match[1]}-${match[2]}-${match[3]}`;
	}),
);

/** An ISO 4217 code (upper-cased: "eur" is sent as "EUR"). */
export const currency = z
	.string({ invalid_type_error: 'must be a three-letter ISO 4217 code' })
	.trim()
	.transform((value) => value.toUpperCase())
	.refine((value) => ISO_4217_CODES.has(value), (value) => ({
		message: `must be an ISO 4217 currency code such as EUR, USD or TRY, got "${value}"`,
	}));
