import type { IDataObject } from 'n8n-workflow';

const obj = (value: unknown): IDataObject | undefined =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;

/**
 * The list fields a workflow usually needs, flat: names instead of nested
 * objects, no permissions. "Simplify" off returns the API's object as it is.
 */
export function simplifyInvoice(invoice: IDataObject): IDataObject {
	const company = obj(invoice.company);
	const category = obj(invoice.category);
	const uploader = obj(obj(invoice.workspace_user)?.user);
	return {
		uid: invoice.uid,
		hf_id: invoice.hf_id,
		invoice_date: invoice.invoice_date ?? null,
		total_price: invoice.total_price ?? null,
		currency: invoice.currency ?? null,
		company_uid: company?.uid ?? null,
		company_name: company?.name ?? null,
		category: category?.name ?? null,
		processing_status: invoice.processing_status,
		approvement_status: invoice.approvement_status,
		created_at: invoice.created_at,
		uploaded_by: uploader?.email ?? null,
	};
}
