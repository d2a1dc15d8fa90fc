import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deleteItem } from '../../shared/endpoints';
import { invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';
import { itemLocator, readItemUid } from './fields';

const properties: INodeProperties[] = [invoiceLocator, itemLocator];

export const description = updateDisplayOptions({ show: { resource: ['invoiceItem'], operation: ['delete'] } }, properties);

/** DELETE /v1/invoices/{uid}/items/{item_uid}. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceUid = readInvoiceUid(this, itemIndex);
	const itemUid = readItemUid(this, itemIndex);
	await deleteItem(this, invoiceUid, itemUid, itemIndex);
	return [{ json: { deleted: true, uid: itemUid, invoice_uid: invoiceUid } }];
}
