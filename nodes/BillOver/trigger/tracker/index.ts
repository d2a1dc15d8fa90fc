export type { Answer, EmitWhen, EventName, Need, OutboxEntry, PendingInvoice, RejectedSet, Rotation, TrackerEvent, TrackerState, WatchFilters } from './types';
export { cameFromApproved, identify } from './events';
export { filterQuery } from './filters';
export { UNDECIDED, track } from './track';
export { nextOutbox, replay } from './outbox';
