import type { OperationModule } from '../operation';
import { resourceDescription } from '../operation';
import * as approve from './approve.operation';
import * as create from './create.operation';
import * as deleteInvoice from './delete.operation';
import * as downloadFile from './downloadFile.operation';
import * as exportCsv from './exportCsv.operation';
import * as exportXlsx from './exportXlsx.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reject from './reject.operation';
import * as removeApproval from './removeApproval.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationModule> = {
	approve,
	create,
	delete: deleteInvoice,
	downloadFile,
	exportCsv,
	exportXlsx,
	get,
	getMany,
	reject,
	removeApproval,
	update,
};

export const description = resourceDescription(
	'invoice',
	[
		{
			name: 'Approve',
			value: 'approve',
			action: 'Approve an invoice',
			description: 'Approve an invoice that is waiting or rejected',
			tool: "Approves one BillOver invoice. Needs the invoice's UID (find it with the Get Many tool, e.g. by its reference or supplier). The invoice must be waiting or rejected. Returns uid, approvement_status (now approved) and permissions.",
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create an invoice',
			description: 'Upload an invoice file (PDF, PNG or JPEG) for BillOver to read',
			tool: 'Cannot run as a tool: uploading an invoice needs its file from an earlier node in the workflow, and an AI agent has no file to give. Use a BillOver node (Create) in the workflow instead.',
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an invoice',
			description: 'Delete an invoice that is not approved',
			tool: "Deletes one BillOver invoice for good. Needs the invoice's UID. Only a waiting or rejected invoice can be deleted. Returns the uid and deleted: true.",
		},
		{
			name: 'Download File',
			value: 'downloadFile',
			action: 'Download the file of an invoice',
			description: 'Download the uploaded file of an invoice',
			tool: "Fetches the original file (PDF or image) of one BillOver invoice. Needs the invoice's UID. Returns uid, hf_id, fileName, mimeType, fileSize (bytes) and file_url; the file itself goes to the workflow, not to the model.",
		},
		{
			name: 'Export CSV',
			value: 'exportCsv',
			action: 'Export invoices as CSV',
			description: 'Export the invoices that match the filters as a CSV file',
			tool: 'Exports the BillOver invoices matching the filters as a CSV file. Returns fileName, mimeType and fileSize (bytes); the file goes to the workflow, not to the model. To read invoices, use Get Many.',
		},
		{
			name: 'Export XLSX',
			value: 'exportXlsx',
			action: 'Export invoices as XLSX',
			description: 'Export the invoices that match the filters as an Excel file',
			tool: 'Exports the BillOver invoices matching the filters as an Excel (XLSX) file. Returns fileName, mimeType and fileSize (bytes); the file goes to the workflow, not to the model. To read invoices, use Get Many.',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an invoice',
			description: 'Get an invoice with its items, file URL and history',
			tool: "Reads one BillOver invoice in full. Needs the invoice's UID. Returns its fields (invoice_number, invoice_date, total_price, total_vat, currency, company, payment_type, approvement_status, processing_status), its items (lines), file URL and history (who approved or rejected it, and when).",
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many invoices',
			description: 'List invoices, newest first, with filters',
			tool: "Searches BillOver invoices, newest first. Optional filters: a text to look for (the short reference hf_id such as HPK, the invoice number, the supplier's name or tax number, item names), approval status (waiting, approved, rejected), company UIDs, creation dates (from, to). Returns up to the limit, each with uid, hf_id, invoice_date, total_price, currency, company_name, approvement_status and processing_status. Give the uid to the other tools.",
		},
		{
			name: 'Reject',
			value: 'reject',
			action: 'Reject an invoice',
			description: 'Reject an invoice that is waiting for a decision',
			tool: "Rejects one BillOver invoice. Needs the invoice's UID. The invoice must be waiting. Returns uid, approvement_status (now rejected) and permissions.",
		},
		{
			name: 'Remove Approval',
			value: 'removeApproval',
			action: 'Remove the approval of an invoice',
			description: 'Set an approved invoice back to waiting',
			tool: "Takes back the approval of one BillOver invoice (it becomes waiting again). Needs the invoice's UID. The invoice must be approved. Returns uid, approvement_status (now waiting) and permissions.",
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update an invoice',
			description: 'Change fields of an invoice that is not approved',
			tool: "Changes fields of one BillOver invoice (invoice number, date, totals, currency, payment type, company, card). Needs the invoice's UID; only fields given change. The invoice must be waiting or rejected. Returns the updated invoice.",
		},
	],
	'getMany',
	operations,
);
