/**
 * The rejected invoices the trigger watches, and how a poll checks them
 * without reading them all.
 *
 * A rejected invoice can still be approved or deleted, so it stays watched
 * for as long as it exists, and an account's rejected history only grows.
 * Reading all of them on every poll would make an idle poll cost ⌈R/100⌉
 * requests. Instead the trigger keeps them by creation date (the date
 * BillOver's `from_date` / `to_date` filters compare), and a poll
 *
 *   1. reads the first page of the rejected list: its `count` must equal
 *      what the state holds once this poll's own findings are applied (an
 *      invoice rejected since, one approved or deleted). When it does not,
 *      `bisect` halves the dates, one `count` per half, down to the dates
 *      that differ, and reads only those;
 *   2. reads one window of dates (about `WINDOW_SIZE` invoices) and compares
 *      it member by member (`rotation`): a lap over every date finds what a
 *      count cannot tell, one invoice approved while another was rejected
 *      unseen (approved, un-approved and rejected between two polls).
 *
 * With one page of rejected invoices or fewer, step 1 reads them all and
 * compares them directly, and there is no rotation.
 */
import { MAX_PAGE_SIZE } from '../../shared/model';
import type { Invoice, Query, RejectedSet } from './types';

/** A range of creation dates (`YYYY-MM-DD`), both ends included; an end left out is open. */
export interface DateRange {
	from?: string;
	to?: string;
}

/** How many rejected invoices one poll's window holds, at most (unless one date has more). */
export const WINDOW_SIZE = 3 * MAX_PAGE_SIZE;

/** The date BillOver's date filters compare: `created_at`'s date, in the offset the API shows it in. */
export const dateOf = (invoice: Invoice): string => String(invoice.created_at).slice(0, 10);

function addDays(date: string, days: number): string {
	const day = new Date(`${date}T00:00:00Z`);
	day.setUTCDate(day.getUTCDate() + days);
	return day.toISOString().slice(0, 10);
}

export const nextDay = (date: string): string => addDays(date, 1);
export const previousDay = (date: string): string => addDays(date, -1);

const inRange = (date: string, { from, to }: DateRange) => (from === undefined || date >= from) && (to === undefined || date <= to);

/** The query of `base` limited to the invoices created within `range`. */
export function rangeQuery(base: Query, { from, to }: DateRange): Query {
	return { ...base, ...(from !== undefined && { from_date: from }), ...(to !== undefined && { to_date: to }) };
}

/** The rejected set while a poll works on it: uid → creation date. */
export class RejectedMembers {
	private readonly dates = new Map<string, string>();

	constructor(stored: RejectedSet = {}) {
		for (const [date, uids] of Object.entries(stored)) for (const uid of uids) this.dates.set(uid, date);
	}

	get size(): number {
		return this.dates.size;
	}

	has(uid: string): boolean {
		return this.dates.has(uid);
	}

	add(uid: string, date: string): void {
		this.dates.set(uid, date);
	}

	delete(uid: string): void {
		this.dates.delete(uid);
	}

	/** The members created within `range`. */
	within(range: DateRange): string[] {
		return [...this.dates].filter(([, date]) => inRange(date, range)).map(([uid]) => uid);
	}

	/** The dates of the members created within `range`, oldest first, with how many each has. */
	datesWithin(range: DateRange = {}): Array<[string, number]> {
		const counts = new Map<string, number>();
		for (const date of this.dates.values()) if (inRange(date, range)) counts.set(date, (counts.get(date) ?? 0) + 1);
		return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
	}

	/**
	 * The window of dates the rotation reads after `after`: from the next day
	 * on, as many dates as fit in `WINDOW_SIZE` members (at least one); the
	 * last window of a lap is open-ended.
	 */
	windowAfter(after: string | undefined): { range: DateRange; endsLap: boolean } {
		const from = after === undefined ? undefined : nextDay(after);
		const dates = this.datesWithin({ from });
		let held = 0;
		let taken = 0;
		while (taken < dates.length && (taken === 0 || held + dates[taken][1] <= WINDOW_SIZE)) held += dates[taken++][1];
		if (taken >= dates.length) return { range: { from }, endsLap: true };
		return { range: { from, to: dates[taken - 1][0] }, endsLap: false };
	}

	toSet(): RejectedSet {
		const set: RejectedSet = {};
		for (const [uid, date] of this.dates) (set[date] ??= []).push(uid);
		const sorted: RejectedSet = {};
		for (const date of Object.keys(set).sort()) sorted[date] = set[date].sort();
		return sorted;
	}
}
