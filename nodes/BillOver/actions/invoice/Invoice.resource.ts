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
		{ name: 'Approve', value: 'approve', action: 'Approve an invoice', description: 'Approve an invoice that is waiting or rejected' },
		{ name: 'Create', value: 'create', action: 'Create an invoice', description: 'Upload an invoice file (PDF, PNG or JPEG) for BillOver to read' },
		{ name: 'Delete', value: 'delete', action: 'Delete an invoice', description: 'Delete an invoice that is not approved' },
		{ name: 'Download File', value: 'downloadFile', action: 'Download the file of an invoice', description: 'Download the uploaded file of an invoice' },
		{ name: 'Export CSV', value: 'exportCsv', action: 'Export invoices as CSV', description: 'Export the invoices that match the filters as a CSV file' },
		{ name: 'Export XLSX', value: 'exportXlsx', action: 'Export invoices as XLSX', description: 'Export the invoices that match the filters as an Excel file' },
		{ name: 'Get', value: 'get', action: 'Get an invoice', description: 'Get an invoice with its items, file URL and history' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many invoices', description: 'List invoices, newest first, with filters' },
		{ name: 'Reject', value: 'reject', action: 'Reject an invoice', description: 'Reject an invoice that is waiting for a decision' },
		{ name: 'Remove Approval', value: 'removeApproval', action: 'Remove the approval of an invoice', description: 'Set an approved invoice back to waiting' },
		{ name: 'Update', value: 'update', action: 'Update an invoice', description: 'Change fields of an invoice that is not approved' },
	],
	'getMany',
	operations,
);
