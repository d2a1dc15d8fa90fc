/**
 * Export CSV and Export XLSX: the list filters as a JSON body, the file back
 * (shared/endpoints.ts, exportInvoices), streamed into n8n's binary data.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { EXPORT_FORMATS } from '../../shared/endpoints';
import { exportInvoices } from '../../shared/endpoints';
import { fileItem, readBinaryPropertyName } from '../../shared/binary';
import { binaryPropertyOutput, listFilters } from '../../shared/descriptions';
import { readListFilters } from '../../shared/filters';
import type { OperationModule } from '../operation';

export interface ExportOperation {
	/** The operation's value in the selector. */
	value: string;
	format: keyof typeof EXPORT_FORMATS;
	/** What the file is, in the output field's description. */
	label: string;
}

export function exportOperation({ value, format, label }: ExportOperation): OperationModule {
	return {
		description: updateDisplayOptions({ show: { resource: ['invoice'], operation: [value] } }, [
			listFilters,
			binaryPropertyOutput(`The name of the output binary field to put the ${label} file in`),
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const filters = readListFilters(this, itemIndex);
			const binaryPropertyName = readBinaryPropertyName(this, itemIndex, 'Put Output File in Field');
			return [fileItem(binaryPropertyName, await exportInvoices(this, format, filters, itemIndex))];
		},
	};
}
