import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInvoiceUid } from '../../helpers/invoiceId';
import { apiRequest } from '../../transport';
import { invoiceLocator } from '../common.descriptions';

const properties: INodeProperties[] = [invoiceLocator];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

/** GET /v1/invoices/{uid}: the detail object (items, file URL, history, …). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	const { body } = await apiRequest.call(this, {
		method: 'GET',
		path: `/v1/invoices/${uid}`,
		kind: 'read',
		subject: { invoiceUid: uid },
		itemIndex,
	});
	return [{ json: body as IDataObject }];
}
