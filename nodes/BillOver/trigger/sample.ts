import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { getInvoice, listPage } from '../shared/endpoints';
import type { Invoice, ListPage } from '../shared/model';
import type { TriggerOptions } from './options';
import { toItems } from './output';
import type { EventName, TrackerEvent } from './tracker';
import { UNDECIDED, cameFromApproved, filterQuery, identify } from './tracker';

const SAMPLE_PAGE = 20;
/** Details read at most, looking for an invoice whose approval was removed. */
const REMOVAL_LOOKUPS = 5;

type Sampler = (ctx: IPollFunctions, options: TriggerOptions) => Promise<Invoice | undefined>;

async function firstPage(ctx: IPollFunctions, options: TriggerOptions, extra: Record<string, string[]>, size: number) {
	const page = (await listPage(ctx, { ...filterQuery(options.filters), ...extra }, 1, size)) as ListPage | undefined;
	return page?.results ?? [];
}

/** The detail of the newest invoice with this approval status (the event's id needs its history). */
const newestWithStatus =
	(status: string): Sampler =>
	async (ctx, options) => {
		const [found] = await firstPage(ctx, options, { approvement_status: [status] }, 1);
		return found ? ((await getInvoice(ctx, found.uid)) as Invoice) : undefined;
	};

/**
 * For each event, how "Fetch Test Event" finds the newest invoice it would
 * report. A deleted invoice leaves nothing to show.
 */
const SAMPLERS: Record<EventName, Sampler | undefined> = {
	'invoice.approved': newestWithStatus('approved'),
	'invoice.rejected': newestWithStatus('rejected'),
	'invoice.created': async (ctx, options) => {
		// Processed invoices have the fields the filters look at, so the API can filter them.
		const results = await firstPage(ctx, options, {}, SAMPLE_PAGE);
		return results.find((invoice) => options.emitWhen === 'created' || invoice.processing_status !== 'processing');
	},
	'invoice.approval_removed': async (ctx, options) => {
		for (const invoice of (await firstPage(ctx, options, { approvement_status: UNDECIDED }, SAMPLE_PAGE)).slice(0, REMOVAL_LOOKUPS)) {
			const detail = (await getInvoice(ctx, invoice.uid)) as Invoice;
			if (cameFromApproved(detail, undefined)) return detail;
		}
		return undefined;
	},
	'invoice.deleted': undefined,
};

/**
 * "Fetch Test Event": for the first watched event that has one, the newest
 * invoice the trigger would emit for it, as the trigger would emit it.
 * Reads no state, writes none.
 */
export async function sample(ctx: IPollFunctions, options: TriggerOptions): Promise<INodeExecutionData[]> {
	for (const event of options.events) {
		const found = await SAMPLERS[event]?.(ctx, options);
		if (!found) continue;
		const detail = Array.isArray(found.history) ? found : undefined;
		const sampled: TrackerEvent = { identity: identify(event, found, new Date().toISOString()), invoice: found, detail };
		return await toItems(ctx, [sampled], options);
	}
	return [];
}
