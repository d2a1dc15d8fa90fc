import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { updateItem } from '../../shared/endpoints';
import { invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';
import { itemFieldOptions, itemLocator, readItemBody, readItemUid } from './fields';

const properties: INodeProperties[] = [
	invoiceLocator,
	itemLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: itemFieldOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['invoiceItem'], operation: ['update'] } }, properties);

/** PUT /v1/invoices/{uid}/items/{item_uid} with the fields given; the others stay as they are. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceUid = readInvoiceUid(this, itemIndex);
	const itemUid = readItemUid(this, itemIndex);
	const body = readItemBody(this, itemIndex, 'updateFields', 'Update Fields');
	return [{ json: await updateItem(this, invoiceUid, itemUid, body, itemIndex) }];
}
