/**
 * The trigger's one state machine: every event of `./events.ts`, exactly
 * once, for whichever of them a trigger node watches.
 *
 * The API sorts by creation and has no "changed since" filter, so a poll
 * reads two things and compares them with what the last poll saw:
 *
 *   1. the list newest first down to the creation cursor: the invoices
 *      created since (Invoice Created; and those decided before we ever saw
 *      them, e.g. uploaded and approved between two polls);
 *   2. the watched set W, all invoices that can still change (waiting or
 *      rejected: an approved invoice is frozen until its approval is
 *      removed), with `approvement_status=waiting&approvement_status=rejected`.
 *
 * Each invoice then has a `before` (new, waiting, rejected, outside W, still
 * processing) and an `after` (its status now, or gone); the transitions
 * table says which events that pair is. Where the pair is not enough (the
 * invoice left W: approved or deleted?; came from outside: approval removed
 * or just updated into the filters?) or the event's id needs BillOver's
 * history, the invoice's detail is read, once.
 *
 * State: the cursor, W's uids (and which are rejected, when that matters),
 * the new invoices still in OCR, and when the last poll began. It grows with
 * W and the invoices processing, never with the account's history. An idle
 * poll is 1 request (+ ⌈W/100⌉ when W matters); each event costs at most one
 * more.
 */
import { advance, cursorAt } from './cursor';
import type { After, Before, EventIdentity, EventName } from './events';
import { EVENT_ORDER, TRANSITIONS, cameFromApproved, identify } from './events';
import { filterQuery, hasFilters, matchesFilters, needsDetailToMatch } from './filters';
import { toMicros, toUtcIso } from './time';
import type { Cursor, ListPage, Need, TrackedInvoice, Tracker, TrackerEvent, WatchFilters } from './types';
import { PAGE_SIZE, newestInstant, readAll, walkNew } from './walk';

export type EmitWhen = 'created' | 'processed';

export interface TrackerState {
	cursor: Cursor;
	/** W at the last poll: the watched invoices that could still change (waiting or rejected). */
	watch?: string[];
	/** Those of W that were rejected (kept only when an event tells waiting from rejected). */
	rejected?: string[];
	/**
	 * New invoices still being processed (OCR): [uid, created_at in µs], and a
	 * third element 1 when W has not seen them (filters set: OCR has yet to
	 * fill what they look at).
	 */
	pending?: PendingEntry[];
	/** When the last poll began (ms since the epoch, n8n's clock). */
	polledAt?: number;
}

export type PendingEntry = [string, number] | [string, number, 1];

export interface TrackOptions {
	events: readonly EventName[];
	emitWhen: EmitWhen;
	filters: WatchFilters;
	/** When this poll began (ms since the epoch). */
	now: number;
}

export const UNDECIDED = ['waiting', 'rejected'];

/**
 * With filters, an approval action must be at most this much older than the
 * last poll to count as having happened since (clocks of n8n and BillOver
 * may disagree; an invoice updated into the filters long after its approval
 * was removed is no removal).
 */
export const CLOCK_MARGIN_MS = 15 * 60_000;

interface Observation {
	uid: string;
	before: Before;
	/** Known from the lists read; undefined: only the detail can tell. */
	after?: After;
	/** The freshest object of it the poll has (list or detail). */
	invoice?: TrackedInvoice;
}

/** What a trigger node watching `events` has to read and keep. */
function planFor(events: readonly EventName[], emitWhen: EmitWhen, filters: WatchFilters) {
	const rows = TRANSITIONS.filter((row) => events.includes(row.event));
	const creations = events.includes('invoice.created');
	const watchesW = rows.length > 0;
	// New invoices in OCR: for Invoice Created once processed; and, with filters, for the
	// W events (OCR fills the fields the filters look at, so they enter W only later).
	const tracksPending = (creations && emitWhen === 'processed') || (watchesW && hasFilters(filters));
	// Whoever needs invoices still in OCR walks the whole list: the filters are applied
	// once OCR has filled the fields (the API would leave those invoices out).
	const walkFiltered = !creations && !tracksPending;
	return {
		rows,
		creations,
		watchesW,
		// A row that takes one of waiting / rejected but not the other needs to know which.
		keepsRejected: rows.some((row) => row.from.includes('waiting') !== row.from.includes('rejected')),
		tracksPending,
		walkFiltered,
		walkQuery: walkFiltered ? filterQuery(filters) : {},
		undecidedQuery: { ...filterQuery(filters), approvement_status: UNDECIDED },
	};
}

function* readDetail(uid: string): Generator<Need, TrackedInvoice | null, unknown> {
	return (yield { kind: 'invoice', uid } as Need) as TrackedInvoice | null;
}

