/** Body of `PUT /v1/invoices/{uid}`: any subset of the eight documented fields. */
import { z } from 'zod';

import { PAYMENT_TYPES, currency, decimal, isoDate, uuid } from './common';

export const invoiceUpdateSchema = z
	.object({
		total_price: decimal(10, 2).optional(),
		total_vat: decimal(10, 2).optional(),
		invoice_date: isoDate.optional(),
		invoice_number: z.string({ invalid_type_error: 'must be text' }).trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
		currency: currency.optional(),
		payment_type: z.enum(PAYMENT_TYPES).optional(),
		company_uid: uuid.optional(),
		card_uid: uuid.optional(),
	})
	.strict()
	.refine((body) => Object.keys(body).length > 0, { message: 'must have at least one field to update' });
