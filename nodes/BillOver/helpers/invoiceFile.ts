import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadWithoutCredential, fileNameFromDisposition, fileNameFromUrl, mimeTypeOf } from '../transport';
import type { StoredFile } from './binary';
import { storeFile } from './binary';

/**
 * The original file of an invoice (its detail's `file` URL, on the storage
 * host), fetched without the API key (CONTRACT.md, Invoice file) and stored
 * with n8n's binary data helpers as it arrives.
 */
export async function downloadInvoiceFile(
	ctx: IExecuteFunctions | IPollFunctions,
	invoice: IDataObject,
	itemIndex?: number,
): Promise<StoredFile> {
	const uid = String(invoice.uid);
	const fileUrl = invoice.file;
	if (typeof fileUrl !== 'string' || fileUrl === '') {
		throw new NodeOperationError(ctx.getNode(), `Invoice ${uid} has no file to download`, {
			itemIndex,
			description: 'BillOver answered with no file URL for this invoice.',
		});
	}
	const receive = storeFile(ctx, (headers) => ({
		fileName:
			fileNameFromDisposition(headers['content-disposition']) ?? fileNameFromUrl(fileUrl) ?? `${String(invoice.hf_id ?? uid)}.pdf`,
		mimeType: mimeTypeOf(headers['content-type']),
	}));
	const { body } = await downloadWithoutCredential.call(ctx, fileUrl, { invoiceUid: uid }, itemIndex, receive);
	return body as StoredFile;
}
