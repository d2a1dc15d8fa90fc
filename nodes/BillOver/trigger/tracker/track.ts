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
 *      removed): the waiting ones in full (`approvement_status=waiting`),
 *      the rejected ones, which only accumulate, by a count and a window of
 *      dates at a time (./rejected.ts).
 *
 * Each invoice then has a `before` (new, waiting, rejected, outside W, still
 * processing) and an `after` (its status now, or gone); the transitions
 * table says which events that pair is. Where the pair is not enough (the
 * invoice left W: approved or deleted?; came from outside: approval removed
 * or just updated into the filters?) or the event's id needs BillOver's
 * history, the invoice's detail is read, once.
 *
 * A poll runs in named phases, each a function below: `walk` (the new
 * invoices and the waiting ones), `pending` (the new invoices, and those in
 * OCR at the last poll), `waitingSet` (the waiting ones then against now),
 * `transitions` (the table's events), `rejectedSet` (the rejected ones:
 * count, bisection, rotation) and `creations` (Invoice Created);
 * `nextState` is what the next poll gets.
 *
 * State: the cursor, W's uids (the rejected ones by creation date), the new
 * invoices still in OCR, the rotation's place, and when the last poll
 * began. It grows with W and the invoices processing. An idle poll is 1
 * request, and when W matters ⌈waiting/100⌉ + 1 more, + the rotation's
 * window (at most 3 pages) when more than a page of invoices is rejected;
 * each event costs at most one more, except one that changes the rejected
 * set unseen (bisection: about one count per halving). docs/ARCHITECTURE.md
 * tells the algorithm and its guarantees.
 */
import { MAX_PAGE_SIZE } from '../../shared/model';
import { advance, cursorAt } from './cursor';
import type { After, Before } from './events';
import { EVENT_ORDER, TRANSITIONS, cameFromApproved, identify } from './events';
import { filterQuery, hasFilters, matchesFilters, needsDetailToMatch } from './filters';
import type { DateRange } from './rejected';
import { RejectedMembers, WINDOW_SIZE, dateOf, nextDay, previousDay, rangeQuery } from './rejected';
import { toMicros, toUtcIso } from './time';
import type { Answer, EmitWhen, EventName, Invoice, ListPage, Need, PendingInvoice, Query, Rotation, Tracker, TrackerEvent, TrackerState, WatchFilters } from './types';
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
 * last look at the invoice to count as having happened since (clocks of n8n
 * and BillOver may disagree; an invoice updated into the filters long after
 * its approval was removed is no removal).
 */
export const CLOCK_MARGIN_MS = 15 * 60_000;

interface Observation {
	uid: string;
	before: Before;
	/** Known from the lists read; undefined: only the detail can tell. */
	after?: After;
	/** The freshest object of it the poll has (list or detail). */
	invoice?: Invoice;
	/** When the trigger last looked where it was found (ms); the last poll's start unless said. */
	lookedAt?: number;
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
		tracksPending,
		walkFiltered,
		walkQuery: walkFiltered ? filterQuery(filters) : {},
		undecidedQuery: { ...filterQuery(filters), approvement_status: UNDECIDED },
		waitingQuery: { ...filterQuery(filters), approvement_status: ['waiting'] },
		rejectedQuery: { ...filterQuery(filters), approvement_status: ['rejected'] },
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
	/** The waiting invoices now (those that pass the filters), by uid. */
	waiting: Map<string, Invoice>;
	/** The waiting ones at the last poll. */
	previousWaiting: Set<string>;
	/** All the rejected ones now, when few enough to be listed with the waiting ones. */
	rejectedListed?: Invoice[];
	/** W as this poll finds it, settled invoice by invoice: the waiting ones, by uid… */
	watch: Map<string, Invoice>;
	/** …and the rejected ones (starting from the last poll's). */
	rejected: RejectedMembers;
	/** The rejected ones at the last poll. */
	previousRejected: RejectedMembers;
	/** Where the rotation over the rejected ones stands after this poll. */
	rotation?: Rotation;
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

function* readPage(query: Query, page = 1): Generator<Need, ListPage | null, unknown> {
	return (yield { kind: 'page', query, page, pageSize: MAX_PAGE_SIZE } as Need) as ListPage | null;
}

export function* track(previous: TrackerState | undefined, options: TrackOptions): Tracker<TrackerState> {
	const plan = planFor(options.events, options.emitWhen, options.filters);
	if (!previous) return { state: yield* start(plan, options.now), events: [] };
	const poll = yield* walk(plan, previous, options);
	yield* pending(poll);
	waitingSet(poll);
	yield* transitions(poll, [...poll.observations.values()]);
	yield* rejectedSet(poll);
	yield* creations(poll);
	return { state: nextState(poll), events: poll.events.sort(byOccurrence) };
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
		const waiting: string[] = [];
		const rejected = new RejectedMembers();
		for (const invoice of (yield* readAll(plan.undecidedQuery)).values()) {
			if (invoice.approvement_status === 'rejected') rejected.add(invoice.uid, dateOf(invoice));
			else waiting.push(invoice.uid);
		}
		state.watch = waiting.sort();
		state.rejected = rejected.toSet();
	}
	if (plan.tracksPending) state.pending = [];
	return state;
}

