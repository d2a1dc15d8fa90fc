/**
 * Runs the chosen operation once per input item: output items are paired to
 * the input item they came from; with Continue On Fail, a failing item yields
 * `{ error }` (paired to it) and the rest go on.
 *
 * Items run one after another unless "Items in Parallel" asks for more at a
 * time. Either way the output is in input order, each item paired to its
 * input, and without Continue On Fail the first failing item (in input order)
 * stops the run with its error.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mapBounded } from '../transport';
import type { OperationModule } from './operation';
import * as invoice from './invoice/Invoice.resource';
import * as invoiceItem from './invoiceItem/InvoiceItem.resource';

const resources: Record<string, Record<string, OperationModule>> = {
	invoice: invoice.operations,
	invoiceItem: invoiceItem.operations,
};

export const MAX_ITEMS_IN_PARALLEL = 10;

const itemsInParallel: INodeProperties = {
	displayName: 'Items in Parallel',
	name: 'itemsInParallel',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_ITEMS_IN_PARALLEL, numberPrecision: 0 },
	default: 1,
	description:
		'How many input items to send to BillOver at the same time (1 = one after another). Output order, paired items and Continue On Fail stay the same, and rate limits (429) are waited out as always; without Continue On Fail, items after a failing one may already have been sent.',
};

const optionsCollection = (displayOptions: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions,
	options: [itemsInParallel],
});

/**
 * Node-level options: Items in Parallel, for every operation but Invoice →
 * Get Many (its pages are fetched a few at a time already, and it usually
 * runs once).
 */
export const routerOptions: INodeProperties[] = [
	optionsCollection({ show: { resource: ['invoice'] }, hide: { operation: ['getMany'] } }),
	optionsCollection({ show: { resource: ['invoiceItem'] } }),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const parallel = readItemsInParallel(this);
	const continueOnFail = this.continueOnFail();
	// Resource and operation cannot come from item data (noDataExpression): read once.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources[resource]?.[operation];
	const runItem = async (_item: INodeExecutionData, itemIndex: number) => {
		if (!module) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`, { itemIndex });
		}
		return await module.execute.call(this, itemIndex);
	};
	const outcomes = await mapBounded(items, parallel, runItem, { stopOnError: !continueOnFail });
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

/** "Items in Parallel": a whole number from 1 to MAX_ITEMS_IN_PARALLEL, read once for the run. */
function readItemsInParallel(ctx: IExecuteFunctions): number {
	const value = ctx.getNodeParameter('options.itemsInParallel', 0, 1) as unknown;
	const parallel = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof parallel !== 'number' || !Number.isInteger(parallel) || parallel < 1 || parallel > MAX_ITEMS_IN_PARALLEL) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid input: "Items in Parallel" must be a whole number from 1 to ${MAX_ITEMS_IN_PARALLEL}, got ${JSON.stringify(value)}`,
			{ description: 'Nothing was sent to BillOver.' },
		);
	}
	return parallel;
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
