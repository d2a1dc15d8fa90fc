import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { downloadInvoiceFile, getInvoice } from '../../shared/endpoints';
import { fileItem, readBinaryPropertyName } from '../../shared/binary';
import { binaryPropertyOutput, invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';

const properties: INodeProperties[] = [
	invoiceLocator,
	binaryPropertyOutput('The name of the output binary field to put the invoice file in'),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['downloadFile'] } }, properties);

/**
 * GET /v1/invoices/{uid} for the file URL, then the file from the storage
 * host, without the API key (docs/API.md, Invoice file), streamed into n8n's
 * binary data.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	const binaryPropertyName = readBinaryPropertyName(this, itemIndex, 'Put Output File in Field');
	const invoice = await getInvoice(this, uid, itemIndex);
	const file = await downloadInvoiceFile(this, invoice, itemIndex);
	// The link too: an AI agent's tool result keeps no binary, and a model can pass a link on.
	return [fileItem(binaryPropertyName, file, { uid: invoice.uid, hf_id: invoice.hf_id, file_url: invoice.file ?? null })];
}
