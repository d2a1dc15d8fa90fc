import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { parseInput } from '../BillOver/helpers/validate';
import { LIST_FILTER_LABELS, watchFilterFields } from '../BillOver/schemas/listFilters';
import type { EmitWhen, EventName, WatchFilters } from './tracker';

export type TriggerEvent = 'invoiceApproved' | 'invoiceCreated';

/** The Event parameter's values and the events they watch. */
export const EVENT_PARAMETER: Record<TriggerEvent, EventName> = {
	invoiceApproved: 'invoice.approved',
	invoiceCreated: 'invoice.created',
};

export interface TriggerOptions {
	event: TriggerEvent;
	/** The events this trigger node reports. */
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
	const event = ctx.getNodeParameter('event', 'invoiceApproved') as TriggerEvent;
	const emitWhen = ctx.getNodeParameter('emitWhen', 'processed') as EmitWhen;
	const rawFilters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const cleaned: IDataObject = {};
	for (const [key, value] of Object.entries(rawFilters)) {
		const list = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value])
			.map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
			.filter((entry) => entry !== '' && entry !== null && entry !== undefined);
		if (list.length) cleaned[key] = list;
	}
	const filters = parseInput(ctx, filtersSchema, cleaned, undefined, LIST_FILTER_LABELS);
	const binaryPropertyName = typeof options.binaryPropertyName === 'string' && options.binaryPropertyName.trim() ? options.binaryPropertyName.trim() : 'data';
	return {
		event,
		events: [EVENT_PARAMETER[event] ?? 'invoice.approved'],
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
 * What the stored state was computed for. When the event or the filters
 * change, the old state does not apply and the trigger starts from "now".
 */
export function stateKey(options: TriggerOptions): string {
	const filters = Object.entries(options.filters)
		.filter(([, values]) => values && values.length)
		.map(([key, values]) => `${key}=${[...(values as string[])].sort().join(',')}`)
		.sort()
		.join('&');
	return `${options.event}|${options.event === 'invoiceCreated' ? options.emitWhen : ''}|${filters}`;
}
