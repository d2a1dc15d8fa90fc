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

/** The detail's fields a workflow usually needs ("Simplify" with the detail read): the list's, plus totals, payment, file and items. */
export function simplifyInvoiceDetail(detail: IDataObject): IDataObject {
	return {
		...simplifyInvoice(detail),
		invoice_number: detail.invoice_number ?? null,
		total_vat: detail.total_vat ?? null,
		payment_type: detail.payment_type ?? null,
		card_uid: obj(detail.card)?.uid ?? null,
		file: detail.file ?? null,
		items: detail.items ?? [],
	};
}

/** One line of an invoice, with the invoice it belongs to. */
export function simplifyInvoiceItem(item: IDataObject, invoice: IDataObject): IDataObject {
	return {
		invoice_uid: invoice.uid,
		invoice_hf_id: invoice.hf_id ?? null,
		uid: item.uid,
		name: item.name ?? null,
		description: item.description ?? null,
		quantity: item.quantity ?? null,
		unit: item.unit ?? null,
		total_price: item.total_price ?? null,
		vat_rate: item.vat_rate ?? null,
	};
}
