'use strict';

/**
 * `POST /v1/invoices/export-csv` and `/export-xlsx` (docs/API.md
 * "Export as CSV" / "Export as Excel"): one row per invoice matching the
 * filters, in list order, with these columns.
 */

const writeExcelFile = require('write-excel-file/node').default;

/**
 * The columns, in order. Rows come from `store.exportRows()`, objects with
 * exactly these keys; `numeric` columns are numbers in the XLSX file.
 * @type {Array<{ key: string, numeric?: boolean }>}
 */
const EXPORT_COLUMNS = [
	{ key: 'hf_id' },
	{ key: 'uid' },
	{ key: 'invoice_number' },
	{ key: 'invoice_date' },
	{ key: 'company' },
	{ key: 'company_tax_number' },
	{ key: 'total_price', numeric: true },
	{ key: 'total_vat', numeric: true },
	{ key: 'currency' },
	{ key: 'payment_type' },
	{ key: 'approvement_status' },
	{ key: 'processing_status' },
	{ key: 'created_at' },
];

/** One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF. */
function csvField(value) {
	const text = value === null || value === undefined ? '' : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV text: a header row, then one row per invoice; CRLF line ends (RFC 4180), no BOM.
 * @param {Array<Record<string, string|null>>} rows
 */
function toCsv(rows) {
	const lines = [EXPORT_COLUMNS.map((column) => csvField(column.key)).join(',')];
	for (const row of rows) {
		lines.push(EXPORT_COLUMNS.map((column) => csvField(row[column.key])).join(','));
	}
	return `${lines.join('\r\n')}\r\n`;
}

/**
 * XLSX workbook (one sheet "Invoices"): header row in bold; prices as numbers,
 * everything else as text; empty cells for nulls.
 * @param {Array<Record<string, string|null>>} rows
 * @returns {Promise<Buffer>}
 */
async function toXlsx(rows) {
	const header = EXPORT_COLUMNS.map((column) => ({ value: column.key, fontWeight: 'bold' }));
	const cells = rows.map((row) =>
		EXPORT_COLUMNS.map((column) => {
			const value = row[column.key];
			if (value === null || value === undefined) return null;
			return column.numeric
				? { value: Number(value), type: Number, format: '0.00' }
				: { value: String(value), type: String };
		}),
	);
	return writeExcelFile([header, ...cells], { sheet: 'Invoices' }).toBuffer();
}

module.exports = { EXPORT_COLUMNS, toCsv, toXlsx, csvField };
