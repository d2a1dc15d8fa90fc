import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { downloadInvoiceFile, getInvoice } from '../shared/endpoints';
import { simplifyInvoice, simplifyInvoiceDetail } from '../shared/simplify';
import type { TriggerOptions } from './options';
import type { TrackerEvent } from './tracker';

/** The fields of a list result (docs/API.md, Listing). */
const LIST_FIELDS = [
	'hf_id',
	'uid',
	'total_price',
	'total_price_display',
	'currency',
	'invoice_date',
	'company',
	'category',
	'processing_status',
	'approvement_status',
	'permissions',
	'created_at',
	'workspace_user',
];

/** Every event has the same shape without "Include Details", whether the tracker read the detail or not. */
function listShape(invoice: IDataObject): IDataObject {
	const shaped: IDataObject = {};
	for (const field of LIST_FIELDS) if (field in invoice) shaped[field] = invoice[field];
	return shaped;
}

/**
 * The events as output items, oldest first: the event's identity (`event`,
 * `event_id`, `occurred_at`) and the invoice (its detail when asked for),
 * simplified or raw, with the original file when asked for. An invoice
 * that no longer exists has only its uid. All requests happen before anything is
 * returned, so a failure here fails the poll and leaves the stored state as
 * it was.
 */
export async function toItems(ctx: IPollFunctions, events: TrackerEvent[], options: TriggerOptions, extra: IDataObject = {}): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const event of events) {
		const { identity } = event;
		const head: IDataObject = { event: identity.event, event_id: identity.event_id, occurred_at: identity.occurred_at, ...extra };
		if (event.gone) {
			items.push({ json: { ...head, uid: event.invoice.uid } });
			continue;
		}
		let detail = event.detail as IDataObject | undefined;
		if (!detail && (options.includeDetails || options.downloadFile)) detail = await getInvoice(ctx, String(event.invoice.uid));
		const source = options.includeDetails && detail ? detail : listShape(event.invoice as IDataObject);
		const json = options.simplify ? (options.includeDetails && detail ? simplifyInvoiceDetail(detail) : simplifyInvoice(source)) : source;
		const item: INodeExecutionData = { json: { ...head, ...json } };
		if (options.downloadFile && detail) {
			const file = await downloadInvoiceFile(ctx, detail);
			item.binary = { [options.binaryPropertyName]: file.binary };
		}
		items.push(item);
	}
	return items;
}
