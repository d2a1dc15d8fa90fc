import type { OperationModule } from '../operation';
import { resourceDescription } from '../operation';
import * as create from './create.operation';
import * as deleteItem from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationModule> = {
	create,
	delete: deleteItem,
	getMany,
	update,
};

export const description = resourceDescription(
	'invoiceItem',
	[
		{ name: 'Create', value: 'create', action: 'Create an invoice item', description: 'Add an item to an invoice that is not approved' },
		{ name: 'Delete', value: 'delete', action: 'Delete an invoice item', description: 'Remove an item from an invoice that is not approved' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many invoice items', description: 'List the items (lines) of an invoice' },
		{ name: 'Update', value: 'update', action: 'Update an invoice item', description: 'Change fields of an item of an invoice that is not approved' },
	],
	'create',
	operations,
);
