/**
 * Body of `POST /v1/invoices/{uid}/items/` and of `PUT …/items/{item_uid}`:
 * the documents mark every item field optional, for create and update alike,
 * so one schema serves both; an empty body is refused.
 */
import { z } from 'zod';

import { UNITS, decimal } from './common';

export const itemBodySchema = z
	.object({
		name: z.string({ invalid_type_error: 'must be text' }).trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters').optional(),
		description: z.string({ invalid_type_error: 'must be text' }).max(10_000, 'must be at most 10,000 characters').optional(),
		quantity: decimal(10, 3).optional(),
		unit: z.enum(UNITS).optional(),
		total_price: decimal(10, 2).optional(),
		vat_rate: decimal(5, 2, { min: 0, max: 100 }).optional(),
	})
	.strict()
	.refine((body) => Object.keys(body).length > 0, { message: 'must have at least one item field' });

export type ItemBody = z.output<typeof itemBodySchema>;
