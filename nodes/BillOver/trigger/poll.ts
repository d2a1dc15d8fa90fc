import type { IPollFunctions } from 'n8n-workflow';

import { findInvoice, listPage } from '../shared/endpoints';
import type { Invoice, ListPage } from '../shared/model';
import type { Answer, Need } from './tracker';

/** Answers one of the tracker's needs through shared/endpoints.ts (the transport's retries and errors apply). */
async function answer(ctx: IPollFunctions, need: Need): Promise<Answer> {
	if (need.kind === 'page') return ((await listPage(ctx, need.query, need.page, need.pageSize)) as ListPage | undefined) ?? null;
	return (await findInvoice(ctx, need.uid)) as Invoice | null;
}

/** Runs a tracker (or any generator of needs) to its end, answering each need in turn. */
export async function drive<R>(ctx: IPollFunctions, tracker: Generator<Need, R, Answer>): Promise<R> {
	let step = tracker.next();
	while (!step.done) step = tracker.next(await answer(ctx, step.value));
	return step.value;
}
