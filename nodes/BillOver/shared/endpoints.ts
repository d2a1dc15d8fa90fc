/**
 * BillOver's endpoints, each a named call: the only place that knows a path,
 * which requests are safe to repeat, how a repeat's answer is reconciled and
 * how an error names the invoice (docs/API.md, Endpoints). The action node,
 * the trigger and the pickers all call these; the transport below knows HTTP
 * only.
 */
import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BillOverContext, QueryValue, Receiver } from '../transport';
import { apiRequest, downloadWithoutCredential, fetchPage, fileNameFromDisposition, fileNameFromUrl, mimeTypeOf, paginate } from '../transport';
import type { StoredFile } from './binary';
import { storeFile } from './binary';
import type { Subject } from './errors';
import { describeFor } from './errors';
import type { ListPage, PermissionName } from './model';
import { MAX_PAGE_SIZE } from './model';

const INVOICES = '/v1/invoices/';
const invoicePath = (uid: string) => `/v1/invoices/${uid}`;
const itemsPath = (invoiceUid: string) => `/v1/invoices/${invoiceUid}/items/`;
const itemPath = (invoiceUid: string, itemUid: string) => `/v1/invoices/${invoiceUid}/items/${itemUid}`;

type Filters = Record<string, QueryValue>;

// --- Reading

/** One page of `GET /v1/invoices/`, newest first; undefined past the last page. */
export async function listPage(ctx: BillOverContext, query: Filters, page: number, pageSize = MAX_PAGE_SIZE, itemIndex?: number): Promise<ListPage<IDataObject> | undefined> {
	return (await fetchPage.call(ctx, INVOICES, query, page, pageSize, itemIndex)) as ListPage<IDataObject> | undefined;
}

/** `GET /v1/invoices/` with the filters: all (or the first `limit`), newest first, pages of 100, a few at a time. */
export async function listInvoices(ctx: IExecuteFunctions, filters: Filters, { limit, itemIndex }: { limit?: number; itemIndex?: number }) {
	return await paginate.call(ctx, INVOICES, filters, { pageSize: MAX_PAGE_SIZE, limit, itemIndex });
}

/** `GET /v1/invoices/{uid}`: the detail (items, file URL, history, …); a 404 names the invoice. */
export async function getInvoice(ctx: BillOverContext, uid: string, itemIndex?: number): Promise<IDataObject> {
	const { body } = await apiRequest.call(ctx, { method: 'GET', path: invoicePath(uid), describeError: describeFor({ invoiceUid: uid }), itemIndex });
	return body as IDataObject;
}

/** The detail, or null when the invoice is gone (404): for the trigger, which expects deletions. */
export async function findInvoice(ctx: BillOverContext, uid: string): Promise<IDataObject | null> {
	const response = await apiRequest.call(ctx, { method: 'GET', path: invoicePath(uid), acceptStatuses: [404] });
	return response.status === 404 ? null : (response.body as IDataObject);
}

// --- Invoices

/** `POST /v1/invoices/`, multipart with the part `file`. Never repeated once it may have reached BillOver. */
export async function uploadInvoice(ctx: IExecuteFunctions, file: { bytes: Buffer; fileName: string; mimeType: string }, itemIndex: number): Promise<IDataObject> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.fileName);
	const { body } = await apiRequest.call(ctx, { method: 'POST', path: INVOICES, body: form, repeatable: false, what: 'invoice upload', itemIndex });
	return body as IDataObject;
}

/** `PUT /v1/invoices/{uid}` with a subset of the fields: repeating it sets the same values again. */
export async function updateInvoice(ctx: IExecuteFunctions, uid: string, fields: IDataObject, itemIndex: number): Promise<IDataObject> {
	const subject: Subject = { invoiceUid: uid, permission: 'can_update', action: 'update' };
	const { body } = await apiRequest.call(ctx, { method: 'PUT', path: invoicePath(uid), body: fields, describeError: describeFor(subject), itemIndex });
	return body as IDataObject;
}

/** A DELETE's 404 after an attempt that may have acted unseen: that attempt deleted it. */
const goneMeansDone = async ({ status }: { status: number }) => (status === 404 ? { body: null } : undefined);

/** `DELETE /v1/invoices/{uid}`. Approved invoices cannot be deleted (403). */
export async function deleteInvoice(ctx: IExecuteFunctions, uid: string, itemIndex: number): Promise<void> {
	const subject: Subject = { invoiceUid: uid, permission: 'can_delete', action: 'delete' };
	await apiRequest.call(ctx, { method: 'DELETE', path: invoicePath(uid), reconcile: goneMeansDone, describeError: describeFor(subject), itemIndex });
}

/** The approval actions: one POST each, and the approvement_status each leads to (docs/API.md, State and permissions). */
export const APPROVAL_ACTIONS = {
	approve: { path: 'approve', leadsTo: 'approved', permission: 'can_approve', verb: 'approve' },
	reject: { path: 'reject', leadsTo: 'rejected', permission: 'can_reject', verb: 'reject' },
	removeApproval: { path: 'remove-approval', leadsTo: 'waiting', permission: 'can_remove_approval', verb: 'remove the approval of' },
} as const satisfies Record<string, { path: string; leadsTo: string; permission: PermissionName; verb: string }>;

export type ApprovalAction = keyof typeof APPROVAL_ACTIONS;

