'use strict';

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { byId, freshInvoice, onlyApiRequest, runBillOver } = require('../helpers');

describe('Invoice Item → Create, Update, Delete', () => {
	const fx = useSimulator({ invoices: 10 });
	const item = (operation, invoiceUid, extra) => ({ resource: 'invoiceItem', operation, invoiceId: byId(invoiceUid), ...extra });

	test('Create: POST /v1/invoices/{uid}/items/ with numbers as fixed-place strings, the new item as output', async () => {
		const { uid } = freshInvoice(fx.sim);
		const itemFields = { name: 'Product A', description: 'Premium quality product', quantity: 2, unit: 'p', total_price: 100, vat_rate: 18 };
		const { items, error } = await runBillOver(fx, item('create', uid, { itemFields }));
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({
			method: 'POST',
			path: `/v1/invoices/${uid}/items/`,
			query: {},
			body: { name: 'Product A', description: 'Premium quality product', quantity: '2.000', unit: 'p', total_price: '100.00', vat_rate: '18.00' },
		});
		expect(items).toHaveLength(1);
		const created = items[0].json;
		expect(created).toEqual({ uid: expect.any(String), name: 'Product A', description: 'Premium quality product', quantity: '2.000', unit: 'p', total_price: '100.00', vat_rate: '18.00' });
		expect(fx.sim.store.getInvoice(uid).items).toContainEqual(created);
	});

	test('Create: numbers given as strings by expressions, only the fields given', async () => {
		const { uid } = freshInvoice(fx.sim);
		const { items } = await runBillOver(fx, item('create', uid, { itemFields: { quantity: '={{ "2.5" }}', total_price: '={{ $json.price }}', unit: 'k' } }), {
			items: [{ json: { price: '12.5' } }],
		});
		expect(onlyApiRequest(fx.sim).body).toEqual({ quantity: '2.500', total_price: '12.50', unit: 'k' });
		expect(items[0].json).toMatchObject({ quantity: '2.500', total_price: '12.50', unit: 'k', name: null, vat_rate: null });
	});

	test('Update: PUT /v1/invoices/{uid}/items/{item_uid} (no trailing slash) with the fields given', async () => {
		const invoice = freshInvoice(fx.sim);
		const target = invoice.items[0];
		const { items, error } = await runBillOver(fx, item('update', invoice.uid, {
			itemId: byId(target.uid.toUpperCase()),
			updateFields: { name: 'Updated Product A', quantity: 3, unit: 'k', total_price: '150' },
		}));
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({
			method: 'PUT',
			path: `/v1/invoices/${invoice.uid}/items/${target.uid}`,
			query: {},
			body: { name: 'Updated Product A', quantity: '3.000', unit: 'k', total_price: '150.00' },
		});
		expect(items[0].json).toEqual({ ...target, name: 'Updated Product A', quantity: '3.000', unit: 'k', total_price: '150.00' });
	});

	test('Delete: DELETE /v1/invoices/{uid}/items/{item_uid}, outputs { deleted, uid, invoice_uid }', async () => {
		const invoice = freshInvoice(fx.sim);
		const target = invoice.items[0];
		const { items, error } = await runBillOver(fx, item('delete', invoice.uid, { itemId: byId(target.uid) }));
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({ method: 'DELETE', path: `/v1/invoices/${invoice.uid}/items/${target.uid}`, query: {}, body: null });
		expect(items.map((entry) => entry.json)).toEqual([{ deleted: true, uid: target.uid, invoice_uid: invoice.uid }]);
		expect(fx.sim.store.getInvoice(invoice.uid).items.map((entry) => entry.uid)).not.toContain(target.uid);
	});

	test('an unknown item: the 404 names the item and its invoice', async () => {
		const { uid } = freshInvoice(fx.sim);
		const itemUid = '12345678-1234-4234-8234-123456789abc';
		const { error } = await runBillOver(fx, item('update', uid, { itemId: byId(itemUid), updateFields: { name: 'x' } }));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(`BillOver could not find item ${itemUid} of invoice ${uid} (404)`);
	});

	test('items of an approved invoice cannot change: 403 that says to remove the approval', async () => {
		const invoice = freshInvoice(fx.sim);
		fx.sim.store.approve(invoice.uid);
		const { error } = await runBillOver(fx, item('create', invoice.uid, { itemFields: { name: 'Late addition' } }));
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe(`BillOver does not allow you to add items to invoice ${invoice.uid} (permission can_update is false)`);
		expect(error.description).toMatch(/remove the approval first/);
		const removal = await runBillOver(fx, item('delete', invoice.uid, { itemId: byId(invoice.items[0].uid) }));
		expect(removal.error.message).toMatch(/permission can_update is false/);
		expect(fx.sim.store.getInvoice(invoice.uid).items).toEqual(invoice.items);
	});

	test('an item create answered 503 is not sent again', async () => {
		const { uid } = freshInvoice(fx.sim);
		const before = fx.sim.store.getInvoice(uid).items.length;
		fx.sim.faults.next(1, { type: 'status-after', status: 503 });
		const { error } = await runBillOver(fx, item('create', uid, { itemFields: { name: 'Once' } }));
		expect(error.message).toMatch(/did not confirm the invoice item/);
		expect(apiCalls(fx.sim)).toEqual([`POST /v1/invoices/${uid}/items/`]);
		expect(fx.sim.store.getInvoice(uid).items).toHaveLength(before + 1);
	});
});
