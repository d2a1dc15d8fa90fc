/**
 * Walking the list endpoint's pages (CONTRACT.md, Listing): `page` is 1-based,
 * `page_size` at most 100, the answer says `page_count`. We stop at
 * `page_count`, at an empty page, or as soon as the caller's limit is reached:
 * no page is fetched that is not needed.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BillOverContext } from './credential';
import type { QueryValue } from './request';
import { apiRequest } from './request';

export const MAX_PAGE_SIZE = 100;

export interface ListPage<T = IDataObject> {
	count: number;
	page_count: number;
	page_size: number;
	results: T[];
}

export interface PaginateOptions {
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

/** One page of the list endpoint; `undefined` when the page is past the end (404 "Invalid page."). */
export async function fetchPage<T = IDataObject>(
	this: BillOverContext,
	path: string,
	qs: Record<string, QueryValue>,
	page: number,
	pageSize: number,
	itemIndex?: number,
): Promise<ListPage<T> | undefined> {
	const response = await apiRequest.call(this, {
		method: 'GET',
		path,
		kind: 'read',
		qs: { ...qs, page, page_size: pageSize },
		acceptStatuses: page > 1 ? [404] : undefined,
		itemIndex,
	});
	if (response.status === 404) return undefined;
	return response.body as ListPage<T>;
}

/**
 * All results (or the first `limit`) of a list endpoint, newest first.
 * Invoices created or deleted while we page shift later pages; a result seen
 * twice is returned once, and a page that vanished (404) ends the walk.
 */
export async function paginate<T extends IDataObject = IDataObject>(
	this: BillOverContext,
	path: string,
	qs: Record<string, QueryValue>,
	{ limit, itemIndex }: PaginateOptions = {},
): Promise<PaginateResult<T>> {
	const pageSize = limit === undefined ? MAX_PAGE_SIZE : Math.max(1, Math.min(MAX_PAGE_SIZE, limit));
	const results: T[] = [];
	const seen = new Set<unknown>();
	let pages = 0;
	let total = 0;
	for (let page = 1; ; page++) {
		const body = await fetchPage.call(this, path, qs, page, pageSize, itemIndex);
		pages++;
		if (!body) break;
		if (page === 1) total = body.count;
		for (const result of body.results as T[]) {
			if (result.uid !== undefined) {
				if (seen.has(result.uid)) continue;
				seen.add(result.uid);
			}
			results.push(result);
			if (limit !== undefined && results.length >= limit) return { results, pages, total };
		}
		if (page >= body.page_count || body.results.length === 0) break;
	}
	return { results, pages, total };
}
