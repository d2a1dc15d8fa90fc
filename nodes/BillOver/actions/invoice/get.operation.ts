import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInvoiceUid } from '../../helpers/invoiceId';
import { fetchInvoice } from '../../helpers/invoices';
import { invoiceLocator } from '../common.descriptions';

const properties: INodeProperties[] = [invoiceLocator];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

/** GET /v1/invoices/{uid}: the detail object (items, file URL, history, …). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return [{ json: await fetchInvoice(this, readInvoiceUid(this, itemIndex), itemIndex) }];
}
