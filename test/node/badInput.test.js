'use strict';

/**
 * Input the node must refuse before it sends anything: each case fails with
 * a NodeOperationError that names the field and the item, and the
 * simulator's log stays empty. Bad values come through expressions, as they
 * do in real workflows (n8n itself blocks a literal that breaks a field's
 * own validation before the node runs).
 */
const { useSimulator } = require('../harness/fixture');
const { PDF_BYTES, byId, fileItem, runBillOver } = require('./helpers');

const UID = '67df8b92-ed61-4796-b5c2-9505bf9d4b6a';
const ITEM_UID = '11111111-2222-4333-8444-555555555555';
const expr = (value) => `={{ ${JSON.stringify(value)} }}`;
const badId = (value) => byId(expr(value));

const invoice = (operation, extra = {}) => ({ resource: 'invoice', operation, invoiceId: byId(UID), ...extra });
const item = (operation, extra = {}) => ({ resource: 'invoiceItem', operation, invoiceId: byId(UID), itemId: byId(ITEM_UID), ...extra });
const update = (updateFields) => invoice('update', { updateFields });
const createItem = (itemFields) => item('create', { itemFields });
const getManyFilters = (filters) => ({ resource: 'invoice', operation: 'getMany', filters });
const upload = (extra = {}) => ({ resource: 'invoice', operation: 'create', ...extra });
const pdf = [fileItem(PDF_BYTES, 'ok.pdf', 'application/pdf')];
const wait = (pollInterval, timeout) => upload({ waitForProcessing: true, pollInterval, timeout });

