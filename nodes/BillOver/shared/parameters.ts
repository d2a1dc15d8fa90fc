import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { UUID_PATTERN } from '../schemas/common';

/** Reading the parameters several operations share, checked before any request. */

/**
 * The invoice UID from the "Invoice" resource locator (any mode), checked to
 * be a UUID before it becomes part of a URL.
 */
export function readInvoiceUid(ctx: IExecuteFunctions, itemIndex: number, parameter = 'invoiceId'): string {
	let value: unknown;
	try {
		value = ctx.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
	} catch (error) {
		// "By URL" with a link that holds no invoice UID: n8n's own error names neither field nor item.
		const raw = ctx.getNodeParameter(parameter, itemIndex, '') as { value?: unknown } | string;
		const given = typeof raw === 'object' && raw !== null ? raw.value : raw;
		throw new NodeOperationError(ctx.getNode(), `Invalid input in item ${itemIndex}: "Invoice" must be a BillOver invoice link that contains its UID, got ${JSON.stringify(given)}`, {
			itemIndex,
			description: `Nothing was sent to BillOver. ${(error as Error).message}`,
		});
	}
	return requireUuid(ctx, value, itemIndex, 'Invoice');
}

export function requireUuid(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!UUID_PATTERN.test(text)) {
		const empty = value === undefined || value === null || (typeof value === 'string' && text === '');
		const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
		throw new NodeOperationError(ctx.getNode(), `Invalid input in item ${itemIndex}: "${label}" must be a UUID such as 67df8b92-ed61-4796-b5c2-9505bf9d4b6a, got ${empty ? 'nothing' : shown}`, {
			itemIndex,
			description: `Nothing was sent to BillOver. Give the ${label === 'Invoice' ? 'invoice (from the list, or its UID)' : label}.`,
		});
	}
	return text.toLowerCase();
}

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

/** Whether the node runs as an AI agent's tool (n8n's tool variant of it, `billOverTool`). */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}
