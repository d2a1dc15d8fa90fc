/**
 * "Invoice Approved": every transition into `approved`, exactly once.
 *
 * The API has no "approved since" filter and sorts by creation, so approvals
 * are found by watching the invoices that could still become approved
 * (W: waiting or rejected) and looking at those that leave that set:
 *
 *   1. the list newest first down to the cursor: invoices created since the
 *      last poll, with their status now; the approved ones were approved
 *      before we ever saw them → events;
 *   2. all of W (`approvement_status=waiting&approvement_status=rejected`),
 *      which also finds old invoices whose approval was removed;
 *   3. every invoice that was watched (or new and not approved) and is no
 *      longer in W is read once: approved → event; gone (404) → forgotten;
 *      still undecided (the list moved while it was read) → still watched.
 *
 * State: the cursor and the uids of W. Requests per idle poll: 1 + ⌈W/100⌉,
 * plus one per invoice that left W. Neither grows with the account's history.
 */
import { advance, cursorAt } from './cursor';
import { filterQuery, matchesFilters } from './filters';
import { toMicros } from './time';
import type { Cursor, Need, TrackedInvoice, Tracker, TrackerEvent, WatchFilters } from './types';
import { firstPage, readAll, walkNew } from './walk';

export interface ApprovedState {
	cursor: Cursor;
	/** Invoices that could still become approved (waiting or rejected) at the last poll. */
	watch: string[];
}

export const UNDECIDED = ['waiting', 'rejected'];

export function* trackApprovals(previous: ApprovedState | undefined, filters: WatchFilters): Tracker<ApprovedState> {
	const query = filterQuery(filters);
	const undecidedQuery = { ...query, approvement_status: UNDECIDED };

	if (!previous) {
		// First activation starts from "now": nothing that happened before is emitted.
		const newest = yield* firstPage(query);
		const undecided = yield* readAll(undecidedQuery);
		return { state: { cursor: cursorAt(newest), watch: [...undecided.keys()].sort() }, events: [] };
	}

	const { fresh } = yield* walkNew(query, previous.cursor);
	const undecided = yield* readAll(undecidedQuery);

	const events: TrackerEvent[] = [];
	const emitted = new Set<string>();
	for (const invoice of fresh) {
		if (invoice.approvement_status === 'approved') {
			events.push({ invoice });
			emitted.add(invoice.uid);
		}
	}

	const watch = new Set(undecided.keys());
	const left = new Set<string>();
	for (const uid of previous.watch) if (!watch.has(uid)) left.add(uid);
	for (const invoice of fresh) if (!emitted.has(invoice.uid) && !watch.has(invoice.uid)) left.add(invoice.uid);

	for (const uid of [...left].sort()) {
		const detail = (yield { kind: 'invoice', uid } as Need) as TrackedInvoice | null;
		if (!detail || !matchesFilters(detail, filters)) continue;
		if (detail.approvement_status === 'approved') events.push({ invoice: detail, detail });
		else if (UNDECIDED.includes(detail.approvement_status)) watch.add(uid);
	}

	events.sort(byCreation);
	return { state: { cursor: advance(previous.cursor, fresh), watch: [...watch].sort() }, events };
}

export function byCreation(a: TrackerEvent, b: TrackerEvent): number {
	return toMicros(a.invoice.created_at) - toMicros(b.invoice.created_at) || (a.invoice.uid < b.invoice.uid ? -1 : 1);
}