/**
 * `POST /v1/invoices/{uid}/approve` (or reject, remove-approval) →
 * `{ uid, approvement_status, permissions }`. Repeated after an unclear
 * failure; a 403 after an attempt that may have acted is reconciled by
 * reading the invoice: already where the action leads means that attempt did it.
 */
export async function setApproval(ctx: IExecuteFunctions, uid: string, action: ApprovalAction, itemIndex: number): Promise<IDataObject> {
	const { path, leadsTo, permission, verb } = APPROVAL_ACTIONS[action];
	const reconcile = async ({ status }: { status: number }) => {
		if (status !== 403) return undefined;
		const invoice = await getInvoice(ctx, uid, itemIndex);
		if (invoice.approvement_status !== leadsTo) return undefined;
		return { body: { uid: invoice.uid, approvement_status: invoice.approvement_status, permissions: invoice.permissions } };
	};
	const { body } = await apiRequest.call(ctx, {
		method: 'POST',
		path: `${invoicePath(uid)}/${path}`,
		reconcile,
		describeError: describeFor({ invoiceUid: uid, permission, action: verb }),
		itemIndex,
	});
	return body as IDataObject;
}

/** The export formats (docs/API.md, Export): the path, and a file name and type when the answer names none. */
export const EXPORT_FORMATS = {
	csv: { path: 'export-csv', extension: 'csv', mimeType: 'text/csv' },
	xlsx: { path: 'export-xlsx', extension: 'xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
} as const;

/**
 * `POST /v1/invoices/export-csv` or `export-xlsx` with the list filters as a
 * JSON body: the file, streamed into n8n's binary data. Exports only read,
 * so they may be repeated.
 */
export async function exportInvoices(ctx: IExecuteFunctions, format: keyof typeof EXPORT_FORMATS, filters: IDataObject, itemIndex: number): Promise<StoredFile> {
	const { path, extension, mimeType } = EXPORT_FORMATS[format];
	const receive = storeFile(ctx, (headers) => ({
		fileName: fileNameFromDisposition(headers['content-disposition']) ?? `invoices.${extension}`,
		mimeType: mimeTypeOf(headers['content-type'], mimeType),
	}));
	const { body } = await apiRequest.call(ctx, { method: 'POST', path: `${INVOICES}${path}`, binary: true, body: filters, receive, itemIndex });
	return body as StoredFile;
}

/**
 * The original file of an invoice: its detail's `file` URL, on the storage
 * host, fetched without the API key (docs/API.md, Invoice file) and stored
 * with n8n's binary data helpers as it arrives.
 */
export async function downloadInvoiceFile(ctx: IExecuteFunctions | IPollFunctions, invoice: IDataObject, itemIndex?: number): Promise<StoredFile> {
	const uid = String(invoice.uid);
	const fileUrl = invoice.file;
	if (typeof fileUrl !== 'string' || fileUrl === '') {
		throw new NodeOperationError(ctx.getNode(), `Invoice ${uid} has no file to download`, {
			itemIndex,
			description: 'BillOver answered with no file URL for this invoice.',
		});
	}
	const receive: Receiver = storeFile(ctx, (headers) => ({
		fileName: fileNameFromDisposition(headers['content-disposition']) ?? fileNameFromUrl(fileUrl) ?? `${String(invoice.hf_id ?? uid)}.pdf`,
		mimeType: mimeTypeOf(headers['content-type']),
	}));
	const { body } = await downloadWithoutCredential.call(ctx, fileUrl, { itemIndex, receive, describeError: describeFor({ invoiceUid: uid }) });
	return body as StoredFile;
}

// --- Invoice items

/** `POST /v1/invoices/{uid}/items/`. Never repeated once it may have reached BillOver, so an item is never added twice. */
export async function createItem(ctx: IExecuteFunctions, invoiceUid: string, fields: IDataObject, itemIndex: number): Promise<IDataObject> {
	const subject: Subject = { invoiceUid, permission: 'can_update', action: 'add items to' };
	const { body } = await apiRequest.call(ctx, {
		method: 'POST',
		path: itemsPath(invoiceUid),
		body: fields,
		repeatable: false,
		what: 'invoice item',
		describeError: describeFor(subject),
		itemIndex,
	});
	return body as IDataObject;
}

/** `PUT /v1/invoices/{uid}/items/{item_uid}` with a subset of the fields. */
export async function updateItem(ctx: IExecuteFunctions, invoiceUid: string, itemUid: string, fields: IDataObject, itemIndex: number): Promise<IDataObject> {
	const subject: Subject = { invoiceUid, itemUid, permission: 'can_update', action: 'change the items of' };
	const { body } = await apiRequest.call(ctx, { method: 'PUT', path: itemPath(invoiceUid, itemUid), body: fields, describeError: describeFor(subject), itemIndex });
	return body as IDataObject;
}

/** `DELETE /v1/invoices/{uid}/items/{item_uid}`. */
export async function deleteItem(ctx: IExecuteFunctions, invoiceUid: string, itemUid: string, itemIndex: number): Promise<void> {
	const subject: Subject = { invoiceUid, itemUid, permission: 'can_update', action: 'change the items of' };
	await apiRequest.call(ctx, { method: 'DELETE', path: itemPath(invoiceUid, itemUid), reconcile: goneMeansDone, describeError: describeFor(subject), itemIndex });
}
