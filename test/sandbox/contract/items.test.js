'use strict';

// /v1/invoices/{uid}/items/ and /items/{item_uid} (docs/API.md, Invoice items): create, update,
// delete; decimals as fixed-place strings; 404s; the invoice's totals follow its items.

const { call, useSimulator, UUID_V4 } = require('./helpers');

const ctx = useSimulator({ seed: 9, invoices: 6 });

const DOC_ITEM = {
	name: 'Product A',
	description: 'Premium quality product',
	quantity: '2.000',
	unit: 'p',
	total_price: '100.00',
	vat_rate: '18.00',
};

/** A new waiting invoice without items. */
function emptyInvoice() {
	const { uid } = ctx.sim.store.createInvoice({ fileName: 'items.pdf', processing: false });
	for (const item of ctx.sim.store.getInvoice(uid).items) ctx.sim.store.deleteItem(uid, item.uid);
	return uid;
}

function postItem(uid, json) {
	return call(ctx.sim, 'POST', `/v1/invoices/${uid}/items/`, { json });
}

describe('create', () => {
	test('the documented request gives the documented answer (201)', async () => {
		const uid = emptyInvoice();
		const res = await postItem(uid, DOC_ITEM);
		expect(res.status).toBe(201);
		expect(res.body).toEqual({ uid: expect.stringMatching(UUID_V4), ...DOC_ITEM });
		expect(ctx.sim.store.getInvoice(uid).items).toEqual([res.body]);
	});

	test('decimals come back with fixed places', async () => {
		const uid = emptyInvoice();
		const res = await postItem(uid, { quantity: 2, total_price: 100, vat_rate: '18' });
		expect(res.body).toMatchObject({ quantity: '2.000', total_price: '100.00', vat_rate: '18.00' });
		const half = await postItem(uid, { quantity: '0.5', total_price: '9.9', vat_rate: 5.5 });
		expect(half.body).toMatchObject({ quantity: '0.500', total_price: '9.90', vat_rate: '5.50' });
	});

	test('fields not sent are null', async () => {
		const res = await postItem(emptyInvoice(), { name: 'Only a name' });
		expect(res.body).toEqual({
			uid: expect.any(String),
			name: 'Only a name',
			description: null,
			quantity: null,
			unit: null,
			total_price: null,
			vat_rate: null,
		});
	});

	test('an unknown invoice is 404', async () => {
		const res = await postItem('00000000-0000-4000-8000-000000000000', DOC_ITEM);
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'No Invoice matches the given query.' });
	});

	const invalid = [
		['quantity', '1.2345', 'Ensure that there are no more than 3 decimal places.'],
		[
			'quantity',
			'12345678.5',
			'Ensure that there are no more than 7 digits before the decimal point.',
		],
		['quantity', 'two', 'A valid number is required.'],
		['unit', 'x', '"x" is not a valid choice.'],
		['unit', 'kg', '"kg" is not a valid choice.'],
		['total_price', '10.001', 'Ensure that there are no more than 2 decimal places.'],
		['vat_rate', '101', 'Ensure this value is less than or equal to 100.'],
		['vat_rate', '-1', 'Ensure this value is greater than or equal to 0.'],
		['vat_rate', '1000', 'Ensure that there are no more than 3 digits before the decimal point.'],
		['vat_rate', '18.125', 'Ensure that there are no more than 2 decimal places.'],
		['name', 'n'.repeat(256), 'Ensure this field has no more than 255 characters.'],
	];
	test.each(invalid)('%s = %p is 400: %s', async (field, value, message) => {
		const uid = emptyInvoice();
		const res = await postItem(uid, { ...DOC_ITEM, [field]: value });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ [field]: [message] });
		expect(ctx.sim.store.getInvoice(uid).items).toEqual([]);
	});

	test('every unit value is accepted', async () => {
		const uid = emptyInvoice();
		for (const unit of ['k', 'p', 'm', 'l']) {
			expect((await postItem(uid, { unit })).body.unit).toBe(unit);
		}
	});

	test('vat_rate 0 and 100 are allowed', async () => {
		const uid = emptyInvoice();
		expect((await postItem(uid, { vat_rate: '0' })).body.vat_rate).toBe('0.00');
		expect((await postItem(uid, { vat_rate: 100 })).body.vat_rate).toBe('100.00');
	});
});

