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
		{
			name: 'Create',
			value: 'create',
			action: 'Create an invoice item',
			description: 'Add an item to an invoice that is not approved',
			tool: "Adds an item (line) to one BillOver invoice. Needs the invoice's UID and the item's fields (name, description, quantity, unit, total_price, vat_rate). The invoice must be waiting or rejected. Returns the new item with its uid.",
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an invoice item',
			description: 'Remove an item from an invoice that is not approved',
			tool: "Removes an item (line) from one BillOver invoice. Needs the invoice's UID and the item's UID (from the Get Many items tool). The invoice must be waiting or rejected. Returns deleted: true with the item's uid and the invoice's.",
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many invoice items',
			description: 'List the items (lines) of an invoice',
			tool: "Lists the items (lines) of one BillOver invoice. Needs the invoice's UID. Returns each item's uid, name, description, quantity, unit, total_price and vat_rate.",
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update an invoice item',
			description: 'Change fields of an item of an invoice that is not approved',
			tool: "Changes fields of one item (line) of a BillOver invoice. Needs the invoice's UID and the item's UID; only fields given change. The invoice must be waiting or rejected. Returns the updated item.",
		},
	],
	'create',
	operations,
);
