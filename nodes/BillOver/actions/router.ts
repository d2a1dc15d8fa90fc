/**
 * Runs the chosen operation once per input item: output items are paired to
 * the input item they came from; with Continue On Fail, a failing item yields
 * `{ error }` (paired to it) and the rest go on.
 *
 * Items run several at a time: by default as many as BillOver takes
 * ("Requests in Parallel": Auto, transport/limiter.ts), or a fixed number.
 * Either way the output is in input order, each item paired to its input,
 * and without Continue On Fail the first failing item (in input order)
 * stops the run with its error.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { LimiterSettings } from '../transport';
import { DEFAULT_CEILING, mapBounded, useLimiter } from '../transport';
import type { OperationModule } from './operation';
import * as invoice from './invoice/Invoice.resource';
import * as invoiceItem from './invoiceItem/InvoiceItem.resource';

const resources: Record<string, Record<string, OperationModule>> = {
	invoice: invoice.operations,
	invoiceItem: invoiceItem.operations,
};

/** The most requests in flight a user may allow (Auto's ceiling, or a fixed number). */
export const MAX_IN_PARALLEL = 1000;

const parallelOptions: INodeProperties[] = [
	{
		displayName: 'Requests in Parallel',
		name: 'parallelRequests',
		type: 'options',
		default: 'auto',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description:
					'Adapts to BillOver: starts with a few requests at once, sends more while answers come back clean, fewer and slower when BillOver says it is busy (429, 503), and waits out its Retry-After',
			},
			{ name: 'Fixed', value: 'fixed', description: 'Always the same number of input items at once' },
		],
		description:
			'How many requests go to BillOver at the same time. Output order, paired items and Continue On Fail stay the same either way; without Continue On Fail, items after a failing one may already have been sent.',
	},
	{
		displayName: 'Max Requests in Parallel',
		name: 'maxParallel',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_IN_PARALLEL, numberPrecision: 0 },
		default: DEFAULT_CEILING,
		description: 'With Auto: never more than this many requests at once (for a BillOver account with a known limit on concurrent requests)',
	},
	{
		displayName: 'Items in Parallel',
		name: 'itemsInParallel',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_IN_PARALLEL, numberPrecision: 0 },
		default: 4,
		description: 'With Fixed: how many input items to send to BillOver at the same time (1 = one after another)',
	},
];

/** Node-level options, for every operation: how many requests go out at once. */
export const routerOptions: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: parallelOptions,
	},
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const parallel = readParallel(this);
	const limiter = useLimiter(this, parallel.limiter);
	const continueOnFail = this.continueOnFail();
	// Resource and operation cannot come from item data (noDataExpression): read once.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources[resource]?.[operation];
	const runItem = async (_item: INodeExecutionData, itemIndex: number) => {
		if (!module) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`, { itemIndex });
		}
		let succeeded = false;
		try {
			const result = await module.execute.call(this, itemIndex);
			succeeded = true;
			return result;
		} finally {
			// Without Continue On Fail a failing item ends the run: later items send nothing more.
			if (!succeeded && !continueOnFail) limiter.stopAfter(itemIndex);
		}
	};
	const outcomes = await mapBounded(items, parallel.items, runItem, { stopOnError: !continueOnFail });
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		if (!outcome) break;
		if (outcome.ok) {
			for (const result of outcome.value) output.push({ ...result, pairedItem: { item: itemIndex } });
		} else if (continueOnFail) {
			output.push({
				json: { error: (outcome.error as Error).message, ...errorDetails(outcome.error) },
				pairedItem: { item: itemIndex },
			});
		} else {
			throw withItemIndex(this, outcome.error, itemIndex);
		}
	}
	return [output];
}

/**
 * The Options for the run: how many items run at once, and how the run's
 * requests are sent (transport/limiter.ts). Auto lets up to its ceiling of
 * items go, their requests held by the limiter; Fixed runs that many items.
 */
function readParallel(ctx: IExecuteFunctions): { items: number; limiter: LimiterSettings } {
	const mode = ctx.getNodeParameter('options.parallelRequests', 0, 'auto') as string;
	if (mode !== 'auto' && mode !== 'fixed') {
		throw new NodeOperationError(ctx.getNode(), `Invalid input: "Requests in Parallel" must be "Auto" or "Fixed", got ${JSON.stringify(mode)}`, {
			description: 'Nothing was sent to BillOver.',
		});
	}
	if (mode === 'auto') {
		const ceiling = readCount(ctx, 'maxParallel', 'Max Requests in Parallel', DEFAULT_CEILING);
		return { items: ceiling, limiter: { ceiling } };
	}
	const fixed = readCount(ctx, 'itemsInParallel', 'Items in Parallel', 4);
	return { items: fixed, limiter: { fixed, ceiling: fixed } };
}

/** A whole number from 1 to MAX_IN_PARALLEL, read once for the run. */
function readCount(ctx: IExecuteFunctions, name: string, label: string, fallback: number): number {
	const value = ctx.getNodeParameter(`options.${name}`, 0, fallback) as unknown;
	const count = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_IN_PARALLEL) {
		throw new NodeOperationError(ctx.getNode(), `Invalid input: "${label}" must be a whole number from 1 to ${MAX_IN_PARALLEL}, got ${JSON.stringify(value)}`, {
			description: 'Nothing was sent to BillOver.',
		});
	}
	return count;
}

function errorDetails(error: unknown): Record<string, string> {
	const details: Record<string, string> = {};
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) details.description = error.description;
	}
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	return details;
}

function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
