import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invoiceUpdateSchema } from '../../schemas/invoiceUpdate';
import { updateInvoice } from '../../shared/endpoints';
import { invoiceLocator, paymentTypeOptions } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';
import { labelsOf, parseInput } from '../../shared/validate';

const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Card UID',
			name: 'card_uid',
			type: 'string',
			default: '',
			placeholder: '67df8b92-ed61-4796-b5c2-9505bf9d4b6a',
			description: 'UID of the card the invoice was paid with',
		},
		{
			displayName: 'Company UID',
			name: 'company_uid',
			type: 'string',
			default: '',
			placeholder: 'fd0c0c55-ba4f-4efa-9cbc-dd63b8470533',
			description: 'UID of the company that issued the invoice',
		},
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'string',
			default: '',
			placeholder: 'EUR',
			description: 'Three-letter ISO 4217 currency code, such as EUR, USD or TRY',
		},
		{
			displayName: 'Invoice Date',
			name: 'invoice_date',
			type: 'dateTime',
			typeOptions: { dateOnly: true },
			default: '',
			description: 'The day the invoice was issued (the time of day is ignored)',
		},
		{
			displayName: 'Invoice Number',
			name: 'invoice_number',
			type: 'string',
			default: '',
			placeholder: 'A-123',
			description: 'The number printed on the invoice, at most 64 characters',
		},
		{
			displayName: 'Payment Type',
			name: 'payment_type',
			type: 'options',
			default: 'bank_transfer',
			options: paymentTypeOptions,
			description: 'How the invoice was paid',
		},
		{
			displayName: 'Total Price',
			name: 'total_price',
			type: 'number',
			typeOptions: { numberPrecision: 2 },
			default: 0,
			description: 'The invoice total, VAT included, with at most 2 decimal places',
		},
		{
			displayName: 'Total VAT',
			name: 'total_vat',
			type: 'number',
			typeOptions: { numberPrecision: 2 },
			default: 0,
			description: 'The VAT contained in the total, with at most 2 decimal places',
		},
	],
};

const properties: INodeProperties[] = [invoiceLocator, updateFields];
/** The field names in messages, as the editor shows them. */
const LABELS = { '': updateFields.displayName, ...labelsOf(updateFields.options as INodeProperties[]) };

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['update'] } }, properties);

/** PUT /v1/invoices/{uid} with the fields given; the others stay as they are. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const uid = readInvoiceUid(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = parseInput(this, invoiceUpdateSchema, fields, itemIndex, LABELS);
	return [{ json: await updateInvoice(this, uid, body, itemIndex) }];
}
