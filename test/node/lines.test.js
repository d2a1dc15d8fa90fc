'use strict';

/**
 * What an accounting sync reads in bulk: the lines of an invoice (Invoice
 * Item → Get Many, and the item picker), every listed invoice's detail
 * (Get Many → Include Details), and an invoice with its file in one step
 * (Get → Download File).
 */
const { useSimulator, apiCalls } = require('../harness/fixture');
const { binaryBytes, byId, runBillOver } = require('./helpers');

describe('Invoice lines, details in bulk, the file with the invoice', () => {
	const fx = useSimulator({ invoices: 130 });
	const withItems = (count = 2) => fx.sim.store.listInvoices({}).find((invoice) => fx.sim.store.getInvoice(invoice.uid).items.length >= count);

	test('Invoice Item → Get Many: one output item per line, with the invoice it belongs to; one request', async () => {
		const invoice = fx.sim.store.getInvoice(withItems(2).uid);
		fx.sim.clearLog();
		const { items, error } = await runBillOver(fx, { resource: 'invoiceItem', operation: 'getMany', invoiceId: byId(invoice.uid), returnAll: true });
		expect(error).toBeUndefined();
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${invoice.uid}`]);
		expect(items.map((item) => item.json)).toEqual(
			invoice.items.map((line) => ({ invoice_uid: invoice.uid, invoice_hf_id: invoice.hf_id, uid: line.uid, name: line.name, description: line.description, quantity: line.quantity, unit: line.unit, total_price: line.total_price, vat_rate: line.vat_rate })),
		);
		expect(items.every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test('Invoice Item → Get Many: Limit, and Simplify off gives the API item with the invoice uid', async () => {
		const invoice = fx.sim.store.getInvoice(withItems(2).uid);
		const { items } = await runBillOver(fx, { resource: 'invoiceItem', operation: 'getMany', invoiceId: byId(invoice.uid), returnAll: false, limit: 1, simplify: false });
		expect(items.map((item) => item.json)).toEqual([{ ...invoice.items[0], invoice_uid: invoice.uid }]);
	});

	test('the item picker lists the chosen invoice\'s items and searches them; without an invoice it says so', async () => {
		const invoice = fx.sim.store.getInvoice(withItems(2).uid);
		const listed = await fx.engine.listSearch({ type: 'billOver', method: 'searchInvoiceItems', parameters: { resource: 'invoiceItem', operation: 'update', invoiceId: byId(invoice.uid) } });
		expect(listed.results.map((result) => result.value)).toEqual(invoice.items.map((line) => line.uid));
		expect(listed.results[0].name).toContain(invoice.items[0].name);
		const word = invoice.items[1].name.split(' ')[0];
		const searched = await fx.engine.listSearch({ type: 'billOver', method: 'searchInvoiceItems', filter: word.toUpperCase(), parameters: { invoiceId: byId(invoice.uid) } });
		expect(searched.results.length).toBeGreaterThanOrEqual(1);
		for (const result of searched.results) {
			const line = invoice.items.find((candidate) => candidate.uid === result.value);
			expect(`${line.name} ${line.description}`.toLowerCase()).toContain(word.toLowerCase());
		}
		const byUrl = await fx.engine.listSearch({ type: 'billOver', method: 'searchInvoiceItems', parameters: { invoiceId: { __rl: true, mode: 'url', value: `https://app.billover.com/invoices/${invoice.uid}` } } });
		expect(byUrl.results).toHaveLength(invoice.items.length);
		await expect(fx.engine.listSearch({ type: 'billOver', method: 'searchInvoiceItems', parameters: { invoiceId: { __rl: true, mode: 'list', value: '' } } })).rejects.toThrow('Choose the invoice first');
	});

	test('Invoice Item → Update with the item picked from the list (version 2)', async () => {
		const invoice = fx.sim.store.createInvoice({ fileName: 'lines.pdf', processing: false });
		const line = fx.sim.store.getInvoice(invoice.uid).items[0];
		const { items, error } = await runBillOver(fx, {
			resource: 'invoiceItem',
			operation: 'update',
			invoiceId: byId(invoice.uid),
			itemId: { __rl: true, mode: 'list', value: line.uid, cachedResultName: line.name },
			updateFields: { name: 'Picked' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ uid: line.uid, name: 'Picked' });
	});

	test('Get Many → Include Details: every invoice\'s detail, in list order; ⌈N/100⌉ + N requests', async () => {
		fx.sim.clearLog();
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'getMany', returnAll: true, includeDetails: true, simplify: false });
		expect(error).toBeUndefined();
		const all = fx.sim.store.listInvoices({});
		expect(all.length).toBeGreaterThan(100);
		expect(items.map((item) => item.json.uid)).toEqual(all.map((invoice) => invoice.uid));
		expect(items[0].json).toEqual(fx.sim.store.getInvoice(all[0].uid));
		const calls = apiCalls(fx.sim);
		expect(calls.filter((call) => call.startsWith('GET /v1/invoices/?'))).toHaveLength(Math.ceil(all.length / 100));
		expect(calls).toHaveLength(Math.ceil(all.length / 100) + all.length);
	});

	test('Get Many → Include Details with Simplify: the list fields plus totals, payment, file and items; a Limit reads only what it returns', async () => {
		fx.sim.clearLog();
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 3, includeDetails: true });
		expect(apiCalls(fx.sim)).toHaveLength(1 + 3);
		const detail = fx.sim.store.getInvoice(items[0].json.uid);
		expect(items[0].json).toMatchObject({ uid: detail.uid, invoice_number: detail.invoice_number, total_vat: detail.total_vat, file: detail.file, items: detail.items });
		expect(items[0].json.permissions).toBeUndefined();
	});

	test('Get → Download File: the detail and its original file in one step, the file fetched without the API key', async () => {
		const uid = fx.sim.store.listInvoices({}).at(-1).uid; // a seeded invoice: its file is a generated PDF
		fx.sim.clearLog();
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'get', invoiceId: byId(uid), downloadFile: true, binaryPropertyName: 'invoice' });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual(fx.sim.store.getInvoice(uid));
		expect(binaryBytes(items[0], 'invoice').subarray(0, 5).toString()).toBe('%PDF-');
		const storage = fx.sim.requests({ origin: 'storage' });
		expect(storage).toHaveLength(1);
		expect(storage[0].headers['api-key']).toBeUndefined();
		const plain = await runBillOver(fx, { resource: 'invoice', operation: 'get', invoiceId: byId(uid) });
		expect(plain.items[0].binary).toBeUndefined();
	});
});
