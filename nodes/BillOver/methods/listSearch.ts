import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { UUID_REGEX } from '../schemas/common';
import { getInvoice, listPage } from '../shared/endpoints';

const SEARCH_PAGE_SIZE = 50;

function label(invoice: IDataObject): string {
	const company = (invoice.company as IDataObject | null)?.name;
	// What tells invoices apart first: the picker cuts long labels off at the end.
	const parts = [
		invoice.hf_id,
		invoice.approvement_status,
		invoice.total_price ? `${String(invoice.total_price)} ${String(invoice.currency ?? '')}`.trim() : undefined,
		company ?? (invoice.processing_status === 'processing' ? 'processing…' : 'no company'),
		invoice.invoice_date,
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
	const body = await listPage(this, qs, page, SEARCH_PAGE_SIZE);
	if (!body) return { results: [] };
	return {
		results: body.results.map((invoice) => ({
			name: label(invoice),
			value: String(invoice.uid),
		})),
		paginationToken: page < body.page_count ? String(page + 1) : undefined,
	};
}

const UUID_ANYWHERE = new RegExp(UUID_REGEX);

/** The UID in the "Invoice" locator as the editor holds it (any mode), or undefined. */
function chosenInvoiceUid(locator: unknown): string | undefined {
	const raw = locator && typeof locator === 'object' ? (locator as IDataObject).value : locator;
	if (typeof raw !== 'string') return undefined;
	const found = UUID_ANYWHERE.exec(raw);
	return found ? found[0].toLowerCase() : undefined;
}

const UNIT_NAMES: Record<string, string> = { k: 'kg', p: 'pcs', m: 'm', l: 'l' };

function itemLabel(item: IDataObject): string {
	const quantity = item.quantity === null || item.quantity === undefined ? undefined : `${Number(item.quantity)} ${UNIT_NAMES[String(item.unit)] ?? ''}`.trim();
	return [item.name || '(no name)', quantity, item.total_price ?? undefined].filter((part) => part !== undefined && part !== '').join(' · ');
}

/**
 * The "From List" mode of the item picker: the items of the invoice chosen
 * above (its detail), filtered by name or description as the user types.
 */
export async function searchInvoiceItems(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const uid = chosenInvoiceUid(this.getCurrentNodeParameter('invoiceId'));
	if (!uid) {
		throw new NodeOperationError(this.getNode(), 'Choose the invoice first', { description: 'The list shows the items of the invoice chosen in "Invoice".' });
	}
	const invoice = await getInvoice(this, uid);
	const needle = (filter ?? '').trim().toLowerCase();
	const items = (invoice.items as IDataObject[] | undefined) ?? [];
	return {
		results: items
			.filter((item) => !needle || [item.name, item.description].some((text) => typeof text === 'string' && text.toLowerCase().includes(needle)))
			.map((item) => ({ name: itemLabel(item), value: String(item.uid) })),
	};
}
