export type { After, Before, EventIdentity, EventName, Transition } from './events';
export { TRANSITIONS, cameFromApproved, identify } from './events';
export { filterQuery, hasFilters, matchesFilters } from './filters';
export type { EmitWhen, TrackerState, TrackOptions } from './track';
export { CLOCK_MARGIN_MS, UNDECIDED, byOccurrence, track } from './track';
export type { Answer, Cursor, ListPage, Need, Query, TrackedInvoice, Tracker, TrackerEvent, TrackerResult, WatchFilters } from './types';
export { PAGE_SIZE } from './walk';
export type { OutboxEntry } from './outbox';
export { OUTBOX_LIMIT, REDELIVERY_WINDOW_MS, nextOutbox, replay } from './outbox';
