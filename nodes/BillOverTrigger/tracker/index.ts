export type { ApprovedState } from './approved';
export { trackApprovals, UNDECIDED } from './approved';
export type { CreatedOptions, CreatedState, EmitWhen } from './created';
export { trackCreations } from './created';
export { filterQuery, hasFilters, matchesFilters } from './filters';
export type { Answer, Cursor, ListPage, Need, Query, TrackedInvoice, Tracker, TrackerEvent, TrackerResult, WatchFilters } from './types';
export { PAGE_SIZE } from './walk';
