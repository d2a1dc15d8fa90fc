import { exportOperation } from './export';

/** POST /v1/invoices/export-csv: the filtered invoices as one CSV file. */
export const { description, execute } = exportOperation({ value: 'exportCsv', format: 'csv', label: 'CSV' });
