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
 * A poll runs in named phases, each a function below: `walk` (the two
 * lists), `pending` (the new invoices, and those in OCR at the last poll),
 * `watchedSet` (W then against W now), `transitions` (the table's events)
 * and `creations` (Invoice Created); `nextState` is what the next poll gets.
 *
 * State: the cursor, W's uids (and which are rejected, when that matters),
 * the new invoices still in OCR, and when the last poll began. It grows with
 * W and the invoices processing, never with the account's history. An idle
 * poll is 1 request (+ ⌈W/100⌉ when W matters); each event costs at most one
 * more. docs/ARCHITECTURE.md tells the algorithm and its guarantees.
 */
import { MAX_PAGE_SIZE } from '../../shared/model';
import { advance, cursorAt } from './cursor';
import type { After, Before } from './events';
import { EVENT_ORDER, TRANSITIONS, cameFromApproved, identify } from './events';
import { filterQuery, hasFilters, matchesFilters, needsDetailToMatch } from './filters';
import { toMicros, toUtcIso } from './time';
import type { Answer, EmitWhen, EventName, Invoice, ListPage, Need, PendingInvoice, Tracker, TrackerEvent, TrackerState, WatchFilters } from './types';
import type { WalkResult } from './walk';
import { newestInstant, readAll, walkNew } from './walk';

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
	invoice?: Invoice;
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

type Plan = ReturnType<typeof planFor>;

/** What one poll learns as it goes, phase by phase. */
interface Poll {
	plan: Plan;
	options: TrackOptions;
	previous: TrackerState;
	/** The list down to the cursor. */
	walk: WalkResult;
	/** W now: the undecided invoices that pass the filters, by uid. */
	undecided: Map<string, Invoice>;
	/** W at the last poll, each as it was then. */
	previousWatch: Map<string, Before>;
	/** New invoices still in OCR after this poll. */
	pending: Map<string, PendingInvoice>;
	/** Invoices Invoice Created may report, once the filters are checked. */
	creationCandidates: Invoice[];
	/** What each invoice of interest was at the last poll and is now. */
	observations: Map<string, Observation>;
	/** Details read in this poll (null: gone), never read twice. */
	details: Map<string, Invoice | null>;
	events: TrackerEvent[];
	emittedIds: Set<string>;
}

function* readDetail(uid: string): Generator<Need, Invoice | null, unknown> {
	return (yield { kind: 'invoice', uid } as Need) as Invoice | null;
}

export function* track(previous: TrackerState | undefined, options: TrackOptions): Tracker<TrackerState> {
	const plan = planFor(options.events, options.emitWhen, options.filters);
	if (!previous) return { state: yield* start(plan, options.now), events: [] };
	const poll = yield* walk(plan, previous, options);
	yield* pending(poll);
	watchedSet(poll);
	const watch = yield* transitions(poll);
	yield* creations(poll);
	return { state: nextState(poll, watch), events: poll.events.sort(byOccurrence) };
}

/**
 * First activation (or a changed event / filter) starts from "now": every
 * invoice at the newest instant counts as seen, however many pages that
 * instant takes; W as it is.
 */
function* start(plan: Plan, now: number): Generator<Need, TrackerState, Answer> {
	const newest = yield* newestInstant(plan.walkQuery);
	const state: TrackerState = { cursor: cursorAt(newest), polledAt: now };
	if (plan.watchesW) {
		const undecided = yield* readAll(plan.undecidedQuery);
		state.watch = [...undecided.keys()].sort();
		if (plan.keepsRejected) state.rejected = rejectedOf(undecided);
	}
	if (plan.tracksPending) state.pending = [];
	return state;
}

/** Phase 1: the list newest first down to the cursor, and W (when an event needs it). */
function* walk(plan: Plan, previous: TrackerState, options: TrackOptions): Generator<Need, Poll, Answer> {
	const walked = yield* walkNew(plan.walkQuery, previous.cursor);
	const undecided = plan.watchesW ? yield* readAll(plan.undecidedQuery) : new Map<string, Invoice>();
	const rejected = new Set(previous.rejected ?? []);
	return {
		plan,
		options,
		previous,
		walk: walked,
		undecided,
		previousWatch: new Map((previous.watch ?? []).map((uid): [string, Before] => [uid, rejected.has(uid) ? 'rejected' : 'waiting'])),
		pending: new Map(),
		creationCandidates: [],
		observations: new Map(),
		details: new Map(),
		events: [],
		emittedIds: new Set(),
	};
}

function keepPending(poll: Poll, uid: string, createdAt: number, forWatch: boolean): void {
	poll.pending.set(uid, { uid, createdAt, forWatch: forWatch || (poll.pending.get(uid)?.forWatch ?? false) });
}

/**
 * Phase 2: the invoices created since the last poll, and those that were
 * still in OCR at the last one: which may be reported as created, which are
 * still in OCR, and where each stands for the W events.
 */
function* pending(poll: Poll): Generator<Need, void, unknown> {
	const { plan, options, undecided, observations } = poll;
	const { filters } = options;
	for (const invoice of poll.walk.fresh) {
		const processing = invoice.processing_status === 'processing';
		if (plan.creations) {
			if (processing && options.emitWhen === 'processed') keepPending(poll, invoice.uid, toMicros(invoice.created_at), false);
			else poll.creationCandidates.push(invoice);
		}
		if (!plan.watchesW) continue;
		const inW = undecided.get(invoice.uid);
		// What the list object can tell of the filters (the company; payment type and card are detail fields).
		const mayMatch = plan.walkFiltered || matchesFilters(invoice, { company__uid: filters.company__uid });
		if (inW) observations.set(invoice.uid, { uid: invoice.uid, before: 'new', after: inW.approvement_status as After, invoice: inW });
		// In OCR and outside W: with filters, the fields they look at are not known yet.
		else if (processing && hasFilters(filters)) keepPending(poll, invoice.uid, toMicros(invoice.created_at), true);
		else if (!mayMatch) continue;
		else if (invoice.approvement_status === 'approved') observations.set(invoice.uid, { uid: invoice.uid, before: 'new', after: 'approved', invoice });
		// Not in W though undecided in the walk: it changed in between, or a detail-field filter excludes it.
		else if (plan.walkFiltered || matchesFilters(invoice, filters)) observations.set(invoice.uid, { uid: invoice.uid, before: 'new', invoice });
	}

	const previousPending = poll.previous.pending ?? [];
	const resolved = yield* resolvePending(previousPending, poll.walk);
	for (const { uid, createdAt, forWatch } of previousPending) {
		const { invoice, isDetail } = resolved.get(uid) as ResolvedInvoice;
		if (invoice && invoice.processing_status === 'processing') {
			keepPending(poll, uid, createdAt, forWatch);
			continue;
		}
		if (isDetail) poll.details.set(uid, invoice);
		if (plan.creations && invoice) poll.creationCandidates.push(invoice);
		// For the W events: an invoice W did not hold while it was in OCR (filters) starts from there.
		if (plan.watchesW && forWatch && !poll.previousWatch.has(uid) && !observations.has(uid)) {
			const inW = undecided.get(uid);
			observations.set(uid, invoice === null ? { uid, before: 'processing', after: 'gone' } : { uid, before: 'processing', after: inW ? (inW.approvement_status as After) : undefined, invoice: inW ?? invoice });
		}
	}
}

/** Phase 3: W at the last poll against W now: what left it, and what joined it from outside. */
function watchedSet(poll: Poll): void {
	if (!poll.plan.watchesW) return;
	const { observations, undecided } = poll;
	for (const [uid, before] of poll.previousWatch) {
		if (observations.has(uid)) continue;
		const inW = undecided.get(uid);
		observations.set(uid, { uid, before, after: inW ? (inW.approvement_status as After) : undefined, invoice: inW });
	}
	for (const [uid, invoice] of undecided) {
		if (!observations.has(uid)) observations.set(uid, { uid, before: 'outside', after: invoice.approvement_status as After, invoice });
	}
}

function emit(poll: Poll, event: EventName, invoice: Invoice, detail?: Invoice, gone = false): void {
	const identity = identify(event, detail ?? invoice, toUtcIso(poll.options.now * 1000));
	if (poll.emittedIds.has(identity.event_id)) return;
	poll.emittedIds.add(identity.event_id);
	poll.events.push(detail ? { invoice: detail, detail, identity } : gone ? { invoice, identity, gone } : { invoice, identity });
}

/**
 * Phase 4: what each (before, after) pair is by the TRANSITIONS table,
 * reading the detail where the pair is not enough or the event's id needs
 * the history. Answers W as it stands after the poll.
 */
function* transitions(poll: Poll): Generator<Need, Map<string, Invoice>, unknown> {
	const { plan, previous, details } = poll;
	const { filters } = poll.options;
	const notBefore = hasFilters(filters) && previous.polledAt !== undefined ? (previous.polledAt - CLOCK_MARGIN_MS) * 1000 : undefined;
	const watch = new Map<string, Invoice>(poll.undecided);
	for (const observation of [...poll.observations.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1))) {
		const candidates = plan.rows.filter((row) => row.from.includes(observation.before) && (observation.after === undefined || row.to.includes(observation.after)));
		if (!candidates.length) continue;
		let { after } = observation;
		let detail: Invoice | null | undefined = details.get(observation.uid);
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
			const invoice = detail ?? observation.invoice ?? ({ uid: observation.uid } as Invoice);
			emit(poll, row.event, invoice, detail ?? undefined, after === 'gone');
		}
	}
	return watch;
}

