import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { fileItem, readBinaryPropertyName } from '../../helpers/binary';
import { readInvoiceUid } from '../../helpers/invoiceId';
import { fetchInvoice } from '../../helpers/invoices';
import { downloadWithoutCredential, fileNameFromDisposition, fileNameFromUrl, mimeTypeOf } from '../../transport';
import { binaryPropertyOutput, invoiceLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	invoiceLocator,
	binaryPropertyOutput('The name of the output binary field to put the invoice file in'),
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['downloadFile'] } }, properties);

/**
 * GET /v1/invoices/{uid} for the file URL, then the file from the storage
 * host, without the API key (CONTRACT.md, Invoice file).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	const binaryPropertyName = readBinaryPropertyName(this, itemIndex, 'Put Output File in Field');
	const invoice = await fetchInvoice(this, uid, itemIndex);
	const fileUrl = invoice.file;
	if (typeof fileUrl !== 'string' || fileUrl === '') {
		throw new NodeOperationError(this.getNode(), `Invoice ${uid} has no file to download`, {
			itemIndex,
			description: 'BillOver answered with no file URL for this invoice.',
		});
	}
	const file = await downloadWithoutCredential.call(this, fileUrl, { invoiceUid: uid }, itemIndex);
	const item = await fileItem(
		this,
		binaryPropertyName,
		{
			bytes: file.body,
			fileName: fileNameFromDisposition(file.headers['content-disposition']) ?? fileNameFromUrl(fileUrl) ?? `${String(invoice.hf_id ?? uid)}.pdf`,
			mimeType: mimeTypeOf(file.headers['content-type']),
		},
		{ uid: invoice.uid, hf_id: invoice.hf_id },
	);
	return [item];
}
