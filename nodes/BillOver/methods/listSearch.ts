import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ListPage } from '../transport';
import { fetchPage } from '../transport';

const SEARCH_PAGE_SIZE = 50;

function label(invoice: IDataObject): string {
	const company = (invoice.company as IDataObject | null)?.name;
	const parts = [
		invoice.hf_id,
		company ?? (invoice.processing_status === 'processing' ? 'processing…' : 'no company'),
		invoice.total_price ? `${String(invoice.total_price)} ${String(invoice.currency ?? '')}`.trim() : undefined,
		invoice.invoice_date,
		invoice.approvement_status,
	];
	return parts.filter((part) => part !== undefined && part !== null && part !== '').join(' · ');
}

/**
 * The "From List" mode of the invoice picker: the list endpoint, newest first,
 * searched with its `query` (invoice number, company, items, HF-ID …),
 * one page per call; n8n asks for the next page with the token.
 */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = paginationToken ? Number(paginationToken) : 1;
	const qs = filter && filter.trim() ? { query: filter.trim() } : {};
	const body = (await fetchPage.call(this, '/v1/invoices/', qs, page, SEARCH_PAGE_SIZE)) as ListPage | undefined;
	if (!body) return { results: [] };
	return {
		results: body.results.map((invoice) => ({
			name: label(invoice),
			value: String(invoice.uid),
		})),
		paginationToken: page < body.page_count ? String(page + 1) : undefined,
	};
}
