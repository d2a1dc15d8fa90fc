import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, OperationModule> = {
	get,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get an invoice', description: 'Get an invoice with its items, file URL and history' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many invoices', description: 'List invoices, newest first, with filters' },
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
];
