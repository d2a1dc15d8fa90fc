/**
 * Export CSV and Export XLSX: the list filters as a JSON body, the file back
 * (CONTRACT.md, Export). Exports only read, so they may be retried.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { StoredFile } from '../../helpers/binary';
import { fileItem, readBinaryPropertyName, storeFile } from '../../helpers/binary';
import { readListFilters } from '../../helpers/filters';
import { apiRequest, fileNameFromDisposition, mimeTypeOf } from '../../transport';
import { binaryPropertyOutput, listFilters } from '../common.descriptions';
import type { OperationModule } from '../operation';

export interface ExportFormat {
	/** The operation's value in the selector. */
	value: string;
	/** `export-csv` or `export-xlsx`. */
	path: string;
	/** File extension, for a name when the server sends none. */
	extension: string;
	/** MIME type when the server sends no Content-Type. */
	mimeType: string;
	/** What the file is, in the output field's description. */
	label: string;
}

export function exportOperation({ value, path, extension, mimeType, label }: ExportFormat): OperationModule {
	return {
		description: updateDisplayOptions({ show: { resource: ['invoice'], operation: [value] } }, [
			listFilters,
			binaryPropertyOutput(`The name of the output binary field to put the ${label} file in`),
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const filters = readListFilters(this, itemIndex);
			const binaryPropertyName = readBinaryPropertyName(this, itemIndex, 'Put Output File in Field');
			const response = await apiRequest.call(this, {
				method: 'POST',
				path: `/v1/invoices/${path}`,
				kind: 'read',
				binary: true,
				body: filters,
				itemIndex,
				// Streamed into n8n's binary data: a large export is never held whole in memory (filesystem mode).
				receive: storeFile(this, (headers) => ({
					fileName: fileNameFromDisposition(headers['content-disposition']) ?? `invoices.${extension}`,
					mimeType: mimeTypeOf(headers['content-type'], mimeType),
				})),
			});
			return [fileItem(binaryPropertyName, response.body as StoredFile)];
		},
	};
}
