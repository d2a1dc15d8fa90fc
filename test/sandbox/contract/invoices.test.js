'use strict';

// GET / PUT / DELETE /v1/invoices/{uid} (docs/API.md, Endpoints, "Update Invoice",
// "Delete Invoice"; docs/API.md, Update, "Errors").

const { call, useSimulator, UUID_V4, CREATED_AT } = require('./helpers');

const ctx = useSimulator({ seed: 21, invoices: 30 });

const DETAIL_FIELDS = [
	'approvement_status',
	'card',
	'category',
	'company',
	'country',
	'created_at',
	'currency',
	'file',
	'history',
	'hf_id',
	'invoice_date',
	'invoice_number',
	'items',
	'language',
	'payment_type',
	'permissions',
	'processing_status',
	'total_price',
	'total_price_display',
	'total_vat',
	'uid',
	'vat_categories',
	'workspace_user',
].sort();

/** A fresh editable (waiting, finished) invoice. */
function freshInvoice() {
	return ctx.sim.store.createInvoice({ fileName: 'fresh.pdf', processing: false });
}

describe('GET /v1/invoices/{uid}', () => {
	test('answers every detail field with the documented shapes', async () => {
		const withItems = ctx.sim.store
			.listInvoices()
			.find((r) => ctx.sim.store.getInvoice(r.uid).items.length >= 2);
		const res = await call(ctx.sim, 'GET', `/v1/invoices/${withItems.uid}`);
		expect(res.status).toBe(200);
		const d = res.body;
		expect(Object.keys(d).sort()).toEqual(DETAIL_FIELDS);
		expect(d.uid).toMatch(UUID_V4);
		expect(d.hf_id).toMatch(/^[A-Z]{3,4}$/);
		expect(d.created_at).toMatch(CREATED_AT);
		expect(d.total_price).toMatch(/^-?\d+\.\d{2}$/);
		expect(d.total_vat).toMatch(/^-?\d+\.\d{2}$/);
		expect(d.invoice_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(['EUR', 'USD', 'TRY', 'GBP']).toContain(d.currency);
		expect(['credit_card', 'cash', 'bank_transfer', 'other']).toContain(d.payment_type);
		expect(Object.keys(d.company).sort()).toEqual([
			'address',
			'name',
			'phone',
			'tax_number',
			'tax_office',
			'uid',
		]);
		expect(Object.keys(d.workspace_user).sort()).toEqual(['role_type', 'uid', 'user']);
		expect(Object.keys(d.workspace_user.user).sort()).toEqual([
			'email',
			'first_name',
			'full_name',
			'last_name',
			'uid',
		]);
		expect(d.file).toBe(`${ctx.sim.storageBaseUrl}/invoices/${d.uid}.pdf`);
		for (const item of d.items) {
			expect(Object.keys(item).sort()).toEqual([
				'description',
				'name',
				'quantity',
				'total_price',
				'uid',
				'unit',
				'vat_rate',
			]);
			expect(item.quantity).toMatch(/^\d+\.\d{3}$/);
			expect(item.total_price).toMatch(/^\d+\.\d{2}$/);
			expect(item.vat_rate).toMatch(/^\d+\.\d{2}$/);
		}
		// Totals follow the items (seeded invoices with items are consistent).
		const sum = d.items.reduce((s, i) => s + Math.round(Number(i.total_price) * 100), 0);
		expect(Math.round(Number(d.total_price) * 100)).toBe(sum);
		// vat_categories: one entry per rate, adding up to total_vat.
		const rates = [...new Set(d.items.map((i) => i.vat_rate))].sort(
			(a, b) => Number(a) - Number(b),
		);
		expect(d.vat_categories.map((c) => c.vat_rate)).toEqual(rates);
		const vatSum = d.vat_categories.reduce((s, c) => s + Math.round(Number(c.total_vat) * 100), 0);
		expect(vatSum).toBe(Math.round(Number(d.total_vat) * 100));
		expect(d.history[0]).toMatchObject({ action: 'created', created_at: d.created_at });
		expect(d.history[1].action).toBe('processing_finished');
	});

	test('a card is present for card payments, with uid, name and last_four', async () => {
		const card = ctx.sim.store
			.listInvoices()
			.map((r) => ctx.sim.store.getInvoice(r.uid))
			.find((d) => d.card);
		const res = await call(ctx.sim, 'GET', `/v1/invoices/${card.uid}`);
		expect(Object.keys(res.body.card).sort()).toEqual(['last_four', 'name', 'uid']);
		expect(res.body.card.last_four).toMatch(/^\d{4}$/);
	});

	test('total_price_display formats the total', async () => {
		const inv = freshInvoice();
		await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, { json: { total_price: '1234567.5' } });
		const res = await call(ctx.sim, 'GET', `/v1/invoices/${inv.uid}`);
		expect(res.body.total_price).toBe('1234567.50');
		expect(res.body.total_price_display).toBe('1,234,567.50');
	});

	test('a failed invoice has its fields null and no items', async () => {
		const failed = ctx.sim.store.listInvoices().find((r) => r.processing_status === 'failed');
		const res = await call(ctx.sim, 'GET', `/v1/invoices/${failed.uid}`);
		expect(res.body).toMatchObject({
			processing_status: 'failed',
			total_price: null,
			company: null,
			items: [],
			vat_categories: [],
			invoice_number: null,
		});
	});

	test.each([
		['unknown', '00000000-0000-4000-8000-000000000000'],
		['malformed', 'not-a-uuid'],
	])('an %s uid is 404', async (_, uid) => {
		const res = await call(ctx.sim, 'GET', `/v1/invoices/${uid}`);
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'No Invoice matches the given query.' });
	});
});