export function* track(previous: TrackerState | undefined, options: TrackOptions): Tracker<TrackerState> {
	const { filters, now } = options;
	const plan = planFor(options.events, options.emitWhen, filters);
	const nowIso = toUtcIso(now * 1000);

	if (!previous) {
		// First activation (or a changed event / filter) starts from "now": every invoice at the
		// newest instant counts as seen, however many pages that instant takes.
		const newest = yield* newestInstant(plan.walkQuery);
		const state: TrackerState = { cursor: cursorAt(newest), polledAt: now };
		if (plan.watchesW) {
			const undecided = yield* readAll(plan.undecidedQuery);
			state.watch = [...undecided.keys()].sort();
			if (plan.keepsRejected) state.rejected = rejectedOf(undecided);
		}
		if (plan.tracksPending) state.pending = [];
		return { state, events: [] };
	}

	const walk = yield* walkNew(plan.walkQuery, previous.cursor);
	const undecided = plan.watchesW ? yield* readAll(plan.undecidedQuery) : new Map<string, TrackedInvoice>();
	const previousRejected = new Set(previous.rejected ?? []);
	const previousWatch = new Map<string, Before>((previous.watch ?? []).map((uid) => [uid, previousRejected.has(uid) ? 'rejected' : 'waiting']));
	const events: TrackerEvent[] = [];
	const emittedIds = new Set<string>();
	const emit = (event: EventName, invoice: TrackedInvoice, detail?: TrackedInvoice, gone = false) => {
		const identity: EventIdentity = identify(event, detail ?? invoice, nowIso);
		if (emittedIds.has(identity.event_id)) return;
		emittedIds.add(identity.event_id);
		events.push(detail ? { invoice: detail, detail, identity } : gone ? { invoice, identity, gone } : { invoice, identity });
	};

	// --- Invoices created since the last poll, and those still in OCR at the last one.
	/** uid → [created_at µs, whether W waits for it] */
	const pending = new Map<string, [number, boolean]>();
	const keepPending = (uid: string, at: number, forW: boolean) => pending.set(uid, [at, forW || (pending.get(uid)?.[1] ?? false)]);
	const creationCandidates: TrackedInvoice[] = [];
	const observations = new Map<string, Observation>();
	const details = new Map<string, TrackedInvoice | null>();

	for (const invoice of walk.fresh) {
		const processing = invoice.processing_status === 'processing';
		if (plan.creations) {
			if (processing && options.emitWhen === 'processed') keepPending(invoice.uid, toMicros(invoice.created_at), false);
			else creationCandidates.push(invoice);
		}
		if (!plan.watchesW) continue;
		const inW = undecided.get(invoice.uid);
		// What the list object can tell of the filters (the company; payment type and card are detail fields).
		const mayMatch = plan.walkFiltered || matchesFilters(invoice, { company__uid: filters.company__uid });
		if (inW) observations.set(invoice.uid, { uid: invoice.uid, before: 'new', after: inW.approvement_status as After, invoice: inW });
		// In OCR and outside W: with filters, the fields they look at are not known yet.
		else if (processing && hasFilters(filters)) keepPending(invoice.uid, toMicros(invoice.created_at), true);
		else if (!mayMatch) continue;
		else if (invoice.approvement_status === 'approved') observations.set(invoice.uid, { uid: invoice.uid, before: 'new', after: 'approved', invoice });
		// Not in W though undecided in the walk: it changed in between, or a detail-field filter excludes it.
		else if (plan.walkFiltered || matchesFilters(invoice, filters)) observations.set(invoice.uid, { uid: invoice.uid, before: 'new', invoice });
	}

	const resolved = yield* resolvePending(previous.pending ?? [], walk);
	for (const [uid, at, forW] of previous.pending ?? []) {
		const { invoice, isDetail } = resolved.get(uid) as ResolvedInvoice;
		if (invoice && invoice.processing_status === 'processing') {
			keepPending(uid, at, forW === 1);
			continue;
		}
		if (isDetail) details.set(uid, invoice);
		if (plan.creations && invoice) creationCandidates.push(invoice);
		// For the W events: an invoice W did not hold while it was in OCR (filters) starts from there.
		if (plan.watchesW && forW === 1 && !previousWatch.has(uid) && !observations.has(uid)) {
			const inW = undecided.get(uid);
			observations.set(uid, invoice === null ? { uid, before: 'processing', after: 'gone' } : { uid, before: 'processing', after: inW ? (inW.approvement_status as After) : undefined, invoice: inW ?? invoice });
		}
	}

	if (plan.watchesW) {
		for (const [uid, before] of previousWatch) {
			if (observations.has(uid)) continue;
			const inW = undecided.get(uid);
			observations.set(uid, { uid, before, after: inW ? (inW.approvement_status as After) : undefined, invoice: inW });
		}
		for (const [uid, invoice] of undecided) {
			if (!observations.has(uid)) observations.set(uid, { uid, before: 'outside', after: invoice.approvement_status as After, invoice });
		}
	}

	// --- The transitions: what each (before, after) pair is, reading the detail where it must.
	const notBefore = hasFilters(filters) && previous.polledAt !== undefined ? (previous.polledAt - CLOCK_MARGIN_MS) * 1000 : undefined;
	const watch = new Map<string, TrackedInvoice>(undecided);
	for (const observation of [...observations.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1))) {
		const candidates = plan.rows.filter((row) => row.from.includes(observation.before) && (observation.after === undefined || row.to.includes(observation.after)));
		if (!candidates.length) continue;
		let { after } = observation;
		let detail: TrackedInvoice | null | undefined = details.get(observation.uid);
		const needsDetail = after === undefined || candidates.some((row) => row.history !== null || row.from.includes('outside'));
		if (needsDetail && after !== 'gone') {
			if (detail === undefined) {
				detail = yield* readDetail(observation.uid);
				details.set(observation.uid, detail);
			}
			after = detail ? (detail.approvement_status as After) : 'gone';
		}
		if (after !== 'gone' && detail && !matchesFilters(detail, filters, detail.processing_status === 'failed')) continue;
		if (after !== 'gone' && UNDECIDED.includes(after as string) && detail && !watch.has(observation.uid)) watch.set(observation.uid, detail);
		for (const row of candidates) {
			if (!row.to.includes(after as After)) continue;
			if (observation.before === 'outside' && !(detail && cameFromApproved(detail, notBefore))) continue;
			const invoice = detail ?? observation.invoice ?? ({ uid: observation.uid } as TrackedInvoice);
			emit(row.event, invoice, detail ?? undefined, after === 'gone');
		}
	}

	// --- Invoice Created: the new (or newly processed) invoices that pass the filters.
	for (const invoice of creationCandidates) {
		let detail = details.get(invoice.uid) ?? undefined;
		if (!detail && needsDetailToMatch(filters)) {
			const read = yield* readDetail(invoice.uid);
			details.set(invoice.uid, read);
			if (!read) continue;
			detail = read;
		}
		const subject = detail ?? invoice;
		if (!matchesFilters(subject, filters, subject.processing_status === 'failed')) continue;
		emit('invoice.created', subject, detail);
	}

	events.sort(byOccurrence);
	const state: TrackerState = { cursor: advance(previous.cursor, walk.fresh), polledAt: now };
	if (plan.watchesW) {
		state.watch = [...watch.keys()].sort();
		if (plan.keepsRejected) state.rejected = rejectedOf(watch);
	}
	if (plan.tracksPending) {
		state.pending = [...pending]
			.sort((a, b) => a[1][0] - b[1][0] || (a[0] < b[0] ? -1 : 1))
			.map(([uid, [at, forW]]): PendingEntry => (forW ? [uid, at, 1] : [uid, at]));
	}
	return { state, events };
}

