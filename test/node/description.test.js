'use strict';

/**
 * What the editor shows, decided by the node descriptions: checked with
 * n8n-workflow's own display logic (NodeHelpers), the way the editor runs it.
 * test/ui/ then looks at the real editor.
 */
const { NodeHelpers } = require('n8n-workflow');
const { BillOver } = require('../../nodes/BillOver/BillOver.node');
const { BillOverTrigger } = require('../../nodes/BillOver/BillOverTrigger.node');

const action = new BillOver().description;
const trigger = new BillOverTrigger().description;

/** The top-level parameters the editor shows for these values. */
function shown(description, values) {
	const node = { name: 'n', type: description.name, typeVersion: 1, parameters: values, position: [0, 0] };
	return description.properties.filter((property) => NodeHelpers.displayParameter(values, property, node, description)).map((property) => property.name);
}

function collectionOptionShown(description, collection, option, values) {
	const node = { name: 'n', type: description.name, typeVersion: 1, parameters: values, position: [0, 0] };
	const parent = description.properties.find((property) => property.name === collection && NodeHelpers.displayParameter(values, property, node, description));
	const child = parent.options.find((entry) => entry.name === option);
	return NodeHelpers.displayParameterPath(values, child, collection, node, description);
}

describe('what the editor shows', () => {
	test('Requests in Parallel (Options): on every operation, Auto by default', () => {
		for (const operation of ['getMany', 'get', 'approve', 'create', 'exportCsv']) expect(shown(action, { resource: 'invoice', operation })).toContain('options');
		for (const operation of ['getMany', 'create', 'update', 'delete']) expect(shown(action, { resource: 'invoiceItem', operation })).toContain('options');
		const options = action.properties.find((property) => property.name === 'options');
		expect(options.options.map((option) => [option.name, option.default])).toEqual([
			['parallelRequests', 'auto'],
			['maxParallel', 1000],
			['itemsInParallel', 4],
		]);
	});

	test('the item is picked from the chosen invoice\'s items', () => {
		expect(shown(action, { resource: 'invoiceItem', operation: 'update' })).toEqual(expect.arrayContaining(['invoiceId', 'itemId']));
		expect(shown(action, { resource: 'invoiceItem', operation: 'delete' })).toEqual(expect.arrayContaining(['invoiceId', 'itemId']));
	});

	test('as an AI agent\'s tool: each operation\'s own Tool Description, which n8n gives the model; none in the node itself', () => {
		// n8n's tool variant of the node: the same description under a name ending in "Tool" (what `@tool` looks at).
		const tool = { ...action, name: `${action.name}Tool` };
		const toolNode = (parameters) => ({ name: 'BillOver', type: `n8n-nodes-billover.${tool.name}`, typeVersion: 1, parameters, position: [0, 0] });
		const described = new Set();
		for (const [resource, operations] of [['invoice', ['approve', 'create', 'delete', 'downloadFile', 'exportCsv', 'exportXlsx', 'get', 'getMany', 'reject', 'removeApproval', 'update']], ['invoiceItem', ['create', 'delete', 'getMany', 'update']]]) {
			for (const operation of operations) {
				expect(shown(action, { resource, operation })).not.toContain('toolDescription');
				const node = toolNode({ resource, operation });
				// As n8n fills in a workflow's node: defaults of what is shown.
				node.parameters = NodeHelpers.getNodeParameters(tool.properties, node.parameters, true, false, node, tool);
				const text = NodeHelpers.getToolDescriptionForNode(node, { description: tool });
				expect(text).toBe(node.parameters.toolDescription);
				expect(text).not.toMatch(/ in BillOver$/);
				expect(text.length).toBeGreaterThan(80);
				described.add(text);
			}
		}
		expect(described.size).toBe(15);
		const create = NodeHelpers.getNodeParameters(tool.properties, { resource: 'invoice', operation: 'create' }, true, false, toolNode({}), tool);
		expect(create.toolDescription).toMatch(/^Cannot run as a tool/);
	});

	test('one version per node, and no defaultVersion: n8n then offers its Custom API Call', () => {
		for (const description of [action, trigger]) {
			expect(description.version).toBe(1);
			expect(description.defaultVersion).toBeUndefined();
		}
	});

	test('the trigger\'s "Put File in Field" shows only with Download File on', () => {
		expect(collectionOptionShown(trigger, 'options', 'binaryPropertyName', { events: ['invoiceApproved'], options: {} })).toBe(false);
		expect(collectionOptionShown(trigger, 'options', 'binaryPropertyName', { events: ['invoiceApproved'], options: { downloadFile: true } })).toBe(true);
	});

	test('date-only fields use the date picker (dateOnly)', () => {
		const filters = action.properties.find((property) => property.name === 'filters');
		const update = action.properties.find((property) => property.name === 'updateFields');
		const dates = [...filters.options.filter((option) => ['from_date', 'to_date'].includes(option.name)), update.options.find((option) => option.name === 'invoice_date')];
		expect(dates).toHaveLength(3);
		for (const field of dates) expect(field).toMatchObject({ type: 'dateTime', typeOptions: { dateOnly: true } });
	});

	test('the trigger: Emit When shows with Invoice Created, and Events lists every event first', () => {
		expect(shown(trigger, { events: ['invoiceApproved', 'invoiceCreated'] })).toEqual(expect.arrayContaining(['events', 'emitWhen']));
		expect(shown(trigger, { events: ['invoiceApproved'] })).not.toContain('emitWhen');
		// n8n's node panel makes its "On …" trigger actions from the first Event(s) property.
		const first = trigger.properties.find((property) => ['event', 'events'].includes(property.displayName.toLowerCase()));
		expect(first.name).toBe('events');
		expect(first.options.map((option) => option.name)).toEqual(['Invoice Approved', 'Invoice Created', 'Invoice Approval Removed', 'Invoice Rejected', 'Invoice Deleted']);
	});

	test('the node panel: the app shows the trigger\'s description, so it speaks for both nodes', () => {
		expect(trigger.description).toMatch(/start workflows when/);
		expect(trigger.description).toMatch(/read, upload, approve and export/);
	});

	test.each([
		['BillOver', require('../../nodes/BillOver/BillOver.node.json')],
		['BillOver Trigger', require('../../nodes/BillOver/BillOverTrigger.node.json')],
	])('%s is found by what users type: invoice, bill, accounting, approve invoice, OCR, receipt', (_name, codex) => {
		const aliases = codex.alias.map((alias) => alias.toLowerCase());
		for (const word of ['invoice', 'bill', 'accounting', 'approve invoice', 'ocr', 'receipt']) expect(aliases).toContain(word);
	});
});
