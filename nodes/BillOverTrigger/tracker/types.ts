import type { EventIdentity } from './events';

/**
 * The trigger's polling algorithm is a pure state machine: a generator that
 * yields what it needs from the API (`Need`), is resumed with the answer, and
 * returns the new state and the events to emit. No HTTP, no n8n here, so it
 * can be tested without a server; `../poll.ts` drives it with the transport.
 */

/** The fields of an invoice the tracker reads (list or detail object). */
export interface TrackedInvoice {
	uid: string;
	created_at: string;
	approvement_status: string;
	processing_status: string;
	company?: { uid?: string | null } | null;
	payment_type?: string | null;
	card?: { uid?: string | null } | null;
	[key: string]: unknown;
}

export interface ListPage {
	count: number;
	page_count: number;
	results: TrackedInvoice[];
}

/** A list query: the API's filter keys; arrays are repeated keys. */
export type Query = Record<string, string | string[]>;

export type Need =
	/** `GET /v1/invoices/?…&page=&page_size=`; answered with the page, or null past the last page. */
	| { kind: 'page'; query: Query; page: number; pageSize: number }
	/** `GET /v1/invoices/{uid}`; answered with the detail, or null when it is gone (404). */
	| { kind: 'invoice'; uid: string };

export type Answer = ListPage | TrackedInvoice | null;

export type Tracker<S> = Generator<Need, TrackerResult<S>, Answer>;

export interface TrackerEvent {
	/** The transition it reports, with its stable id. */
	identity: EventIdentity;
	invoice: TrackedInvoice;
	/** The detail object, when the tracker had to read it anyway (reused for "Include Details"). */
	detail?: TrackedInvoice;
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
