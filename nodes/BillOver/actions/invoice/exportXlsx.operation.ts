import { exportOperation } from './export';

/** POST /v1/invoices/export-xlsx: the filtered invoices as one Excel workbook. */
export const { description, execute } = exportOperation({
	value: 'exportXlsx',
	path: 'export-xlsx',
	extension: 'xlsx',
	mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	label: 'Excel (XLSX)',
});