/**
 * Phase 1: the list newest first down to the cursor, and, when an event
 * needs W, the waiting invoices; with them the rejected ones while there are
 * few (`WINDOW_SIZE`), else those are left to `rejectedSet`.
 */
function* walk(plan: Plan, previous: TrackerState, options: TrackOptions): Generator<Need, Poll, Answer> {
	const walked = yield* walkNew(plan.walkQuery, previous.cursor);
	const previousRejected = new RejectedMembers(previous.rejected);
	const waiting = new Map<string, Invoice>();
	let rejectedListed: Invoice[] | undefined;
	if (plan.watchesW) {
		const listsRejected = previousRejected.size <= WINDOW_SIZE;
		const listed = yield* readAll(listsRejected ? plan.undecidedQuery : plan.waitingQuery);
		if (listsRejected) rejectedListed = [];
		for (const [uid, invoice] of listed) {
			if (invoice.approvement_status === 'waiting') waiting.set(uid, invoice);
			else if (invoice.approvement_status === 'rejected') rejectedListed?.push(invoice);
		}
	}
	return {
		plan,
		options,
		previous,
		walk: walked,
		waiting,
		previousWaiting: new Set(previous.watch ?? []),
		...(rejectedListed && { rejectedListed }),
		watch: new Map(waiting),
		rejected: new RejectedMembers(previous.rejected),
		previousRejected,
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

/** Where W had an invoice at the last poll. */
function wasIn(poll: Poll, uid: string): Before | undefined {
	if (poll.previousWaiting.has(uid)) return 'waiting';
	if (poll.previousRejected.has(uid)) return 'rejected';
	return undefined;
}

/**
 * Phase 2: the invoices created since the last poll, and those that were
 * still in OCR at the last one: which may be reported as created, which are
 * still in OCR, and where each stands for the W events.
 */
function* pending(poll: Poll): Generator<Need, void, unknown> {
	const { plan, options, waiting, observations } = poll;
	const { filters } = options;
	for (const invoice of poll.walk.fresh) {
		const processing = invoice.processing_status === 'processing';
		if (plan.creations) {
			if (processing && options.emitWhen === 'processed') keepPending(poll, invoice.uid, toMicros(invoice.created_at), false);
			else poll.creationCandidates.push(invoice);
		}
		if (!plan.watchesW) continue;
		const inW = waiting.get(invoice.uid);
		// What the list object can tell of the filters (the company; payment type and card are detail fields).
		const mayMatch = plan.walkFiltered || matchesFilters(invoice, { company__uid: filters.company__uid });
		if (inW) observations.set(invoice.uid, { uid: invoice.uid, before: 'new', after: 'waiting', invoice: inW });
		// In OCR and not waiting in W: with filters, the fields they look at are not known yet.
		else if (processing && hasFilters(filters)) keepPending(poll, invoice.uid, toMicros(invoice.created_at), true);
		else if (!mayMatch) continue;
		else if (invoice.approvement_status === 'approved') observations.set(invoice.uid, { uid: invoice.uid, before: 'new', after: 'approved', invoice });
		// Rejected (the waiting list is all this poll has read), or changed in between, or a detail-field filter excludes it.
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
		if (plan.watchesW && forWatch && !wasIn(poll, uid) && !observations.has(uid)) {
			const inW = waiting.get(uid);
			observations.set(uid, invoice === null ? { uid, before: 'processing', after: 'gone' } : { uid, before: 'processing', after: inW ? 'waiting' : undefined, invoice: inW ?? invoice });
		}
	}
}

/**
 * Phase 3: the waiting invoices at the last poll against those now: what
 * left (approved, rejected, deleted: the detail tells), what joined from
 * outside. The rejected ones are left to `rejectedSet`.
 */
function waitingSet(poll: Poll): void {
	if (!poll.plan.watchesW) return;
	const { observations, waiting } = poll;
	for (const uid of poll.previousWaiting) {
		if (observations.has(uid)) continue;
		const now = waiting.get(uid);
		observations.set(uid, { uid, before: 'waiting', after: now ? 'waiting' : undefined, invoice: now });
	}
	for (const [uid, invoice] of waiting) {
		if (!observations.has(uid)) observations.set(uid, { uid, before: wasIn(poll, uid) ?? 'outside', after: 'waiting', invoice });
	}
}

function emit(poll: Poll, event: EventName, invoice: Invoice, detail?: Invoice, gone = false): void {
	const identity = identify(event, detail ?? invoice, toUtcIso(poll.options.now * 1000));
	if (poll.emittedIds.has(identity.event_id)) return;
	poll.emittedIds.add(identity.event_id);
	poll.events.push(detail ? { invoice: detail, detail, identity } : gone ? { invoice, identity, gone } : { invoice, identity });
}

/** Where W has an invoice after this poll, once its state (and whether it passes the filters) is known. */
function settle(poll: Poll, uid: string, after: After, invoice: Invoice | undefined, matches: boolean): void {
	poll.watch.delete(uid);
	const date = invoice ? dateOf(invoice) : undefined;
	poll.rejected.delete(uid);
	if (!matches || !invoice) return;
	if (after === 'waiting') poll.watch.set(uid, invoice);
	else if (after === 'rejected' && date) poll.rejected.add(uid, date);
}

/**
 * Phase 4: what each (before, after) pair is by the TRANSITIONS table,
 * reading the detail where the pair is not enough, the event's id needs
 * the history, or W must know where the invoice went; W is settled as it goes.
 */
function* transitions(poll: Poll, observations: Observation[]): Generator<Need, void, unknown> {
	const { plan, previous, details } = poll;
	const { filters } = poll.options;
	for (const observation of observations.sort((a, b) => (a.uid < b.uid ? -1 : 1))) {
		poll.observations.set(observation.uid, observation);
		const candidates = plan.rows.filter((row) => row.from.includes(observation.before) && (observation.after === undefined || row.to.includes(observation.after)));
		let { after } = observation;
		let detail: Invoice | null | undefined = details.get(observation.uid);
		if (after !== undefined && !candidates.length) {
			settle(poll, observation.uid, after, detail ?? observation.invoice, true);
			continue;
		}
		const needsDetail = after === undefined || candidates.some((row) => row.history !== null || row.from.includes('outside'));
		if (needsDetail && after !== 'gone') {
			if (detail === undefined) {
				detail = yield* readDetail(observation.uid);
				details.set(observation.uid, detail);
			}
			after = detail ? (detail.approvement_status as After) : 'gone';
		}
		const matches = after === 'gone' || !detail || matchesFilters(detail, filters, detail.processing_status === 'failed');
		settle(poll, observation.uid, after as After, detail ?? observation.invoice, matches);
		if (!matches) continue;
		const lookedAt = observation.lookedAt ?? previous.polledAt;
		const notBefore = hasFilters(filters) && lookedAt !== undefined ? (lookedAt - CLOCK_MARGIN_MS) * 1000 : undefined;
		for (const row of candidates) {
			if (!row.to.includes(after as After)) continue;
			if (observation.before === 'outside' && !(detail && cameFromApproved(detail, notBefore))) continue;
			const invoice = detail ?? observation.invoice ?? ({ uid: observation.uid } as Invoice);
			emit(poll, row.event, invoice, detail ?? undefined, after === 'gone');
		}
	}
}

/**
 * Phase 5: the rejected invoices (./rejected.ts). Listed in full with the
 * waiting ones while they are few; else the first page's count against W's
 * after the phases before, the dates that differ found by halving, and the
 * rotation's window, member by member.
 */
function* rejectedSet(poll: Poll): Generator<Need, void, Answer> {
	if (!poll.plan.watchesW) return;
	const { plan, previous, options } = poll;
	if (poll.rejectedListed) {
		yield* compare(poll, {}, poll.rejectedListed, previous.polledAt);
		return;
	}
	const first = yield* readPage(plan.rejectedQuery);
	if (!first || first.page_count <= 1) {
		yield* compare(poll, {}, first?.results ?? [], previous.polledAt);
		return;
	}
	if (first.count !== poll.rejected.size) yield* bisect(poll, {}, first.count);
	const rotation = previous.rotation ?? { lapStartedAt: options.now, lastLapStartedAt: previous.polledAt ?? options.now };
	const { range, endsLap } = poll.rejected.windowAfter(rotation.after);
	const window = yield* readAll(rangeQuery(plan.rejectedQuery, range));
	yield* compare(poll, range, [...window.values()], rotation.lastLapStartedAt);
	poll.rotation = endsLap ? { lapStartedAt: options.now, lastLapStartedAt: rotation.lapStartedAt } : { ...rotation, after: range.to };
}

/**
 * The rejected invoices created within `range` (all of them, as listed now)
 * against W's: one that is new to W came from outside it (approved before,
 * or updated into the filters) since `lookedAt`; one missing may have been
 * approved or deleted (its detail tells).
 */
function* compare(poll: Poll, range: DateRange, listed: Invoice[], lookedAt: number | undefined): Generator<Need, void, unknown> {
	const found: Observation[] = [];
	const listedUids = new Set(listed.map((invoice) => invoice.uid));
	for (const invoice of listed) {
		if (poll.rejected.has(invoice.uid) || poll.observations.has(invoice.uid)) continue;
		found.push({ uid: invoice.uid, before: wasIn(poll, invoice.uid) ?? 'outside', after: 'rejected', invoice, lookedAt });
	}
	for (const uid of poll.rejected.within(range)) {
		if (!listedUids.has(uid) && !poll.observations.has(uid)) found.push({ uid, before: 'rejected' });
	}
	if (found.length) yield* transitions(poll, found);
}

/**
 * The rejected invoices created within `range` number `count`, and W holds
 * another number of them: halve the range by W's dates, one count for the
 * first half (the other half's follows), down to ranges small enough to
 * read, and compare those.
 */
function* bisect(poll: Poll, range: DateRange, count: number): Generator<Need, void, Answer> {
	const held = poll.rejected.within(range).length;
	if (count === held) return;
	const { plan, previous } = poll;
	const dates = poll.rejected.datesWithin(range);
	if (count <= MAX_PAGE_SIZE || dates.length === 0 || (dates.length === 1 && range.from === dates[0][0] && range.to === dates[0][0])) {
		const listed = yield* readAll(rangeQuery(plan.rejectedQuery, range));
		yield* compare(poll, range, [...listed.values()], previous.polledAt);
		return;
	}
	// Split where the first half holds about half of W's (one date alone: that date, and what is around it).
	let split: DateRange[];
	if (dates.length === 1) {
		const [only] = dates[0];
		const before = range.from === undefined || range.from < only ? [{ from: range.from, to: previousDay(only) }] : [];
		const after = range.to === undefined || range.to > only ? [{ from: nextDay(only), to: range.to }] : [];
		split = [{ from: only, to: only }, ...before, ...after];
	} else {
		let counted = 0;
		let at = 0;
		while (at < dates.length - 2 && (counted + dates[at][1]) * 2 < held) counted += dates[at++][1];
		split = [
			{ from: range.from, to: dates[at][0] },
			{ from: nextDay(dates[at][0]), to: range.to },
		];
	}
	let rest = count;
	for (const [index, part] of split.entries()) {
		if (index === split.length - 1) {
			yield* bisect(poll, part, rest);
			break;
		}
		const page = yield* readPage(rangeQuery(plan.rejectedQuery, part));
		const partCount = page?.count ?? 0;
		rest -= partCount;
		if (!page || page.page_count <= 1) yield* compare(poll, part, page?.results ?? [], previous.polledAt);
		else yield* bisect(poll, part, partCount);
	}
}

/** Phase 6, Invoice Created: the new (or newly processed) invoices that pass the filters. */
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
function nextState(poll: Poll): TrackerState {
	const { plan } = poll;
	const state: TrackerState = { cursor: advance(poll.previous.cursor, poll.walk.fresh), polledAt: poll.options.now };
	if (plan.watchesW) {
		state.watch = [...poll.watch.keys()].sort();
		state.rejected = poll.rejected.toSet();
		if (poll.rotation) state.rotation = poll.rotation;
	}
	if (plan.tracksPending) {
		state.pending = [...poll.pending.values()].sort((a, b) => a.createdAt - b.createdAt || (a.uid < b.uid ? -1 : 1));
	}
	return state;
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