describe('update', () => {
	test('the documented update keeps the fields not sent', async () => {
		const uid = emptyInvoice();
		const item = (await postItem(uid, DOC_ITEM)).body;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}/items/${item.uid}`, {
			json: { name: 'Updated Product A', quantity: '3.000', unit: 'k', total_price: '150.00' },
		});
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			uid: item.uid,
			name: 'Updated Product A',
			description: 'Premium quality product',
			quantity: '3.000',
			unit: 'k',
			total_price: '150.00',
			vat_rate: '18.00',
		});
	});

	test('a bad value is 400 and changes nothing', async () => {
		const uid = emptyInvoice();
		const item = (await postItem(uid, DOC_ITEM)).body;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}/items/${item.uid}`, {
			json: { name: 'X', unit: 'z' },
		});
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ unit: ['"z" is not a valid choice.'] });
		expect(ctx.sim.store.getInvoice(uid).items[0]).toEqual(item);
	});

	test('an item of another invoice is 404', async () => {
		const a = emptyInvoice();
		const b = emptyInvoice();
		const item = (await postItem(a, DOC_ITEM)).body;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${b}/items/${item.uid}`, {
			json: { name: 'steal' },
		});
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'No InvoiceItem matches the given query.' });
		const del = await call(ctx.sim, 'DELETE', `/v1/invoices/${b}/items/${item.uid}`);
		expect(del.status).toBe(404);
		expect(ctx.sim.store.getInvoice(a).items).toEqual([item]);
	});

	test.each(['00000000-0000-4000-8000-000000000000', 'not-a-uid'])(
		'item %s is 404',
		async (itemUid) => {
			const res = await call(ctx.sim, 'PUT', `/v1/invoices/${emptyInvoice()}/items/${itemUid}`, {
				json: {},
			});
			expect(res.status).toBe(404);
			expect(res.body).toEqual({ detail: 'No InvoiceItem matches the given query.' });
		},
	);

	test('an unknown invoice is 404 for the invoice', async () => {
		const res = await call(
			ctx.sim,
			'PUT',
			`/v1/invoices/00000000-0000-4000-8000-000000000000/items/x`,
			{ json: {} },
		);
		expect(res.body).toEqual({ detail: 'No Invoice matches the given query.' });
	});
});

describe('delete', () => {
	test('204, empty body; the item is gone', async () => {
		const uid = emptyInvoice();
		const item = (await postItem(uid, DOC_ITEM)).body;
		const res = await call(ctx.sim, 'DELETE', `/v1/invoices/${uid}/items/${item.uid}`);
		expect(res.status).toBe(204);
		expect(res.bytes.length).toBe(0);
		expect(ctx.sim.store.getInvoice(uid).items).toEqual([]);
		expect((await call(ctx.sim, 'DELETE', `/v1/invoices/${uid}/items/${item.uid}`)).status).toBe(
			404,
		);
	});
});

describe('the invoice follows its items', () => {
	test('totals, vat_categories, history and transitions', async () => {
		const uid = emptyInvoice();
		const before = ctx.sim.transitions.length;
		const historyBefore = ctx.sim.store.getInvoice(uid).history.length;
		const a = (await postItem(uid, { total_price: '118.00', vat_rate: '18.00' })).body;
		await postItem(uid, { total_price: '10.70', vat_rate: '7.00' });
		await postItem(uid, { total_price: '59.00', vat_rate: '18.00' });
		let d = (await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).body;
		expect(d.total_price).toBe('187.70');
		expect(d.vat_categories).toEqual([
			{ vat_rate: '7.00', total_vat: '0.70' },
			{ vat_rate: '18.00', total_vat: '27.00' },
		]);
		expect(d.total_vat).toBe('27.70');

		await call(ctx.sim, 'PUT', `/v1/invoices/${uid}/items/${a.uid}`, {
			json: { total_price: '236.00' },
		});
		d = (await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).body;
		expect(d.total_price).toBe('305.70');
		expect(d.vat_categories[1]).toEqual({ vat_rate: '18.00', total_vat: '45.00' });

		await call(ctx.sim, 'DELETE', `/v1/invoices/${uid}/items/${a.uid}`);
		d = (await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).body;
		expect(d.total_price).toBe('69.70');
		expect(d.total_vat).toBe('9.70');

		expect(d.history.slice(historyBefore).map((h) => h.action)).toEqual([
			'updated',
			'updated',
			'updated',
			'updated',
			'updated',
		]);
		expect(ctx.sim.transitions.slice(before).map((t) => t.type)).toEqual([
			'updated',
			'updated',
			'updated',
			'updated',
			'updated',
		]);
	});
});
