import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInvoiceUid } from '../../helpers/invoiceId';
import { apiRequest } from '../../transport';
import { invoiceLocator } from '../common.descriptions';

const properties: INodeProperties[] = [invoiceLocator];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['delete'] } }, properties);

/** DELETE /v1/invoices/{uid}. Approved invoices cannot be deleted (403). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	await apiRequest.call(this, {
		method: 'DELETE',
		path: `/v1/invoices/${uid}`,
		kind: 'delete',
		subject: { invoiceUid: uid, permission: 'can_delete', action: 'delete' },
		itemIndex,
	});
	return [{ json: { deleted: true, uid } }];
}
