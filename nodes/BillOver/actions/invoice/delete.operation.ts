import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deleteInvoice } from '../../shared/endpoints';
import { invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';

const properties: INodeProperties[] = [invoiceLocator];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['delete'] } }, properties);

/** DELETE /v1/invoices/{uid}. Approved invoices cannot be deleted (403). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	await deleteInvoice(this, uid, itemIndex);
	return [{ json: { deleted: true, uid } }];
}
