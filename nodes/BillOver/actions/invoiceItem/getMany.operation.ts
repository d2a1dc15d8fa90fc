import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getInvoice } from '../../shared/endpoints';
import { invoiceLocator, limitFields, simplifyField } from '../../shared/descriptions';
import { readInvoiceUid, readLimit } from '../../shared/parameters';
import { simplifyInvoiceItem } from '../../shared/simplify';

const properties: INodeProperties[] = [invoiceLocator, ...limitFields, simplifyField];

export const description = updateDisplayOptions({ show: { resource: ['invoiceItem'], operation: ['getMany'] } }, properties);

/**
 * The lines of an invoice: GET /v1/invoices/{uid} (the API lists items only
 * in the detail), one output item per line, each with the invoice's uid.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const invoiceUid = readInvoiceUid(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : readLimit(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const invoice = await getInvoice(this, invoiceUid, itemIndex);
	const lines = (Array.isArray(invoice.items) ? (invoice.items as IDataObject[]) : []).slice(0, limit);
	return lines.map((line) => ({ json: simplify ? simplifyInvoiceItem(line, invoice) : { ...line, invoice_uid: invoice.uid } }));
}
