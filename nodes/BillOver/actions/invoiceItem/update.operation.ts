import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInvoiceUid } from '../../helpers/invoiceId';
import { apiRequest } from '../../transport';
import { invoiceLocator } from '../common.descriptions';
import { itemFieldOptions, itemFields, readItemBody, readItemUid } from './fields';

const properties: INodeProperties[] = [
	invoiceLocator,
	...itemFields,
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
	const response = await apiRequest.call(this, {
		method: 'PUT',
		path: `/v1/invoices/${invoiceUid}/items/${itemUid}`,
		kind: 'update',
		body,
		subject: { invoiceUid, itemUid, permission: 'can_update', action: 'change the items of' },
		itemIndex,
	});
	return [{ json: response.body as IDataObject }];
}
