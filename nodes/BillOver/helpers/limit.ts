import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The "Limit" parameter: a whole number of at least 1. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `Invalid input in item ${itemIndex}: "Limit" must be a whole number of at least 1, got ${JSON.stringify(value)}`, {
			itemIndex,
			description: 'Nothing was sent to BillOver.',
		});
	}
	return limit;
}
