import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { UUID_PATTERN } from '../schemas/common';

/**
 * The invoice UID from the "Invoice" resource locator (any mode), checked to
 * be a UUID before it becomes part of a URL.
 */
export function readInvoiceUid(ctx: IExecuteFunctions, itemIndex: number, parameter = 'invoiceId'): string {
	const value = ctx.getNodeParameter(parameter, itemIndex, '', { extractValue: true }) as unknown;
	return requireUuid(ctx, value, itemIndex, 'Invoice');
}

export function requireUuid(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!UUID_PATTERN.test(text)) {
		const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
		throw new NodeOperationError(ctx.getNode(), `Invalid input in item ${itemIndex}: "${label}" must be a UUID such as 67df8b92-ed61-4796-b5c2-9505bf9d4b6a, got ${text === '' ? 'nothing' : shown}`, {
			itemIndex,
			description: 'Nothing was sent to BillOver. Pick the invoice from the list, or give its UID.',
		});
	}
	return text.toLowerCase();
}
