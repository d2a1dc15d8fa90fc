import { MAX_PAGE_SIZE as PAGE_SIZE } from '../../shared/model';
import { isAfter, isBefore } from './cursor';
import { toMicros } from './time';
import type { Answer, Cursor, Invoice, ListPage, Need, Query } from './types';
const MAX_RESTARTS = 3;

export interface WalkResult {
	/** Invoices created after the cursor, newest first, each once. */
	fresh: Invoice[];
	/** Every invoice on the pages read (fresh or older), by uid, as last seen. */
	seen: Map<string, Invoice>;
	/** The last page read and whether the list goes on after it. */
	lastPage: number;
	more: boolean;
}

/** What a read of the list, newest first, does with each page. */
interface PageVisitor<T> {
	/** Takes a page; answers whether to read on. */
	visit(answer: ListPage): boolean;
	result(lastPage: number, more: boolean): T;
}

/**
 * Reads the list newest first, page by page, as long as `visitor` wants.
 * New invoices arriving meanwhile push later pages down (an invoice is then
 * seen twice); deletions pull them up and could hide one, so when the list's
 * `count` shrinks between two pages the read starts over with a new visitor.
 */
function* newestFirst<T>(query: Query, start: () => PageVisitor<T>): Generator<Need, T, Answer> {
	for (let restarts = 0; ; restarts++) {
		const visitor = start();
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
			more = page < answer.page_count && answer.results.length > 0;
			if (!visitor.visit(answer) || !more) break;
		}
		if (!shrank) return visitor.result(lastPage, more);
		if (restarts >= MAX_RESTARTS) {
			throw new Error('Invoices kept disappearing from the list while it was read; the next poll will try again');
		}
	}
}

/**
 * The invoices created after the cursor: the list newest first until it
 * reaches older ones, ⌈k/100⌉ pages for k new invoices (one more when the
 * k-th is the last of a page); an invoice seen twice counts once.
 */
export function walkNew(query: Query, cursor: Cursor): Generator<Need, WalkResult, Answer> {
	return newestFirst(query, () => {
		const seen = new Map<string, Invoice>();
		const fresh = new Map<string, Invoice>();
		return {
			visit(answer) {
				let reachedOlder = false;
				for (const invoice of answer.results) {
					seen.set(invoice.uid, invoice);
					if (isAfter(invoice, cursor)) fresh.set(invoice.uid, invoice);
					else if (isBefore(invoice, cursor)) reachedOlder = true;
				}
				return !reachedOlder;
			},
			result: (lastPage, more) => ({ fresh: [...fresh.values()], seen, lastPage, more }),
		};
	});
}

/** Every page of a list (the invoices awaiting a decision), by uid. */
export function* readAll(query: Query): Generator<Need, Map<string, Invoice>, Answer> {
	const all = new Map<string, Invoice>();
	for (let page = 1; ; page++) {
		const answer = (yield { kind: 'page', query, page, pageSize: PAGE_SIZE }) as ListPage | null;
		if (!answer) break;
		for (const invoice of answer.results) all.set(invoice.uid, invoice);
		if (page >= answer.page_count || answer.results.length === 0) break;
	}
	return all;
}

/**
 * Where "now" is, for a first activation: every invoice created at the
 * newest instant. Usually the first page; when more than a page of invoices
 * share that instant (a bulk import), the pages that hold them all, so none
 * of them looks new afterwards.
 */
export function newestInstant(query: Query): Generator<Need, Invoice[], Answer> {
	return newestFirst(query, () => {
		const newest = new Map<string, Invoice>();
		let top: number | undefined;
		return {
			visit(answer) {
				let older = false;
				for (const invoice of answer.results) {
					const at = toMicros(invoice.created_at);
					top ??= at;
					if (at === top) newest.set(invoice.uid, invoice);
					else if (at < top) older = true;
				}
				return !older;
			},
			result: () => [...newest.values()],
		};
	});
}
