/**
 * Parameters several operations share: the invoice picker, the list filters
 * (Get Many and the exports), the binary property name.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { UUID_REGEX } from '../schemas/common';

/** Picks an invoice: searchable list, its UID, or a BillOver link that contains it. */
export const invoiceLocator: INodeProperties = {
	displayName: 'Invoice',
	name: 'invoiceId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The invoice to act on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an invoice...',
			typeOptions: {
				searchListMethod: 'searchInvoices',
				searchable: true,
				searchFilterRequired: false,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '67df8b92-ed61-4796-b5c2-9505bf9d4b6a',
			validation: [
				{
					type: 'regex',
					properties: { regex: `^\\s*${UUID_REGEX}\\s*$`, errorMessage: 'Not a valid invoice UID' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://app.billover.com/invoices/67df8b92-ed61-4796-b5c2-9505bf9d4b6a',
			extractValue: { type: 'regex', regex: `/invoices/(${UUID_REGEX})` },
			validation: [
				{
					type: 'regex',
					properties: { regex: `^https?://.+/invoices/${UUID_REGEX}.*`, errorMessage: 'Not a BillOver invoice URL' },
				},
			],
		},
	],
};

/** Return All, and Limit when not. */
export const limitFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const binaryPropertyOutput = (description: string): INodeProperties => ({
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
	description,
});

/** `payment_type` values (docs/API.md, Values), for filters and for Update. */
export const paymentTypeOptions: INodePropertyOptions[] = [
	{ name: 'Bank Transfer', value: 'bank_transfer' },
	{ name: 'Cash', value: 'cash' },
	{ name: 'Credit Card', value: 'credit_card' },
	{ name: 'Other', value: 'other' },
];

/** Filters the list and the trigger share (the API's filter keys). */
export const cardFilter: INodeProperties = {
	displayName: 'Card UIDs',
	name: 'card__uid',
	type: 'string',
	typeOptions: { multipleValues: true },
	default: [],
	placeholder: 'Add Card UID',
	description: 'Only invoices paid with one of these cards',
};

export const companyFilter: INodeProperties = {
	displayName: 'Company UIDs',
	name: 'company__uid',
	type: 'string',
	typeOptions: { multipleValues: true },
	default: [],
	placeholder: 'Add Company UID',
	description: 'Only invoices from one of these companies',
};

export const paymentTypeFilter: INodeProperties = {
	displayName: 'Payment Type',
	name: 'payment_type',
	type: 'multiOptions',
	default: [],
	options: paymentTypeOptions,
	description: 'Only invoices paid in one of these ways',
};

/** The list filters, as the API names them (docs/API.md, Listing). */
export const listFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Approval Status',
			name: 'approvement_status',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Approved', value: 'approved' },
				{ name: 'Rejected', value: 'rejected' },
				{ name: 'Waiting', value: 'waiting' },
			],
			description: 'Only invoices with one of these approval statuses',
		},
		cardFilter,
		companyFilter,
		{
			displayName: 'Created From',
			name: 'from_date',
			type: 'dateTime',
			typeOptions: { dateOnly: true },
			default: '',
			description: 'Only invoices created on or after this day',
		},
		{
			displayName: 'Created To',
			name: 'to_date',
			type: 'dateTime',
			typeOptions: { dateOnly: true },
			default: '',
			description: 'Only invoices created on or before this day',
		},
		paymentTypeFilter,
		{
			displayName: 'Search Query',
			name: 'query',
			type: 'string',
			default: '',
			description:
				'Searches item names and descriptions, category, invoice number, company name, address and tax number, and the human-friendly ID',
		},
		{
			displayName: 'Workspace User UIDs',
			name: 'workspace_user__uid',
			type: 'string',
			typeOptions: { multipleValues: true },
			default: [],
			placeholder: 'Add User UID',
			description: 'Only invoices uploaded by one of these workspace users',
		},
	],
};
