import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as invoice from './actions/invoice/Invoice.resource';
import * as invoiceItem from './actions/invoiceItem/InvoiceItem.resource';
import { router, routerOptions } from './actions/router';
import { searchInvoiceItems, searchInvoices } from './methods/listSearch';

export class BillOver implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BillOver',
		name: 'billOver',
		icon: { light: 'file:billover.svg', dark: 'file:billover.dark.svg' },
		group: ['transform'],
		// One version, and no defaultVersion: n8n adds its "Custom API Call" only then.
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read, upload, update, approve and export invoices in BillOver',
		defaults: { name: 'BillOver' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'billOverApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Invoice', value: 'invoice' },
					{ name: 'Invoice Item', value: 'invoiceItem' },
				],
				default: 'invoice',
			},
			...invoice.description,
			...invoiceItem.description,
			...routerOptions,
		],
	};

	methods = {
		listSearch: { searchInvoiceItems, searchInvoices },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
