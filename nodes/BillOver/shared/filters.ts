/**
 * From a "Filters" collection to the API's filter keys, validated.
 * Empty values are dropped: an empty multi-select, a blank search, and an
 * entry added but left empty (the editor stores a new entry of a list of
 * UIDs as `[]`: `{ card__uid: [[]] }`) all mean "no filter".
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ListFilters } from '../schemas/listFilters';
import { listFiltersSchema } from '../schemas/listFilters';
import { listFilters } from './descriptions';
import { labelsOf, parseInput } from './validate';

/** The filter fields' names as the editor shows them. */
export const LIST_FILTER_LABELS = labelsOf(listFilters.options as INodeProperties[]);

const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/**
 * The filters without empty values. Lists are flattened (an entry may be an
 * expression that gives a list) and a UID list may be one comma-separated text.
 */
export function cleanFilters(raw: IDataObject): IDataObject {
	const cleaned: IDataObject = {};
	for (const [key, value] of Object.entries(raw)) {
		if (isEmpty(value)) continue;
		if (Array.isArray(value)) {
			const values = (value as unknown[])
				.flat(2)
				.map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
				.filter((entry) => !isEmpty(entry));
			if (values.length) cleaned[key] = values as IDataObject[];
		} else if (typeof value === 'string' && key.endsWith('__uid')) {
			const values = value.split(',').map((part) => part.trim()).filter(Boolean);
			if (values.length) cleaned[key] = values;
		} else {
			cleaned[key] = value;
		}
	}
	return cleaned;
}

export function readListFilters(ctx: IExecuteFunctions, itemIndex: number): ListFilters {
	const raw = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return parseInput(ctx, listFiltersSchema, cleanFilters(raw), itemIndex, LIST_FILTER_LABELS);
}
