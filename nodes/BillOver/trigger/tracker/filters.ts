import type { Query, Invoice, WatchFilters } from './types';

/** The filters as list query keys (empty lists left out). */
export function filterQuery(filters: WatchFilters): Query {
	const query: Query = {};
	for (const [key, values] of Object.entries(filters) as Array<[keyof WatchFilters, string[] | undefined]>) {
		if (values && values.length) query[key] = values;
	}
	return query;
}

export function hasFilters(filters: WatchFilters): boolean {
	return Object.keys(filterQuery(filters)).length > 0;
}

/** Payment type and card are detail fields: list objects cannot be matched against them. */
export function needsDetailToMatch(filters: WatchFilters): boolean {
	return Boolean(filters.payment_type?.length || filters.card__uid?.length);
}

/**
 * Whether an invoice passes the filters, as the API's list filters would
 * decide. With `unknownPasses`, a field that is still null (OCR failed, so it
 * will never be filled) does not exclude the invoice.
 */
export function matchesFilters(invoice: Invoice, filters: WatchFilters, unknownPasses = false): boolean {
	const check = (allowed: string[] | undefined, value: string | null | undefined) =>
		!allowed?.length || (value === null || value === undefined ? unknownPasses : allowed.includes(value.toLowerCase()) || allowed.includes(value));
	return (
		check(filters.company__uid, invoice.company?.uid ?? null) &&
		check(filters.payment_type, invoice.payment_type ?? null) &&
		check(filters.card__uid, invoice.card?.uid ?? null)
	);
}