function rejectedOf(invoices: Map<string, TrackedInvoice>): string[] {
	return [...invoices.values()]
		.filter((invoice) => invoice.approvement_status === 'rejected')
		.map((invoice) => invoice.uid)
		.sort();
}

interface ResolvedInvoice {
	/** As last seen (list object or detail); null when it is gone. */
	invoice: TrackedInvoice | null;
	isDetail: boolean;
}

/**
 * Where are the invoices that were still in OCR at the last poll? Usually on
 * the pages the walk read anyway; older ones are found by reading on while a
 * page can settle two or more of them, the rest one by one.
 */
function* resolvePending(
	previousPending: readonly PendingEntry[],
	walk: { seen: Map<string, TrackedInvoice>; lastPage: number; more: boolean },
): Generator<Need, Map<string, ResolvedInvoice>, unknown> {
	const known = new Map<string, TrackedInvoice>(walk.seen);
	const resolved = new Map<string, ResolvedInvoice>();
	const unresolved = previousPending.filter(([uid]) => !known.has(uid));
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
	for (const [uid] of previousPending) {
		const listed = known.get(uid);
		resolved.set(uid, listed ? { invoice: listed, isDetail: false } : { invoice: yield* readDetail(uid), isDetail: true });
	}
	return resolved;
}

/** Oldest first: when it happened, then creation before what followed, then uid. */
export function byOccurrence(a: TrackerEvent, b: TrackerEvent): number {
	return (
		toMicros(a.identity.occurred_at) - toMicros(b.identity.occurred_at) ||
		EVENT_ORDER.indexOf(a.identity.event) - EVENT_ORDER.indexOf(b.identity.event) ||
		(a.invoice.uid < b.invoice.uid ? -1 : a.invoice.uid > b.invoice.uid ? 1 : 0)
	);
}

