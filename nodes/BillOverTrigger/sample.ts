import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { fetchInvoice } from '../BillOver/helpers/invoices';
import { fetchPage } from '../BillOver/transport';
import type { ListPage, TrackedInvoice, TrackerEvent } from './tracker';
import { filterQuery, identify } from './tracker';
import type { TriggerOptions } from './options';
import { toItems } from './output';

const SAMPLE_PAGE = 20;

/**
 * The newest invoice the trigger would emit, for "Fetch Test Event":
 * the newest approved one, or the newest created one (processed, when it
 * waits for processing) that passes the filters. Reads no state, writes none.
 */
export async function sample(ctx: IPollFunctions, options: TriggerOptions): Promise<INodeExecutionData[]> {
	let found: TrackedInvoice | undefined;
	if (options.event === 'invoiceApproved') {
		const page = (await fetchPage.call(ctx, '/v1/invoices/', { ...filterQuery(options.filters), approvement_status: ['approved'] }, 1, 1)) as ListPage | undefined;
		found = page?.results[0];
	} else {
		// Processed invoices have the fields the filters look at, so the API can filter them.
		const page = (await fetchPage.call(ctx, '/v1/invoices/', filterQuery(options.filters), 1, SAMPLE_PAGE)) as ListPage | undefined;
		found = page?.results.find((invoice) => options.emitWhen === 'created' || invoice.processing_status !== 'processing');
	}
	if (!found) return [];
	// The approval's id is named after its history entry: the detail has it.
	const detail = options.event === 'invoiceApproved' ? ((await fetchInvoice(ctx, found.uid)) as TrackedInvoice) : undefined;
	const subject = detail ?? found;
	const event: TrackerEvent = { identity: identify(options.events[0], subject, new Date().toISOString()), invoice: subject, detail };
	return await toItems(ctx, [event], options);
}
