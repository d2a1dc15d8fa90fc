import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { downloadInvoiceFile, getInvoice } from '../../shared/endpoints';
import { readBinaryPropertyName } from '../../shared/binary';
import { binaryPropertyOutput, invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';

const properties: INodeProperties[] = [
	invoiceLocator,
	{
		displayName: 'Download File',
		name: 'downloadFile',
		type: 'boolean',
		default: false,
		description: 'Whether to attach the original invoice file as binary data (fetched from the storage host, without the API key)',
	},
	{
		...binaryPropertyOutput('The name of the output binary field to put the invoice file in'),
		displayOptions: { show: { downloadFile: [true] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['get'] } }, properties);

/** GET /v1/invoices/{uid}: the detail object (items, file URL, history, …); with "Download File", its file too. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	const downloadFile = this.getNodeParameter('downloadFile', itemIndex, false) as boolean;
	const binaryPropertyName = downloadFile ? readBinaryPropertyName(this, itemIndex, 'Put Output File in Field') : undefined;
	const invoice = await getInvoice(this, uid, itemIndex);
	if (!binaryPropertyName) return [{ json: invoice }];
	const file = await downloadInvoiceFile(this, invoice, itemIndex);
	return [{ json: invoice, binary: { [binaryPropertyName]: file.binary } }];
}
