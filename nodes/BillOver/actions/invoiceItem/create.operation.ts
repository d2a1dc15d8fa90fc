import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createItem } from '../../shared/endpoints';
import { invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';
import { itemFieldOptions, readItemBody } from './fields';

const properties: INodeProperties[] = [
	invoiceLocator,
	{
		displayName: 'Item Fields',
		name: 'itemFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields of the new item; fields not given stay empty',
		options: itemFieldOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['invoiceItem'], operation: ['create'] } }, properties);

/** POST /v1/invoices/{uid}/items/. Not repeated on an unclear failure, so an item is never added twice. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceUid = readInvoiceUid(this, itemIndex);
	const body = readItemBody(this, itemIndex, 'itemFields', 'Item Fields');
	return [{ json: await createItem(this, invoiceUid, body, itemIndex) }];
}
