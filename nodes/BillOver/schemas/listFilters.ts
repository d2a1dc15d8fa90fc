/**
 * The list filters (docs/API.md, Listing), used as the query of
 * `GET /v1/invoices/` and as the JSON body of the exports, which take the
 * same keys.
 */
import { z } from 'zod';

import { APPROVEMENT_STATUSES, PAYMENT_TYPES, isoDate, uuid } from './common';

const uuidList = z.array(uuid);

/** The filters that narrow by who and how (the trigger watches with these). */
export const watchFilterFields = {
	company__uid: uuidList.optional(),
	card__uid: uuidList.optional(),
	payment_type: z.array(z.enum(PAYMENT_TYPES)).optional(),
};

export const listFiltersSchema = z
	.object({
		...watchFilterFields,
		workspace_user__uid: uuidList.optional(),
		approvement_status: z.array(z.enum(APPROVEMENT_STATUSES)).optional(),
		from_date: isoDate.optional(),
		to_date: isoDate.optional(),
		query: z.string().trim().min(1).optional(),
	})
	.strict()
	.refine((filters) => !filters.from_date || !filters.to_date || filters.from_date <= filters.to_date, {
		message: 'must not be after "Created To"',
		path: ['from_date'],
	});

export type ListFilters = z.output<typeof listFiltersSchema>;
