import { exportOperation } from './export';

/** POST /v1/invoices/export-xlsx: the filtered invoices as one Excel workbook. */
export const { description, execute } = exportOperation({ value: 'exportXlsx', format: 'xlsx', label: 'Excel (XLSX)' });
