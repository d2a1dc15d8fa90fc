/**
 * From the node's "Filters" collection to the API's filter keys, validated.
 * Empty values are dropped (an empty multi-select or a blank search means "no filter").
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ListFilters } from '../schemas/listFilters';
import { LIST_FILTER_LABELS, listFiltersSchema } from '../schemas/listFilters';
import { parseInput } from './validate';

export function readListFilters(ctx: IExecuteFunctions, itemIndex: number): ListFilters {
	const raw = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const cleaned: IDataObject = {};
	for (const [key, value] of Object.entries(raw)) {
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
		if (Array.isArray(value)) {
			const values = value.filter((entry) => entry !== '' && entry !== null && entry !== undefined);
			if (values.length) cleaned[key] = values;
		} else if (typeof value === 'string' && LIST_FILTER_LABELS[key] && key.endsWith('__uid')) {
			// A UID list given as one comma-separated expression result.
			cleaned[key] = value.split(',').map((part) => part.trim()).filter(Boolean);
		} else {
			cleaned[key] = value;
		}
	}
	return parseInput(ctx, listFiltersSchema, cleaned, itemIndex, LIST_FILTER_LABELS);
}
