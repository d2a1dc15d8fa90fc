import type { INodeProperties } from 'n8n-workflow';

import { cardFilter, companyFilter, paymentTypeFilter } from '../shared/descriptions';
import { EVENT_CHOICES } from './options';

export const triggerProperties: INodeProperties[] = [
	// The editor's node panel makes its trigger actions from the property called "Events".
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		noDataExpression: true,
		required: true,
		default: ['invoiceApproved'],
		description: 'What to start the workflow for; each item says which event it is (event, event_id)',
		options: EVENT_CHOICES.map(({ name, value, description }) => ({ name, value, description })),
	},
	{
		displayName: 'Emit When',
		name: 'emitWhen',
		type: 'options',
		default: 'processed',
		options: [
			{
				name: 'Processing Has Finished',
				value: 'processed',
				description: 'Once OCR has filled the invoice (or failed: then with processing_status "failed")',
			},
			{
				name: 'As Soon As Created',
				value: 'created',
				description: 'Right after the upload, while OCR is still running (most fields are empty)',
			},
		],
		displayOptions: { show: { events: ['invoiceCreated'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Watch only some invoices',
		options: [cardFilter, companyFilter, paymentTypeFilter],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download File',
				name: 'downloadFile',
				type: 'boolean',
				default: false,
				description: 'Whether to attach the original invoice file as binary data (fetched from the storage host, without the API key)',
			},
			{
				displayName: 'Include Details',
				name: 'includeDetails',
				type: 'boolean',
				default: false,
				description: 'Whether to read each invoice\'s detail (items, file URL, history, payment type, card): one more request per invoice',
			},
			{
				displayName: 'Put File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				displayOptions: { show: { downloadFile: [true] } },
				description: 'The name of the output binary field for the downloaded file',
			},
			{
				displayName: 'Redeliver After Restart',
				name: 'redeliverAfterRestart',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit the events of its last 3 minutes of emissions again after n8n restarts, marked "redelivered": n8n may have stopped before their execution ran. Use it when the next step deduplicates by event_id (e.g. as an idempotency key).',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
			},
		],
	},
];
