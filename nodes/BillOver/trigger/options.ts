import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { watchFilterFields } from '../schemas/listFilters';
import { LIST_FILTER_LABELS, cleanFilters } from '../shared/filters';
import { parseInput } from '../shared/validate';
import type { EmitWhen, EventName, WatchFilters } from './tracker';

/**
 * The events a user picks, as data: the parameter value, what the editor
 * shows, and the tracker's event (tracker/events.ts).
 */
export const EVENT_CHOICES = [
	{ value: 'invoiceApproved', event: 'invoice.approved', name: 'Invoice Approved', description: 'An invoice was approved (again after a removed approval, too)' },
	{ value: 'invoiceCreated', event: 'invoice.created', name: 'Invoice Created', description: 'An invoice was uploaded to BillOver' },
	{ value: 'invoiceApprovalRemoved', event: 'invoice.approval_removed', name: 'Invoice Approval Removed', description: 'An approved invoice went back to waiting (or on to rejected): reverse what its approval booked' },
	{ value: 'invoiceRejected', event: 'invoice.rejected', name: 'Invoice Rejected', description: 'A waiting invoice was rejected' },
	{ value: 'invoiceDeleted', event: 'invoice.deleted', name: 'Invoice Deleted', description: 'A waiting or rejected invoice was deleted (approved invoices cannot be)' },
] as const;

const EVENT_OF = new Map<string, EventName>(EVENT_CHOICES.map((choice) => [choice.value, choice.event]));

export interface TriggerOptions {
	/** The events this trigger node reports, in the order of EVENT_CHOICES. */
	events: EventName[];
	emitWhen: EmitWhen;
	filters: WatchFilters;
	includeDetails: boolean;
	downloadFile: boolean;
	binaryPropertyName: string;
	simplify: boolean;
	/** Emit the last events again on the first poll after n8n restarted (they may not have run). */
	redeliver: boolean;
}

const filtersSchema = z.object(watchFilterFields).strict();

/** The trigger's parameters, validated (a bad UID is refused before any request). */
export function readTriggerOptions(ctx: IPollFunctions): TriggerOptions {
	const picked = ctx.getNodeParameter('events', []) as string[];
	const unknown = picked.filter((value) => !EVENT_OF.has(value));
	if (!picked.length || unknown.length) {
		throw new NodeOperationError(ctx.getNode(), unknown.length ? `Unknown event "${unknown[0]}"` : 'Pick at least one event', {
			description: `"Events" takes ${EVENT_CHOICES.map((choice) => `"${choice.name}"`).join(', ')}.`,
		});
	}
	const events = EVENT_CHOICES.filter((choice) => picked.includes(choice.value)).map((choice) => choice.event);
	const emitWhen = ctx.getNodeParameter('emitWhen', 'processed') as EmitWhen;
	const rawFilters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	// Every trigger filter is a list: one value (e.g. from an expression) is a list of one.
	const cleaned = Object.fromEntries(
		Object.entries(cleanFilters(rawFilters)).map(([key, value]) => [key, Array.isArray(value) ? value : String(value).split(',').map((part) => part.trim()).filter(Boolean)]),
	);
	const filters = parseInput(ctx, filtersSchema, cleaned, undefined, LIST_FILTER_LABELS);
	const binaryPropertyName = typeof options.binaryPropertyName === 'string' && options.binaryPropertyName.trim() ? options.binaryPropertyName.trim() : 'data';
	return {
		events,
		emitWhen,
		filters,
		includeDetails: options.includeDetails === true,
		downloadFile: options.downloadFile === true,
		binaryPropertyName,
		simplify: options.simplify !== false,
		redeliver: options.redeliverAfterRestart === true,
	};
}

/**
 * What the stored state was computed for. When the events or the filters
 * change, the old state does not apply and the trigger starts from "now".
 * Part of the stored state (trigger/state.ts): a change here is a change of
 * the stored state's schema.
 */
export function stateKey(options: TriggerOptions): string {
	const filters = Object.entries(options.filters)
		.filter(([, values]) => values && values.length)
		.map(([key, values]) => `${key}=${[...(values as string[])].sort().join(',')}`)
		.sort()
		.join('&');
	const creations = options.events.includes('invoice.created');
	return `${options.events.join(',')}|${creations ? options.emitWhen : ''}|${filters}`;
}
