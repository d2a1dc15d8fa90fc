import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getInvoice, listInvoices } from '../../shared/endpoints';
import { limitFields, listFilters, simplifyField } from '../../shared/descriptions';
import { readListFilters } from '../../shared/filters';
import { readLimit } from '../../shared/parameters';
import { simplifyInvoice, simplifyInvoiceDetail } from '../../shared/simplify';
import { mapBounded } from '../../transport';

/** Details read at a time for "Include Details". */
export const DETAIL_CONCURRENCY = 4;

const properties: INodeProperties[] = [
	...limitFields,
	listFilters,
	{
		displayName: 'Include Details',
		name: 'includeDetails',
		type: 'boolean',
		default: false,
		description:
			"Whether to read each invoice's detail (items, file URL, history, payment type, card): one more request per invoice, a few at a time",
	},
	simplifyField,
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getMany'] } }, properties);

/**
 * GET /v1/invoices/ with the filters, newest first, as many pages as the
 * limit needs; with "Include Details", then each invoice's detail, a few at a
 * time, in list order (⌈N/100⌉ + N requests).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : readLimit(this, itemIndex);
	const filters = readListFilters(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const includeDetails = this.getNodeParameter('includeDetails', itemIndex, false) as boolean;
	const { results } = await listInvoices(this, filters, { limit, itemIndex });
	if (!includeDetails) return results.map((invoice: IDataObject) => ({ json: simplify ? simplifyInvoice(invoice) : invoice }));
	const details = await mapBounded(results, DETAIL_CONCURRENCY, async (invoice: IDataObject) => await getInvoice(this, String(invoice.uid), itemIndex), { stopOnError: true });
	const failed = details.find((outcome) => outcome && !outcome.ok);
	if (failed && !failed.ok) throw failed.error;
	return details.map((outcome) => {
		const detail = (outcome as { value: IDataObject }).value;
		return { json: simplify ? simplifyInvoiceDetail(detail) : detail };
	});
}
