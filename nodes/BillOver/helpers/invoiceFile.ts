import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BillOverContext } from '../transport';
import { downloadWithoutCredential, fileNameFromDisposition, fileNameFromUrl, mimeTypeOf } from '../transport';
import type { DownloadedFile } from './binary';

/**
 * The original file of an invoice (its detail's `file` URL, on the storage
 * host), fetched without the API key (CONTRACT.md, Invoice file).
 */
export async function downloadInvoiceFile(ctx: BillOverContext, invoice: IDataObject, itemIndex?: number): Promise<DownloadedFile> {
	const uid = String(invoice.uid);
	const fileUrl = invoice.file;
	if (typeof fileUrl !== 'string' || fileUrl === '') {
		throw new NodeOperationError(ctx.getNode(), `Invoice ${uid} has no file to download`, {
			itemIndex,
			description: 'BillOver answered with no file URL for this invoice.',
		});
	}
	const file = await downloadWithoutCredential.call(ctx, fileUrl, { invoiceUid: uid }, itemIndex);
	return {
		bytes: file.body,
		fileName:
			fileNameFromDisposition(file.headers['content-disposition']) ?? fileNameFromUrl(fileUrl) ?? `${String(invoice.hf_id ?? uid)}.pdf`,
		mimeType: mimeTypeOf(file.headers['content-type']),
	};
}
