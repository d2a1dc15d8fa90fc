/** The transport: HTTP with the credential, retries, errors and pagination; no endpoint, no API rule. */
export type { ErrorDescription } from './errors';
export type { BillOverContext } from './credential';
export { mapBounded } from './concurrency';
export { DEFAULT_PAGE_CONCURRENCY, configurePageConcurrency, fetchPage, paginate } from './paginate';
export type { QueryValue, Receiver } from './request';
export { apiRequest, downloadWithoutCredential } from './request';
export type { Headers } from './response';
export { fileNameFromDisposition, fileNameFromUrl, mimeTypeOf } from './response';
export { configureRetryTiming } from './retry';
export type { LimiterSettings } from './limiter';
export { DEFAULT_CEILING, useLimiter } from './limiter';