describe('PUT /v1/invoices/{uid}', () => {
	test('updates the documented fields and answers the detail', async () => {
		const inv = freshInvoice();
		const [company] = ctx.sim.store.companies;
		const [card] = ctx.sim.store.cards;
		const body = {
			total_price: '599.00',
			total_vat: '107.82',
			invoice_date: '2024-12-01',
			invoice_number: 'A-123',
			currency: 'TRY',
			payment_type: 'credit_card',
			company_uid: company.uid,
			card_uid: card.uid,
		};
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, { json: body });
		expect(res.status).toBe(200);
		expect(Object.keys(res.body).sort()).toEqual(DETAIL_FIELDS);
		expect(res.body).toMatchObject({
			total_price: '599.00',
			total_vat: '107.82',
			invoice_date: '2024-12-01',
			invoice_number: 'A-123',
			currency: 'TRY',
			payment_type: 'credit_card',
			company,
			card,
		});
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${inv.uid}`)).body).toMatchObject({
			total_vat: '107.82',
			company,
		});
	});

	test('fields not sent are left as they are; unknown fields are ignored', async () => {
		const inv = freshInvoice();
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, {
			json: { invoice_number: 'ONLY-THIS', colour: 'red', uid: 'x' },
		});
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			...inv,
			invoice_number: 'ONLY-THIS',
			history: expect.any(Array),
		});
		expect(res.body.uid).toBe(inv.uid);
		expect(res.body).not.toHaveProperty('colour');
	});

	test('numbers are accepted and decimals are stored with fixed places', async () => {
		const inv = freshInvoice();
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, {
			json: { total_price: 599, total_vat: '7.5' },
		});
		expect(res.body.total_price).toBe('599.00');
		expect(res.body.total_vat).toBe('7.50');
	});

	test('null clears a field', async () => {
		const inv = freshInvoice();
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, {
			json: { card_uid: null, invoice_number: null },
		});
		expect(res.body.card).toBeNull();
		expect(res.body.invoice_number).toBeNull();
	});

	test('adds an updated history entry and an updated transition', async () => {
		const inv = freshInvoice();
		const before = ctx.sim.transitions.length;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, {
			json: { invoice_number: 'H-1' },
		});
		expect(res.body.history.map((h) => h.action)).toEqual([
			'created',
			'processing_finished',
			'updated',
		]);
		expect(res.body.history[2].workspace_user).toEqual(ctx.sim.store.workspaceUsers[0]);
		expect(ctx.sim.transitions.slice(before)).toEqual([
			expect.objectContaining({
				type: 'updated',
				uid: inv.uid,
				approvementStatus: 'waiting',
				processingStatus: 'finished',
			}),
		]);
	});

	const invalid = [
		['total_price', '599.005', 'Ensure that there are no more than 2 decimal places.'],
		['total_price', 'abc', 'A valid number is required.'],
		['total_price', true, 'A valid number is required.'],
		['total_price', '12345678901', 'Ensure that there are no more than 10 digits in total.'],
		[
			'total_price',
			'123456789',
			'Ensure that there are no more than 8 digits before the decimal point.',
		],
		['total_vat', 'NaN', 'A valid number is required.'],
		['total_vat', '1.5e-3', 'Ensure that there are no more than 2 decimal places.'],
		[
			'invoice_date',
			'2024-13-01',
			'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
		],
		[
			'invoice_date',
			'01.12.2024',
			'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
		],
		['invoice_number', 'x'.repeat(65), 'Ensure this field has no more than 64 characters.'],
		['invoice_number', { a: 1 }, 'Not a valid string.'],
		['currency', 'XYZ', '"XYZ" is not a valid choice.'],
		['currency', 'eur', '"eur" is not a valid choice.'],
		['payment_type', 'paypal', '"paypal" is not a valid choice.'],
		['company_uid', 'abc', '“abc” is not a valid UUID.'],
		[
			'company_uid',
			'00000000-0000-4000-8000-000000000000',
			'Invalid pk "00000000-0000-4000-8000-000000000000" - object does not exist.',
		],
		[
			'card_uid',
			'11111111-1111-4111-8111-111111111111',
			'Invalid pk "11111111-1111-4111-8111-111111111111" - object does not exist.',
		],
		['card_uid', 5, 'Incorrect type. Expected pk value, received int.'],
	];
	test.each(invalid)('%s = %p is 400: %s', async (field, value, message) => {
		const inv = freshInvoice();
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, { json: { [field]: value } });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ [field]: [message] });
		expect(ctx.sim.store.getInvoice(inv.uid).history.map((h) => h.action)).not.toContain('updated');
	});

	test('a 400 changes nothing, even for the valid fields sent with it', async () => {
		const inv = freshInvoice();
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${inv.uid}`, {
			json: { invoice_number: 'SHOULD-NOT-STICK', currency: 'XYZ', total_price: '1.234' },
		});
		expect(res.status).toBe(400);
		expect(Object.keys(res.body).sort()).toEqual(['currency', 'total_price']);
		expect(ctx.sim.store.getInvoice(inv.uid).invoice_number).toBe(inv.invoice_number);
	});

	test('unknown uid is 404 before the body is read', async () => {
		const res = await call(ctx.sim, 'PUT', '/v1/invoices/00000000-0000-4000-8000-000000000000', {
			json: { currency: 'XYZ' },
		});
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'No Invoice matches the given query.' });
	});
});

describe('DELETE /v1/invoices/{uid}', () => {
	test('204 with an empty body; the invoice is gone', async () => {
		const inv = freshInvoice();
		const count = ctx.sim.store.count();
		const res = await call(ctx.sim, 'DELETE', `/v1/invoices/${inv.uid}`);
		expect(res.status).toBe(204);
		expect(res.bytes.length).toBe(0);
		expect(ctx.sim.store.count()).toBe(count - 1);
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${inv.uid}`)).status).toBe(404);
		expect(ctx.sim.transitions[ctx.sim.transitions.length - 1]).toMatchObject({
			type: 'deleted',
			uid: inv.uid,
		});
	});

	test('deleting twice is 404 the second time', async () => {
		const inv = freshInvoice();
		await call(ctx.sim, 'DELETE', `/v1/invoices/${inv.uid}`);
		const res = await call(ctx.sim, 'DELETE', `/v1/invoices/${inv.uid}`);
		expect(res.status).toBe(404);
	});

	test('a rejected invoice can be deleted', async () => {
		const inv = freshInvoice();
		ctx.sim.store.reject(inv.uid);
		expect((await call(ctx.sim, 'DELETE', `/v1/invoices/${inv.uid}`)).status).toBe(204);
	});
});
