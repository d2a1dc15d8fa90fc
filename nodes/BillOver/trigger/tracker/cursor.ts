import type { Cursor, Invoice } from './types';
import { toMicros } from './time';

/** True when the invoice was created after the cursor (not yet looked at). */
export function isAfter(invoice: Invoice, cursor: Cursor): boolean {
	const at = toMicros(invoice.created_at);
	return at > cursor.at || (at === cursor.at && !cursor.uids.includes(invoice.uid));
}

/** True when the invoice is older than everything the cursor still has to cover. */
export function isBefore(invoice: Invoice, cursor: Cursor): boolean {
	return toMicros(invoice.created_at) < cursor.at;
}

/** The cursor after looking at `invoices` as well. */
export function advance(cursor: Cursor, invoices: Iterable<Invoice>): Cursor {
	let { at } = cursor;
	let uids = new Set(cursor.uids);
	for (const invoice of invoices) {
		const created = toMicros(invoice.created_at);
		if (created > at) {
			at = created;
			uids = new Set([invoice.uid]);
		} else if (created === at) {
			uids.add(invoice.uid);
		}
	}
	return { at, uids: [...uids].sort() };
}

/** A cursor at the newest of `invoices` (or at 0 when there are none: everything will be new). */
export function cursorAt(invoices: Iterable<Invoice>): Cursor {
	return advance({ at: 0, uids: [] }, invoices);
}
