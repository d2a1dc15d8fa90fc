'use strict';

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { byId, freshInvoice, onlyApiRequest, runBillOver } = require('../helpers');

describe('Invoice → Update and Delete', () => {
	const fx = useSimulator({ invoices: 30 });
	const update = (uid, updateFields) => ({ resource: 'invoice', operation: 'update', invoiceId: byId(uid), updateFields });
	const approvedUid = () => fx.sim.store.listInvoices({ approvement_status: 'approved' })[0].uid;

	test('PUT /v1/invoices/{uid} with all eight fields, normalised to the API\'s formats', async () => {
		const { uid } = freshInvoice(fx.sim);
		const company = fx.sim.store.companies[2].uid;
		const card = fx.sim.store.cards[1].uid;
		const { items, error } = await runBillOver(fx, update(uid, {
			total_price: 599,
			total_vat: '107.8',
			invoice_date: '2024-12-01T00:00:00',
			invoice_number: ' A-123 ',
			currency: 'try',
			payment_type: 'credit_card',
			company_uid: company.toUpperCase(),
			card_uid: card,
		}));
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({
			method: 'PUT',
			path: `/v1/invoices/${uid}`,
			query: {},
			body: {
				total_price: '599.00',
				total_vat: '107.80',
				invoice_date: '2024-12-01',
				invoice_number: 'A-123',
				currency: 'TRY',
				payment_type: 'credit_card',
				company_uid: company,
				card_uid: card,
			},
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(fx.sim.store.getInvoice(uid));
		expect(items[0].json).toMatchObject({ total_price: '599.00', currency: 'TRY', invoice_number: 'A-123', payment_type: 'credit_card' });
		expect(items[0].json.company.uid).toBe(company);
	});

	test('only the fields given are sent; expressions work', async () => {
		const { uid } = freshInvoice(fx.sim);
		const before = fx.sim.store.getInvoice(uid);
		const { items } = await runBillOver(
			fx,
			update('={{ $json.uid }}', { invoice_number: '={{ $json.number }}', invoice_date: '={{ $now }}' }),
			{ items: [{ json: { uid, number: 'INV-7' } }] },
		);
		const { body } = onlyApiRequest(fx.sim);
		expect(Object.keys(body).sort()).toEqual(['invoice_date', 'invoice_number']);
		expect(body.invoice_number).toBe('INV-7');
		expect(body.invoice_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(items[0].json.total_price).toBe(before.total_price);
	});

	test('403 on an approved invoice: says which permission is missing and to remove the approval', async () => {
		const uid = approvedUid();
		const { error } = await runBillOver(fx, update(uid, { invoice_number: 'X-1' }));
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe(`BillOver does not allow you to update invoice ${uid} (permission can_update is false)`);
		expect(error.description).toMatch(/remove the approval first/);
		expect(apiCalls(fx.sim)).toEqual([`PUT /v1/invoices/${uid}`]);
	});

	test('404 names the invoice', async () => {
		const uid = '11111111-2222-4333-8444-555555555555';
		const { error } = await runBillOver(fx, update(uid, { currency: 'EUR' }));
		expect(error.message).toBe(`BillOver could not find invoice ${uid} (404)`);
		expect(error.httpCode).toBe('404');
	});

	test('400 field errors from the API are shown field by field', async () => {
		const { uid } = freshInvoice(fx.sim);
		const unknownCompany = '99999999-9999-4999-8999-999999999999';
		const { error } = await runBillOver(fx, update(uid, { company_uid: unknownCompany, invoice_number: 'OK-1' }));
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe(`BillOver rejected the request: company_uid: Invalid pk "${unknownCompany}" - object does not exist.`);
		expect(error.description).toContain('company_uid: Invalid pk');
		expect(fx.sim.store.getInvoice(uid).invoice_number).not.toBe('OK-1');
	});

	test('Delete: DELETE /v1/invoices/{uid}, outputs { deleted, uid }', async () => {
		const { uid } = freshInvoice(fx.sim);
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'delete', invoiceId: byId(uid) });
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({ method: 'DELETE', path: `/v1/invoices/${uid}`, query: {}, body: null });
		expect(items.map((item) => item.json)).toEqual([{ deleted: true, uid }]);
		expect(fx.sim.store.listInvoices({}).some((invoice) => invoice.uid === uid)).toBe(false);
	});

	test('Delete of an approved invoice: 403 with the hint to remove the approval, nothing deleted', async () => {
		const uid = approvedUid();
		const { error } = await runBillOver(fx, { resource: 'invoice', operation: 'delete', invoiceId: byId(uid) });
		expect(error.message).toBe(`BillOver does not allow you to delete invoice ${uid} (permission can_delete is false)`);
		expect(error.description).toMatch(/remove the approval first/);
		expect(fx.sim.store.getInvoice(uid).uid).toBe(uid);
	});
});
