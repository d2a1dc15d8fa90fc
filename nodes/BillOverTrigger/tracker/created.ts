/**
 * "Invoice Created": every new invoice, exactly once, either as soon as it
 * appears or (default) once OCR has finished.
 *
 *   1. the whole list (no filters: OCR fills the fields filters look at)
 *      newest first down to the cursor: the invoices created since the last
 *      poll;
 *   2. with "once processed": new invoices still `processing` are remembered
 *      (pending) and emitted when a later poll sees them `finished`, or
 *      `failed` (emitted with that status, never dropped). Pending invoices
 *      are usually on the first page, which is read anyway; older ones are
 *      looked up by reading on (while a page can settle two or more of them)
 *      or one by one;
 *   3. the filters are applied to what is about to be emitted (payment type
 *      and card are detail fields, so with those filters the detail is read).
 *
 * State: the cursor and the pending invoices. An idle poll is 1 request.
 */
import { advance, cursorAt } from './cursor';
import { matchesFilters, needsDetailToMatch } from './filters';
import { toMicros } from './time';
import type { Cursor, ListPage, Need, TrackedInvoice, Tracker, TrackerEvent, WatchFilters } from './types';
import { byCreation } from './approved';
import { PAGE_SIZE, firstPage, walkNew } from './walk';

export type EmitWhen = 'created' | 'processed';

export interface CreatedState {
	cursor: Cursor;
	/** New invoices still being processed: [uid, created_at in µs]. */
	pending: Array<[string, number]>;
}

export interface CreatedOptions {
	emitWhen: EmitWhen;
	filters: WatchFilters;
}

export function* trackCreations(previous: CreatedState | undefined, options: CreatedOptions): Tracker<CreatedState> {
	if (!previous) {
		const newest = yield* firstPage({});
		return { state: { cursor: cursorAt(newest), pending: [] }, events: [] };
	}

	const walk = yield* walkNew({}, previous.cursor);
	const candidates: TrackedInvoice[] = [];
	const pending = new Map<string, number>();

	for (const invoice of walk.fresh) {
		if (options.emitWhen === 'processed' && invoice.processing_status === 'processing') {
			pending.set(invoice.uid, toMicros(invoice.created_at));
		} else {
			candidates.push(invoice);
		}
	}

	// Where are the invoices that were still processing at the last poll?
	const known = new Map(walk.seen);
	const unresolved = previous.pending.filter(([uid]) => !known.has(uid));
	let { lastPage, more } = walk;
	let budget = unresolved.length;
	while (more && budget >= 2 && unresolved.some(([uid]) => !known.has(uid))) {
		lastPage++;
		budget--;
		const page = (yield { kind: 'page', query: {}, page: lastPage, pageSize: PAGE_SIZE } as Need) as ListPage | null;
		if (!page) break;
		for (const invoice of page.results) known.set(invoice.uid, invoice);
		more = lastPage < page.page_count && page.results.length > 0;
		const oldestOnPage = page.results.length ? toMicros(page.results[page.results.length - 1].created_at) : 0;
		const oldestWanted = Math.min(...unresolved.filter(([uid]) => !known.has(uid)).map(([, at]) => at));
		if (oldestOnPage < oldestWanted) break;
	}
	const details = new Map<string, TrackedInvoice>();
	for (const [uid, at] of previous.pending) {
		let invoice = known.get(uid);
		if (!invoice) {
			const detail = (yield { kind: 'invoice', uid } as Need) as TrackedInvoice | null;
			if (!detail) continue; // deleted while processing
			details.set(uid, detail);
			invoice = detail;
		}
		if (invoice.processing_status === 'processing') pending.set(uid, at);
		else candidates.push(invoice);
	}

	const events: TrackerEvent[] = [];
	for (const invoice of candidates) {
		let detail = details.get(invoice.uid);
		if (!detail && needsDetailToMatch(options.filters)) {
			detail = ((yield { kind: 'invoice', uid: invoice.uid } as Need) as TrackedInvoice | null) ?? undefined;
			if (!detail) continue;
		}
		const subject = detail ?? invoice;
		if (!matchesFilters(subject, options.filters, subject.processing_status === 'failed')) continue;
		events.push(detail ? { invoice: detail, detail } : { invoice });
	}
	events.sort(byCreation);
	return {
		state: { cursor: advance(previous.cursor, walk.fresh), pending: [...pending].sort((a, b) => a[1] - b[1]) },
		events,
	};
}