/** [case, parameters, field named in the message, input items] */
const CASES = [
	// Invoice: the picker, in every operation that has it
	['Get: not a UID', invoice('get', { invoiceId: badId('nope') }), 'Invoice'],
	['Get: empty UID', invoice('get', { invoiceId: badId('') }), 'Invoice'],
	['Get: UID one character short', invoice('get', { invoiceId: badId(UID.slice(1)) }), 'Invoice'],
	['Get: a number', invoice('get', { invoiceId: byId('={{ 42 }}') }), 'Invoice'],
	['Get: a path in the UID', invoice('get', { invoiceId: badId(`${UID}/../x`) }), 'Invoice'],
	['Get: URL without an invoice UID', invoice('get', { invoiceId: { __rl: true, mode: 'url', value: expr('https://app.billover.com/invoices/12') } }), 'Invoice'],
	['Delete: not a UID', invoice('delete', { invoiceId: badId('x') }), 'Invoice'],
	['Approve: not a UID', invoice('approve', { invoiceId: badId('approve-me') }), 'Invoice'],
	['Reject: not a UID', invoice('reject', { invoiceId: badId('123') }), 'Invoice'],
	['Remove Approval: not a UID', invoice('removeApproval', { invoiceId: badId('zzz') }), 'Invoice'],
	['Download File: not a UID', invoice('downloadFile', { invoiceId: badId('file') }), 'Invoice'],
	['Update: not a UID (fields fine)', { ...update({ currency: 'EUR' }), invoiceId: badId('nope') }, 'Invoice'],
	['Item Create: invoice not a UID', { ...createItem({ name: 'A' }), invoiceId: badId('nope') }, 'Invoice'],
	['Item Delete: invoice not a UID', { ...item('delete'), invoiceId: badId('nope') }, 'Invoice'],

	// Get Many: limit and filters
	['Get Many: limit 0', { resource: 'invoice', operation: 'getMany', limit: expr(0) }, 'Limit'],
	['Get Many: limit 2.5', { resource: 'invoice', operation: 'getMany', limit: expr(2.5) }, 'Limit'],
	['Get Many: limit "ten"', { resource: 'invoice', operation: 'getMany', limit: expr('ten') }, 'Limit'],
	['Get Many: company UID', getManyFilters({ company__uid: ['acme'] }), 'Company UIDs'],
	['Get Many: second company UID', getManyFilters({ company__uid: [UID, '42'] }), 'Company UIDs'],
	['Get Many: workspace user UID', getManyFilters({ workspace_user__uid: expr('a, b') }), 'Workspace User UIDs'],
	['Get Many: card UID', getManyFilters({ card__uid: ['4111-1111'] }), 'Card UIDs'],
	['Get Many: approval status', getManyFilters({ approvement_status: '={{ ["pending"] }}' }), 'Approval Status'],
	['Get Many: payment type', getManyFilters({ payment_type: '={{ ["cheque"] }}' }), 'Payment Type'],
	['Get Many: created from, month 13', getManyFilters({ from_date: expr('2024-13-01') }), 'Created From'],
	['Get Many: created to, a word', getManyFilters({ to_date: expr('yesterday') }), 'Created To'],
	['Get Many: created from after created to', getManyFilters({ from_date: '2024-05-02', to_date: '2024-05-01' }), 'Created From'],
	['Export CSV: approval status', { resource: 'invoice', operation: 'exportCsv', filters: { approvement_status: '={{ ["done"] }}' } }, 'Approval Status'],
	['Export CSV: no output field', { resource: 'invoice', operation: 'exportCsv', binaryPropertyName: expr('  ') }, 'Put Output File in Field'],
	['Export XLSX: created from, Feb 30', { resource: 'invoice', operation: 'exportXlsx', filters: { from_date: expr('2024-02-30') } }, 'Created From'],
	['Export XLSX: company UID', { resource: 'invoice', operation: 'exportXlsx', filters: { company__uid: ['x'] } }, 'Company UIDs'],
	['Download File: no output field', invoice('downloadFile', { binaryPropertyName: expr('') }), 'Put Output File in Field'],

	// Create: the file and the wait settings
	['Create: no binary data at all', upload(), 'Input Binary Field', [{ json: {} }]],
	['Create: file in another field', upload(), 'Input Binary Field', [fileItem(PDF_BYTES, 'a.pdf', 'application/pdf', 'scan')]],
	['Create: blank field name', upload({ binaryPropertyName: expr(' ') }), 'Input Binary Field', pdf],
	['Create: a GIF', upload(), 'Input Binary Field', [fileItem(Buffer.from('GIF89a...'), 'a.gif', 'image/gif')]],
	['Create: a text file', upload(), 'Input Binary Field', [fileItem(Buffer.from('hello'), 'a.txt', 'text/plain')]],
	['Create: octet-stream named .docx', upload(), 'Input Binary Field', [fileItem(Buffer.from('PK..'), 'a.docx', 'application/octet-stream')]],
	['Create: octet-stream without extension', upload(), 'Input Binary Field', [fileItem(Buffer.from('%PDF'), 'scan', 'application/octet-stream')]],
	['Create: an empty PDF', upload(), 'Input Binary Field', [fileItem(Buffer.alloc(0), 'empty.pdf', 'application/pdf')]],
	['Create: poll interval 0', wait(expr(0), 10), 'Poll Interval (Seconds)', pdf],
	['Create: poll interval "soon"', wait(expr('soon'), 10), 'Poll Interval (Seconds)', pdf],
	['Create: timeout negative', wait(1, expr(-5)), 'Timeout (Seconds)', pdf],
	['Create: timeout over a day', wait(1, expr(100000)), 'Timeout (Seconds)', pdf],

	// Update: the eight fields
	['Update: no fields', update({}), 'Update Fields'],
	['Update: total price 3 decimals', update({ total_price: 1.234 }), 'Total Price'],
	['Update: total price too large', update({ total_price: 123456789 }), 'Total Price'],
	['Update: total VAT a word', update({ total_vat: expr('abc') }), 'Total VAT'],
	['Update: invoice date Feb 30', update({ invoice_date: expr('2024-02-30') }), 'Invoice Date'],
	['Update: invoice date a word', update({ invoice_date: expr('tomorrow') }), 'Invoice Date'],
	['Update: invoice number empty', update({ invoice_number: expr('  ') }), 'Invoice Number'],
	['Update: invoice number 65 characters', update({ invoice_number: 'N'.repeat(65) }), 'Invoice Number'],
	['Update: currency EURO', update({ currency: 'EURO' }), 'Currency'],
	['Update: currency XYZ', update({ currency: 'XYZ' }), 'Currency'],
	['Update: payment type', update({ payment_type: expr('cheque') }), 'Payment Type'],
	['Update: company UID', update({ company_uid: 'acme' }), 'Company UID'],
	['Update: card UID', update({ card_uid: '4111 1111 1111 1111' }), 'Card UID'],

	// Invoice items
	['Item Create: no fields', createItem({}), 'Item Fields'],
	['Item Create: quantity 4 decimals', createItem({ quantity: 1.2345 }), 'Quantity'],
	['Item Create: quantity a word', createItem({ quantity: expr('two') }), 'Quantity'],
	['Item Create: total price 3 decimals', createItem({ total_price: 10.005 }), 'Total Price'],
	['Item Create: VAT rate over 100', createItem({ vat_rate: 101 }), 'VAT Rate'],
	['Item Create: VAT rate negative', createItem({ vat_rate: -1 }), 'VAT Rate'],
	['Item Create: VAT rate 3 decimals', createItem({ vat_rate: 18.125 }), 'VAT Rate'],
	['Item Create: unit box', createItem({ unit: expr('box') }), 'Unit'],
	['Item Create: empty name', createItem({ name: expr(' ') }), 'Name'],
	['Item Create: name 256 characters', createItem({ name: 'n'.repeat(256) }), 'Name'],
	['Item Update: no fields', item('update', { updateFields: {} }), 'Update Fields'],
	['Item Update: item UID not a UID', item('update', { itemId: byId(expr('nope')), updateFields: { name: 'A' } }), 'Item'],
	['Item Update: item UID empty', item('update', { itemId: byId(expr('')), updateFields: { name: 'A' } }), 'Item'],
	['Item Update: total price with a comma', item('update', { updateFields: { total_price: expr('12,50') } }), 'Total Price'],
	['Item Delete: item UID not a UID', item('delete', { itemId: byId(expr('12345')) }), 'Item'],
];

