import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInvoiceUid } from '../../helpers/invoiceId';
import { apiRequest } from '../../transport';
import { invoiceLocator } from '../common.descriptions';
import { itemFields, readItemUid } from './fields';

const properties: INodeProperties[] = [invoiceLocator, ...itemFields];

export const description = updateDisplayOptions({ show: { resource: ['invoiceItem'], operation: ['delete'] } }, properties);

/** DELETE /v1/invoices/{uid}/items/{item_uid}. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceUid = readInvoiceUid(this, itemIndex);
	const itemUid = readItemUid(this, itemIndex);
	await apiRequest.call(this, {
		method: 'DELETE',
		path: `/v1/invoices/${invoiceUid}/items/${itemUid}`,
		kind: 'delete',
		subject: { invoiceUid, itemUid, permission: 'can_update', action: 'change the items of' },
		itemIndex,
	});
	return [{ json: { deleted: true, uid: itemUid, invoice_uid: invoiceUid } }];
}
