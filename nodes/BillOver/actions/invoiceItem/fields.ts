/**
 * What the invoice item operations share: the item's fields (one list for
 * the "Item Fields" of Create and the "Update Fields" of Update), the item
 * picker, and reading them into the request body.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireUuid } from '../../shared/parameters';
import { labelsOf, parseInput } from '../../shared/validate';
import { UUID_REGEX } from '../../schemas/common';
import type { ItemBody } from '../../schemas/invoiceItem';
import { itemBodySchema } from '../../schemas/invoiceItem';

export const itemFieldOptions: INodeProperties[] = [
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'A longer description of the item',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Product A',
		description: 'Name of the item, at most 255 characters',
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { numberPrecision: 3 },
		default: 1,
		description: 'How many units, with at most 3 decimal places',
	},
	{
		displayName: 'Total Price',
		name: 'total_price',
		type: 'number',
		typeOptions: { numberPrecision: 2 },
		default: 0,
		description: 'Total price of the item for the whole quantity, VAT included, with at most 2 decimal places',
	},
	{
		displayName: 'Unit',
		name: 'unit',
		type: 'options',
		default: 'p',
		options: [
			{ name: 'Kilogram', value: 'k' },
			{ name: 'Liter', value: 'l' },
			{ name: 'Meter', value: 'm' },
			{ name: 'Piece', value: 'p' },
		],
		description: 'Unit of the quantity',
	},
	{
		displayName: 'VAT Rate',
		name: 'vat_rate',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
		default: 0,
		description: 'VAT rate in percent (0 to 100), with at most 2 decimal places',
	},
];

/** The item: picked from the chosen invoice's items, or by its UID. */
export const itemLocator: INodeProperties = {
	displayName: 'Item',
	name: 'itemId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The item of the invoice to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an item of the invoice...',
			typeOptions: { searchListMethod: 'searchInvoiceItems', searchable: true, searchFilterRequired: false },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '67df8b92-ed61-4796-b5c2-9505bf9d4b6a',
			validation: [{ type: 'regex', properties: { regex: `^\\s*${UUID_REGEX}\\s*$`, errorMessage: 'Not a valid item UID' } }],
		},
	],
};

/** The named collection ("Item Fields" or "Update Fields") as an item body; empty is an error. */
export function readItemBody(ctx: IExecuteFunctions, itemIndex: number, collection: string, label: string): ItemBody {
	const fields = ctx.getNodeParameter(collection, itemIndex, {}) as IDataObject;
	return parseInput(ctx, itemBodySchema, fields, itemIndex, { '': label, ...labelsOf(itemFieldOptions) });
}

export function readItemUid(ctx: IExecuteFunctions, itemIndex: number): string {
	return requireUuid(ctx, ctx.getNodeParameter('itemId', itemIndex, '', { extractValue: true }), itemIndex, 'Item');
}