/** Phase 5, Invoice Created: the new (or newly processed) invoices that pass the filters. */
function* creations(poll: Poll): Generator<Need, void, unknown> {
	const { filters } = poll.options;
	for (const invoice of poll.creationCandidates) {
		let detail = poll.details.get(invoice.uid) ?? undefined;
		if (!detail && needsDetailToMatch(filters)) {
			const read = yield* readDetail(invoice.uid);
			poll.details.set(invoice.uid, read);
			if (!read) continue;
			detail = read;
		}
		const subject = detail ?? invoice;
		if (!matchesFilters(subject, filters, subject.processing_status === 'failed')) continue;
		emit(poll, 'invoice.created', subject, detail);
	}
}

/** What the next poll starts from. */
function nextState(poll: Poll, watch: Map<string, Invoice>): TrackerState {
	const { plan } = poll;
	const state: TrackerState = { cursor: advance(poll.previous.cursor, poll.walk.fresh), polledAt: poll.options.now };
	if (plan.watchesW) {
		state.watch = [...watch.keys()].sort();
		if (plan.keepsRejected) state.rejected = rejectedOf(watch);
	}
	if (plan.tracksPending) {
		state.pending = [...poll.pending.values()].sort((a, b) => a.createdAt - b.createdAt || (a.uid < b.uid ? -1 : 1));
	}
	return state;
}

