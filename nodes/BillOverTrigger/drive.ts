import type { IDataObject } from 'n8n-workflow';

import type { BillOverContext } from '../BillOver/transport';
import { apiRequest, fetchPage } from '../BillOver/transport';
import type { Answer, ListPage, Need, TrackedInvoice } from './tracker';

export interface DriveStats {
	requests: number;
}

/** Answers one of the tracker's needs over HTTP (the transport's retries and errors apply). */
async function answer(ctx: BillOverContext, need: Need): Promise<Answer> {
	if (need.kind === 'page') {
		const page = (await fetchPage.call(ctx, '/v1/invoices/', need.query, need.page, need.pageSize)) as ListPage | undefined;
		return page ?? null;
	}
	const response = await apiRequest.call(ctx, {
		method: 'GET',
		path: `/v1/invoices/${need.uid}`,
		kind: 'read',
		subject: { invoiceUid: need.uid },
		acceptStatuses: [404],
	});
	return response.status === 404 ? null : (response.body as IDataObject as TrackedInvoice);
}

/** Runs a tracker (or any generator of needs) to its end, answering each need in turn. */
export async function drive<R>(ctx: BillOverContext, tracker: Generator<Need, R, Answer>, stats?: DriveStats): Promise<R> {
	let step = tracker.next();
	while (!step.done) {
		const reply = await answer(ctx, step.value);
		if (stats) stats.requests++;
		step = tracker.next(reply);
	}
	return step.value;
}
