/**
 * The trigger's events as data: each row is one transition of an invoice,
 * from where the trigger saw it at the last poll to where it is now, and
 * what BillOver keeps of it (the `history` entry) to name it. The tracker
 * reads this table; an event is a row, not a code path.
 */
import { toMicros, toUtcIso } from './time';
import type { EventIdentity, EventName, Invoice } from './types';

/**
 * Where an invoice was when the trigger last looked: `new` (created since),
 * `processing` (new at an earlier poll and still in OCR then, not in W because
 * OCR had not yet filled what the filters look at), `waiting` / `rejected`
 * (in the watched set W), `outside` (none of these: approved, or not
 * matching the filters).
 */
export type Before = 'new' | 'processing' | 'waiting' | 'rejected' | 'outside';

/** Where it is now; `gone` is a 404 (deleted). */
export type After = 'waiting' | 'rejected' | 'approved' | 'gone';

export type HistoryAction = 'created' | 'updated' | 'approved' | 'rejected' | 'approval_removed' | 'processing_finished';

export interface Transition {
	event: EventName;
	from: readonly Before[];
	to: readonly After[];
	/**
	 * The history entry that is this transition (its newest one); null when
	 * BillOver keeps none (a deleted invoice has no history).
	 */
	history: HistoryAction | null;
}

/**
 * The transitions the trigger can report. Invoice Created is not in this
 * table: it is found by the creation cursor, not by watching W (its id comes
 * from the invoice's `created_at`, see `identify`).
 */
export const TRANSITIONS: readonly Transition[] = [
	{ event: 'invoice.approved', from: ['new', 'processing', 'waiting', 'rejected'], to: ['approved'], history: 'approved' },
	{ event: 'invoice.approval_removed', from: ['outside'], to: ['waiting', 'rejected'], history: 'approval_removed' },
	// From `outside`: approved at the last poll, then removed and rejected.
	{ event: 'invoice.rejected', from: ['new', 'processing', 'waiting', 'outside'], to: ['rejected'], history: 'rejected' },
	{ event: 'invoice.deleted', from: ['processing', 'waiting', 'rejected'], to: ['gone'], history: null },
];

interface HistoryEntry {
	action?: string;
	created_at?: string;
}

function history(invoice: Invoice | undefined): HistoryEntry[] {
	return Array.isArray(invoice?.history) ? (invoice.history as HistoryEntry[]) : [];
}

/** The newest entry of one of `actions` (history is oldest first; the newest time wins either way). */
function newestEntry(invoice: Invoice | undefined, actions: readonly string[]): HistoryEntry | undefined {
	let newest: HistoryEntry | undefined;
	for (const entry of history(invoice)) {
		if (!entry.action || !actions.includes(entry.action) || typeof entry.created_at !== 'string') continue;
		if (!newest || toMicros(entry.created_at) >= toMicros(newest.created_at as string)) newest = entry;
	}
	return newest;
}

/** The approval actions: the newest of them says whether an invoice was approved before its last change. */
const APPROVAL_SWITCHES: readonly HistoryAction[] = ['approved', 'approval_removed'];

/**
 * Whether an invoice found in W that was `outside` it at the last poll
 * came there from `approved`: the newest of its approvals and removals is a
 * removal, not older than `notBefore` (µs; undefined: any age). An invoice
 * that enters W because an update made the filters match it, or that was
 * created between the two lists a poll reads, did not.
 */
export function cameFromApproved(detail: Invoice, notBefore: number | undefined): boolean {
	const newest = newestEntry(detail, APPROVAL_SWITCHES);
	if (!newest || newest.action !== 'approval_removed') return false;
	return notBefore === undefined || toMicros(newest.created_at as string) >= notBefore;
}

const idOf = (event: EventName, uid: string, at: string | undefined) => (at === undefined ? `${event}:${uid}` : `${event}:${uid}:${toUtcIso(toMicros(at))}`);

/**
 * The identity of a transition, derived only from what BillOver keeps, so the
 * same transition gets the same id however often, and after whatever state
 * loss, it is reported: the history entry's time (a re-approval is a new
 * entry, so a new id); a creation's `created_at`; a deletion has none.
 */
export function identify(event: EventName, invoice: Invoice, detectedAt: string): EventIdentity {
	if (event === 'invoice.created') {
		return { event, event_id: idOf(event, invoice.uid, invoice.created_at), occurred_at: invoice.created_at };
	}
	const transition = TRANSITIONS.find((row) => row.event === event);
	const entry = transition?.history ? newestEntry(invoice, [transition.history]) : undefined;
	if (!entry) return { event, event_id: idOf(event, invoice.uid, undefined), occurred_at: detectedAt };
	return { event, event_id: idOf(event, invoice.uid, entry.created_at), occurred_at: entry.created_at as string };
}

/** The order of events in one poll: when they happened, then creation before later transitions, then uid. */
export const EVENT_ORDER: readonly EventName[] = ['invoice.created', 'invoice.rejected', 'invoice.approved', 'invoice.approval_removed', 'invoice.deleted'];