function rejectedOf(invoices: Map<string, Invoice>): string[] {
	return [...invoices.values()]
		.filter((invoice) => invoice.approvement_status === 'rejected')
		.map((invoice) => invoice.uid)
		.sort();
}

interface ResolvedInvoice {
	/** As last seen (list object or detail); null when it is gone. */
	invoice: Invoice | null;
	isDetail: boolean;
}

/**
 * Where are the invoices that were still in OCR at the last poll? Usually on
 * the pages the walk read anyway; older ones are found by reading on while a
 * page can settle two or more of them, the rest one by one.
 */
function* resolvePending(previousPending: readonly PendingInvoice[], walked: WalkResult): Generator<Need, Map<string, ResolvedInvoice>, unknown> {
	const known = new Map<string, Invoice>(walked.seen);
	const resolved = new Map<string, ResolvedInvoice>();
	const unresolved = previousPending.filter(({ uid }) => !known.has(uid));
	let { lastPage, more } = walked;
	let budget = unresolved.length;
	while (more && budget >= 2 && unresolved.some(({ uid }) => !known.has(uid))) {
		lastPage++;
		budget--;
		const page = (yield { kind: 'page', query: {}, page: lastPage, pageSize: MAX_PAGE_SIZE } as Need) as ListPage | null;
		if (!page) break;
		for (const invoice of page.results) known.set(invoice.uid, invoice);
		more = lastPage < page.page_count && page.results.length > 0;
		const oldestOnPage = page.results.length ? toMicros(page.results[page.results.length - 1].created_at) : 0;
		const oldestWanted = Math.min(...unresolved.filter(({ uid }) => !known.has(uid)).map(({ createdAt }) => createdAt));
		if (oldestOnPage < oldestWanted) break;
	}
	for (const { uid } of previousPending) {
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
