import { isAfter, isBefore } from './cursor';
import type { Answer, Cursor, ListPage, Need, Query, TrackedInvoice } from './types';

export const PAGE_SIZE = 100;
const MAX_RESTARTS = 3;

export interface WalkResult {
	/** Invoices created after the cursor, newest first, each once. */
	fresh: TrackedInvoice[];
	/** Every invoice on the pages read (fresh or older), by uid, as last seen. */
	seen: Map<string, TrackedInvoice>;
	/** The last page read and whether the list goes on after it. */
	lastPage: number;
	more: boolean;
}

/**
 * Reads the list newest first until it reaches invoices older than the
 * cursor: ⌈k/100⌉ pages for k new invoices (one more when the k-th is the last
 * of a page). New invoices arriving meanwhile push later pages down (an
 * invoice seen twice counts once); deletions pull them up and could hide one,
 * so when the list's `count` shrinks between two pages the walk starts over.
 */
export function* walkNew(query: Query, cursor: Cursor): Generator<Need, WalkResult, Answer> {
	for (let restarts = 0; ; restarts++) {
		const seen = new Map<string, TrackedInvoice>();
		const fresh = new Map<string, TrackedInvoice>();
		let previousCount: number | undefined;
		let shrank = false;
		let lastPage = 0;
		let more = false;
		for (let page = 1; ; page++) {
			const answer = (yield { kind: 'page', query, page, pageSize: PAGE_SIZE }) as ListPage | null;
			if (!answer) break;
			lastPage = page;
			if (previousCount !== undefined && answer.count < previousCount) {
				shrank = true;
				break;
			}
			previousCount = answer.count;
			let reachedOlder = false;
			for (const invoice of answer.results) {
				seen.set(invoice.uid, invoice);
				if (isAfter(invoice, cursor)) fresh.set(invoice.uid, invoice);
				else if (isBefore(invoice, cursor)) reachedOlder = true;
			}
			more = page < answer.page_count && answer.results.length > 0;
			if (reachedOlder || !more) break;
		}
		if (!shrank) return { fresh: [...fresh.values()], seen, lastPage, more };
		if (restarts >= MAX_RESTARTS) {
			throw new Error('Invoices kept disappearing from the list while it was read; the next poll will try again');
		}
	}
}

/** Every page of a list (the invoices awaiting a decision), by uid. */
export function* readAll(query: Query): Generator<Need, Map<string, TrackedInvoice>, Answer> {
	const all = new Map<string, TrackedInvoice>();
	for (let page = 1; ; page++) {
		const answer = (yield { kind: 'page', query, page, pageSize: PAGE_SIZE }) as ListPage | null;
		if (!answer) break;
		for (const invoice of answer.results) all.set(invoice.uid, invoice);
		if (page >= answer.page_count || answer.results.length === 0) break;
	}
	return all;
}

/** The first page, for a first activation: where "now" is. */
export function* firstPage(query: Query): Generator<Need, TrackedInvoice[], Answer> {
	const answer = (yield { kind: 'page', query, page: 1, pageSize: PAGE_SIZE }) as ListPage | null;
	return answer ? answer.results : [];
}