describe('Bad input is refused before any request', () => {
	const fx = useSimulator({ invoices: 3 });

	test('the corpus is large enough and covers every operation', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(50);
		const operations = new Set(CASES.map(([, parameters]) => `${parameters.resource}.${parameters.operation}`));
		expect([...operations].sort()).toEqual([
			'invoice.approve', 'invoice.create', 'invoice.delete', 'invoice.downloadFile', 'invoice.exportCsv', 'invoice.exportXlsx',
			'invoice.get', 'invoice.getMany', 'invoice.reject', 'invoice.removeApproval', 'invoice.update',
			'invoiceItem.create', 'invoiceItem.delete', 'invoiceItem.update',
		]);
	});

	test.each(CASES)('%s', async (_name, parameters, field, items = [{ json: {} }]) => {
		const alone = await runBillOver(fx, parameters, { items: items.slice(0, 1) });
		expect(alone.error).toBeDefined();
		expect(alone.error.name).toBe('NodeOperationError');
		expect(alone.error.message).toMatch(new RegExp(`^Invalid input in item 0: (.*; )?"${field.replace(/[()]/g, '\\$&')}"`));
		expect(alone.error.context.itemIndex).toBe(0);
		expect(alone.items).toEqual([]);

		// The same input twice, with Continue On Fail: each error names its own item.
		const twice = await runBillOver(fx, parameters, { items: [items[0], items[0]], continueOnFail: true });
		expect(twice.items.map((entry) => entry.pairedItem.item)).toEqual([0, 1]);
		expect(twice.items[1].json.error).toMatch(new RegExp(`^Invalid input in item 1: (.*; )?"${field.replace(/[()]/g, '\\$&')}"`));

		expect(fx.sim.log).toEqual([]);
	});
});
