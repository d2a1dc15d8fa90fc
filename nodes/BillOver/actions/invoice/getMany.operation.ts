import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readListFilters } from '../../helpers/filters';
import { simplifyInvoice } from '../../helpers/simplify';
import { readLimit } from '../../helpers/limit';
import { paginate } from '../../transport';
import { listFilters } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	listFilters,
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['getMany'] } }, properties);

/** GET /v1/invoices/ with the filters, newest first, as many pages as the limit needs. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : readLimit(this, itemIndex);
	const filters = readListFilters(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const { results } = await paginate.call(this, '/v1/invoices/', filters, { limit, itemIndex });
	return results.map((invoice: IDataObject) => ({ json: simplify ? simplifyInvoice(invoice) : invoice }));
}
