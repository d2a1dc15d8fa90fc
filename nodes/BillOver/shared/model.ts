/**
 * The API's data as the nodes and the tracker read it: plain types and
 * constants, no n8n, no HTTP (docs/API.md, Listing and Values).
 */

/** `page_size` the list endpoint accepts at most. */
export const MAX_PAGE_SIZE = 100;

/** The fields of an invoice the trigger reads (list or detail object). */
export interface Invoice {
	uid: string;
	created_at: string;
	approvement_status: string;
	processing_status: string;
	company?: { uid?: string | null } | null;
	payment_type?: string | null;
	card?: { uid?: string | null } | null;
	[key: string]: unknown;
}

/** One page of `GET /v1/invoices/`. */
export interface ListPage<T = Invoice> {
	count: number;
	page_count: number;
	results: T[];
}

/** A list query: the API's filter keys; arrays are repeated keys. */
export type Query = Record<string, string | string[]>;

/** Permission flags of an invoice (docs/API.md, State and permissions). */
export type PermissionName = 'can_update' | 'can_delete' | 'can_approve' | 'can_reject' | 'can_remove_approval';
