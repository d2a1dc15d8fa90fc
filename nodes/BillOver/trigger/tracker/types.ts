/**
 * The trigger's polling algorithm is a pure state machine: a generator that
 * yields what it needs from the API (`Need`), is resumed with the answer, and
 * returns the new state and the events to emit. No HTTP, no n8n here, so it
 * can be tested without a server; `../poll.ts` drives it with shared/endpoints.ts.
 */
import type { Invoice, ListPage, Query } from '../../shared/model';

export type { Invoice, ListPage, Query };

export type EventName = 'invoice.created' | 'invoice.approved' | 'invoice.approval_removed' | 'invoice.rejected' | 'invoice.deleted';

/** What every emitted item carries: the transition it reports, the same each time it is reported. */
export interface EventIdentity {
	event: EventName;
	/** `<event>:<invoice uid>:<when, UTC, µs>` (`<event>:<uid>` for a deletion): an idempotency key. */
	event_id: string;
	/** When it happened, as BillOver recorded it (for a deletion: when the trigger noticed it). */
	occurred_at: string;
}

export type Need =
	/** `GET /v1/invoices/?…&page=&page_size=`; answered with the page, or null past the last page. */
	| { kind: 'page'; query: Query; page: number; pageSize: number }
	/** `GET /v1/invoices/{uid}`; answered with the detail, or null when it is gone (404). */
	| { kind: 'invoice'; uid: string };

export type Answer = ListPage | Invoice | null;

export type Tracker<S> = Generator<Need, TrackerResult<S>, Answer>;

export interface TrackerEvent {
	/** The transition it reports, with its stable id. */
	identity: EventIdentity;
	invoice: Invoice;
	/** The detail object, when the tracker had to read it anyway (reused for "Include Details"). */
	detail?: Invoice;
	/** The invoice no longer exists (only its uid is known). */
	gone?: boolean;
}

export interface TrackerResult<S> {
	state: S;
	events: TrackerEvent[];
}

/**
 * Every invoice created at or before `at` (microseconds since the epoch, UTC)
 * has been looked at, except that among invoices created exactly at `at`
 * only those in `uids` have.
 */
export interface Cursor {
	at: number;
	uids: string[];
}

/** Narrowing filters of the trigger (company, payment type, card). */
export interface WatchFilters {
	company__uid?: string[];
	payment_type?: string[];
	card__uid?: string[];
}

export type EmitWhen = 'created' | 'processed';

/** A new invoice still being processed (OCR) at the last poll. */
export interface PendingInvoice {
	uid: string;
	/** Its `created_at`, µs since the epoch. */
	createdAt: number;
	/** W has not seen it yet: filters are set, and OCR has yet to fill what they look at. */
	forWatch: boolean;
}

/**
 * The rejected invoices the trigger watches, by the date they were created
 * (`YYYY-MM-DD` of `created_at` as BillOver shows it, the date its
 * `from_date` / `to_date` filters compare): date → uids, sorted.
 */
export type RejectedSet = Record<string, string[]>;

/**
 * Where the slow check of the rejected invoices stands: each poll reads the
 * rejected invoices of the next few dates (a window) and compares them with
 * what the state holds; a lap covers every date.
 */
export interface Rotation {
	/** The last date of the window read last (none: the next window starts the lap). */
	after?: string;
	/** When the running lap began (ms since the epoch). */
	lapStartedAt: number;
	/** When the lap before it began: every date has been compared since then. */
	lastLapStartedAt: number;
}

/** What one poll hands the next (trigger/state.ts stores it). */
export interface TrackerState {
	cursor: Cursor;
	/** The waiting invoices at the last poll (those that pass the filters), sorted. */
	watch?: string[];
	/** The rejected invoices at the last poll (those that pass the filters). */
	rejected?: RejectedSet;
	/** The slow check of `rejected`, when there are more than a page of them. */
	rotation?: Rotation;
	/** New invoices still in OCR, oldest first. */
	pending?: PendingInvoice[];
	/** When the last poll began (ms since the epoch, n8n's clock). */
	polledAt?: number;
}

/** An event emitted lately, kept for redelivery after a restart (outbox.ts). */
export interface OutboxEntry {
	eventId: string;
	event: EventName;
	uid: string;
	occurredAt: string;
	/** When the poll that emitted it ran (ms since the epoch). */
	emittedAt: number;
}
