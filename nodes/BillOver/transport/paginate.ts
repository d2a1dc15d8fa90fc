/**
 * Walking a paged list endpoint: `page` is 1-based, `page_size` bounded by
 * the API, the answer says `count`, `page_count` and `results` (Django REST
 * Framework's page-number pagination). We stop at `page_count`, at an empty
 * page, or as soon as the caller's limit is reached: no page is fetched that
 * is not needed (unless results deleted meanwhile shrink `page_count` while
 * later pages are already on their way).
 */
import type { IDataObject } from 'n8n-workflow';

import type { BillOverContext } from './credential';
import type { QueryValue } from './request';
import { mapBounded } from './concurrency';
import { apiRequest } from './request';

export interface Page<T = IDataObject> {
	count: number;
	page_count: number;
	results: T[];
}

export interface PaginateOptions {
	/** Results per page (the API's maximum, to make the fewest requests). */
	pageSize: number;
	/** Stop after this many results; undefined = all. */
	limit?: number;
	itemIndex?: number;
}

export interface PaginateResult<T> {
	results: T[];
	/** Pages requested (for tests and benchmarks). */
	pages: number;
	/** The API's `count` from the first page. */
	total: number;
}

/** One page of a list endpoint; `undefined` when the page is past the end (404 "Invalid page."). */
export async function fetchPage<T = IDataObject>(
	this: BillOverContext,
	path: string,
	qs: Record<string, QueryValue>,
	page: number,
	pageSize: number,
	itemIndex?: number,
): Promise<Page<T> | undefined> {
	const response = await apiRequest.call(this, {
		method: 'GET',
		path,
		qs: { ...qs, page, page_size: pageSize },
		acceptStatuses: page > 1 ? [404] : undefined,
		itemIndex,
	});
	if (response.status === 404) return undefined;
	return response.body as Page<T>;
}

/**
 * Pages fetched at the same time once the first page has told how many there
 * are. Bounded, so a Return All over thousands of results never opens more
 * than this many requests at once.
 */
export const DEFAULT_PAGE_CONCURRENCY = 4;

let pageConcurrency = DEFAULT_PAGE_CONCURRENCY;

/**
 * Changes how many pages are fetched at once for this process (tests and the
 * benchmark compare with 1, one page after another; n8n itself always runs with
 * the default). Returns the previous value so it can be restored.
 */
export function configurePageConcurrency(next: number): number {
	const previous = pageConcurrency;
	pageConcurrency = Math.max(1, Math.floor(next));
	return previous;
}

/**
 * All results (or the first `limit`) of a list endpoint, in its order.
 *
 * The first page says `page_count`; the pages the caller still needs (all of
 * them, or as many as the limit needs) are then fetched a few at a time, and
 * taken in page order: the same pages, results and order as a walk one page
 * after another. Results created or deleted while we page shift later pages;
 * a result seen twice (by its `uid`) is returned once (and, with a limit, the walk goes on to
 * make up for it), and a page that vanished (404) or came back empty ends the
 * walk.
 */
export async function paginate<T extends IDataObject = IDataObject>(
	this: BillOverContext,
	path: string,
	qs: Record<string, QueryValue>,
	{ pageSize: maxPageSize, limit, itemIndex }: PaginateOptions,
): Promise<PaginateResult<T>> {
	const pageSize = limit === undefined ? maxPageSize : Math.max(1, Math.min(maxPageSize, limit));
	const results: T[] = [];
	const seen = new Set<unknown>();
	let pages = 0;
	/** The `page_count` of the last page taken. */
	let pageCount = 1;

	/** Takes one page's results; false when the walk is over. */
	const take = (page: number, body: Page<T> | undefined): boolean => {
		if (!body) return false;
		for (const result of body.results) {
			if (result.uid !== undefined) {
				if (seen.has(result.uid)) continue;
				seen.add(result.uid);
			}
			results.push(result);
			if (limit !== undefined && results.length >= limit) return false;
		}
		pageCount = body.page_count;
		return page < body.page_count && body.results.length > 0;
	};

	const fetchOne = async (page: number) => (await fetchPage.call(this, path, qs, page, pageSize, itemIndex)) as Page<T> | undefined;
	const first = await fetchOne(1);
	pages++;
	let going = take(1, first);
	for (let next = 2; going; ) {
		// The pages still needed: all of them, or as many as the rest of the limit needs if no result repeats.
		const last = limit === undefined ? pageCount : Math.min(pageCount, next - 1 + Math.ceil((limit - results.length) / pageSize));
		const batch = Array.from({ length: Math.max(0, last - next + 1) }, (_, index) => next + index);
		if (batch.length === 0) break;
		const outcomes = await mapBounded(batch, pageConcurrency, fetchOne, { stopOnError: true });
		pages += outcomes.filter((outcome) => outcome !== undefined).length;
		// In page order, as a walk one page after another would take them.
		for (let index = 0; index < batch.length && going; index++) {
			const outcome = outcomes[index];
			if (!outcome) break;
			if (!outcome.ok) throw outcome.error;
			going = take(batch[index], outcome.value);
		}
		next = last + 1;
	}
	return { results, pages, total: first?.count ?? 0 };
}
