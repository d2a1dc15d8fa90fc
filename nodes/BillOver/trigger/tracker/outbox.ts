/**
 * Redelivery after a restart. n8n saves a poll's state when the poll emits,
 * without waiting and not together with the execution it starts: if n8n
 * dies after the save and before that execution has done its work, the
 * events are lost with the execution (n8n marks it "crashed" and does not
 * run it again). With "Redeliver After Restart" the trigger keeps the ids of
 * what it emitted in the last 3 minutes (the outbox) and emits those again on
 * its first poll in a new n8n process: at least once instead of at most
 * once, the repeats recognizable by their unchanged `event_id`.
 */
import type { EventIdentity, Invoice, Need, OutboxEntry, TrackerEvent } from './types';

/**
 * How long an emitted event stays in the outbox, counted back from the
 * newest emission (the outbox is saved with the state when a poll emits):
 * longer than an execution of it takes.
 */
export const REDELIVERY_WINDOW_MS = 3 * 60_000;
/** At most this many entries (the newest). */
export const OUTBOX_LIMIT = 500;

/** The outbox after a poll at `now` emitted `events`. */
export function nextOutbox(outbox: readonly OutboxEntry[], events: readonly TrackerEvent[], now: number): OutboxEntry[] {
	const kept = outbox.filter((entry) => entry.emittedAt >= now - REDELIVERY_WINDOW_MS);
	const added = events.map(({ identity, invoice }): OutboxEntry => ({ eventId: identity.event_id, event: identity.event, uid: invoice.uid, occurredAt: identity.occurred_at, emittedAt: now }));
	const ids = new Set(added.map((entry) => entry.eventId));
	return [...kept.filter((entry) => !ids.has(entry.eventId)), ...added].slice(-OUTBOX_LIMIT);
}

/**
 * The outbox's events again, with the identity they had and each invoice as
 * it is now (its detail). A deletion is sent again with the uid only; an
 * event about an invoice that has since been deleted is not sent again:
 * there is nothing left to deliver (no data, no file).
 */
export function* replay(outbox: readonly OutboxEntry[]): Generator<Need, TrackerEvent[], unknown> {
	const events: TrackerEvent[] = [];
	const details = new Map<string, Invoice | null>();
	for (const { eventId, event, uid, occurredAt } of outbox) {
		const identity: EventIdentity = { event, event_id: eventId, occurred_at: occurredAt };
		if (event === 'invoice.deleted') {
			events.push({ identity, invoice: { uid } as Invoice, gone: true });
			continue;
		}
		if (!details.has(uid)) details.set(uid, (yield { kind: 'invoice', uid } as Need) as Invoice | null);
		const detail = details.get(uid);
		if (detail) events.push({ identity, invoice: detail, detail });
	}
	return events;
}
