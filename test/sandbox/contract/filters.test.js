'use strict';

// GET /v1/invoices/ filters (docs/API.md, Listing, docs/API.md, Listing):
// repeated keys OR within a key, AND across keys; django-filter's 400 messages.

const { call, useSimulator, listAll } = require('./helpers');

const ctx = useSimulator({ seed: 5, invoices: 80 });

/** Every invoice in detail shape, straight from the store (the reference the filters are checked against). */
function allDetails() {
	return ctx.sim.store.listInvoices().map((r) => ctx.sim.store.getInvoice(r.uid));
}

function uids(list) {
	return list.map((r) => r.uid);
}

/** Expected uids in list order for a predicate over detail shapes. */
function expected(predicate) {
	return uids(allDetails().filter(predicate));
}

describe('array filters', () => {
	test('company__uid: one company', async () => {
		const company = ctx.sim.store.companies[0];
		const got = await listAll(ctx.sim, `company__uid=${company.uid}`);
		expect(got.length).toBeGreaterThan(0);
		expect(uids(got)).toEqual(expected((d) => d.company && d.company.uid === company.uid));
	});

	test('company__uid repeated: OR within the key', async () => {
		const [a, b] = ctx.sim.store.companies;
		const got = await listAll(ctx.sim, `company__uid=${a.uid}&company__uid=${b.uid}`);
		const want = expected((d) => d.company && [a.uid, b.uid].includes(d.company.uid));
		expect(uids(got)).toEqual(want);
		expect(want.length).toBeGreaterThan((await listAll(ctx.sim, `company__uid=${a.uid}`)).length);
	});

	test('workspace_user__uid', async () => {
		const user = ctx.sim.store.workspaceUsers[1];
		const got = await listAll(ctx.sim, `workspace_user__uid=${user.uid}`);
		expect(got.length).toBeGreaterThan(0);
		expect(uids(got)).toEqual(expected((d) => d.workspace_user.uid === user.uid));
	});

	test('card__uid', async () => {
		const [a, b] = ctx.sim.store.cards;
		const got = await listAll(ctx.sim, `card__uid=${a.uid}&card__uid=${b.uid}`);
		expect(got.length).toBeGreaterThan(0);
		expect(uids(got)).toEqual(expected((d) => d.card && [a.uid, b.uid].includes(d.card.uid)));
	});

	test('approvement_status, one and two values', async () => {
		const approved = await listAll(ctx.sim, 'approvement_status=approved');
		expect(approved.length).toBeGreaterThan(0);
		expect(approved.every((r) => r.approvement_status === 'approved')).toBe(true);
		expect(uids(approved)).toEqual(expected((d) => d.approvement_status === 'approved'));
		const two = await listAll(ctx.sim, 'approvement_status=waiting&approvement_status=rejected');
		expect(uids(two)).toEqual(expected((d) => d.approvement_status !== 'approved'));
	});

	test('payment_type', async () => {
		const got = await listAll(ctx.sim, 'payment_type=cash&payment_type=other');
		expect(got.length).toBeGreaterThan(0);
		expect(uids(got)).toEqual(expected((d) => ['cash', 'other'].includes(d.payment_type)));
	});

	test('AND across keys', async () => {
		const company = ctx.sim.store.companies[0];
		const got = await listAll(
			ctx.sim,
			`company__uid=${company.uid}&approvement_status=approved&payment_type=credit_card`,
		);
		const want = expected(
			(d) =>
				d.company &&
				d.company.uid === company.uid &&
				d.approvement_status === 'approved' &&
				d.payment_type === 'credit_card',
		);
		expect(uids(got)).toEqual(want);
		const companyOnly = await listAll(ctx.sim, `company__uid=${company.uid}`);
		expect(got.length).toBeLessThan(companyOnly.length);
	});

	test('an unknown but valid UUID matches nothing', async () => {
		const res = await call(
			ctx.sim,
			'GET',
			'/v1/invoices/?company__uid=00000000-0000-4000-8000-000000000000',
		);
		expect(res.status).toBe(200);
		expect(res.body.count).toBe(0);
	});

	test('UUIDs are accepted in upper case and without dashes', async () => {
		const company = ctx.sim.store.companies[2];
		const plain = await listAll(ctx.sim, `company__uid=${company.uid}`);
		const odd = await listAll(
			ctx.sim,
			`company__uid=${company.uid.replace(/-/g, '').toUpperCase()}`,
		);
		expect(uids(odd)).toEqual(uids(plain));
	});

	test('empty values are ignored', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?approvement_status=&company__uid=');
		expect(res.body.count).toBe(ctx.sim.store.count());
	});

	test('the count reflects the filter, not the page', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?approvement_status=rejected&page_size=1');
		expect(res.body.count).toBe(expected((d) => d.approvement_status === 'rejected').length);
		expect(res.body.page_count).toBe(res.body.count);
	});
});

describe('invalid filters are 400 with field errors', () => {
	test('invalid UUID', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?company__uid=x');
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ company__uid: ['“x” is not a valid UUID.'] });
	});

	test.each(['workspace_user__uid', 'card__uid'])('invalid UUID in %s', async (key) => {
		const res = await call(ctx.sim, 'GET', `/v1/invoices/?${key}=1234`);
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ [key]: ['“1234” is not a valid UUID.'] });
	});

	test('invalid choice', async () => {
		const res = await call(
			ctx.sim,
			'GET',
			'/v1/invoices/?approvement_status=waiting&approvement_status=x',
		);
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			approvement_status: ['Select a valid choice. x is not one of the available choices.'],
		});
		const pay = await call(ctx.sim, 'GET', '/v1/invoices/?payment_type=paypal');
		expect(pay.body).toEqual({
			payment_type: ['Select a valid choice. paypal is not one of the available choices.'],
		});
	});

	test.each(['2024-13-01', '2024-02-30', '01/02/2024', 'yesterday'])(
		'invalid date %s',
		async (date) => {
			const res = await call(ctx.sim, 'GET', `/v1/invoices/?from_date=${encodeURIComponent(date)}`);
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ from_date: ['Enter a valid date.'] });
		},
	);

	test('several bad fields are reported together', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?to_date=x&card__uid=y&payment_type=z');
		expect(res.status).toBe(400);
		expect(Object.keys(res.body).sort()).toEqual(['card__uid', 'payment_type', 'to_date']);
	});

	test('filters are checked before the page: a bad filter on a bad page is 400', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?page=999&approvement_status=nope');
		expect(res.status).toBe(400);
	});
});

describe('date filters', () => {
	test('from_date and to_date are inclusive, on the created_at date', async () => {
		const all = ctx.sim.store.listInvoices();
		const day = all[Math.floor(all.length / 2)].created_at.slice(0, 10);
		const got = await listAll(ctx.sim, `from_date=${day}&to_date=${day}`);
		expect(got.length).toBeGreaterThan(0);
		expect(uids(got)).toEqual(uids(all.filter((r) => r.created_at.startsWith(day))));
	});

	test('a range', async () => {
		const all = ctx.sim.store.listInvoices();
		const to = all[10].created_at.slice(0, 10);
		const from = all[30].created_at.slice(0, 10);
		const got = await listAll(ctx.sim, `from_date=${from}&to_date=${to}`);
		const want = all.filter(
			(r) => r.created_at.slice(0, 10) >= from && r.created_at.slice(0, 10) <= to,
		);
		expect(uids(got)).toEqual(uids(want));
		expect(got.length).toBeGreaterThanOrEqual(21);
		const onlyFrom = await listAll(ctx.sim, `from_date=${from}`);
		expect(uids(onlyFrom)).toEqual(uids(all.filter((r) => r.created_at.slice(0, 10) >= from)));
	});

	test('the date is taken in created_at’s own offset', async () => {
		// 23:30 at +03:00 is 20:30Z the same day; 21:30Z is already the next day at +03:00.
		const late = ctx.sim.store.createInvoice({
			fileName: 'late.pdf',
			createdAt: '2021-05-10T23:30:00.000001+03:00',
			processing: false,
		});
		const next = ctx.sim.store.createInvoice({
			fileName: 'next.pdf',
			createdAt: '2021-05-10T21:30:00.000002Z',
			processing: false,
		});
		expect(next.created_at).toBe('2021-05-11T00:30:00.000002+03:00');
		const tenth = await listAll(ctx.sim, 'from_date=2021-05-10&to_date=2021-05-10');
		expect(uids(tenth)).toEqual([late.uid]);
		const eleventh = await listAll(ctx.sim, 'from_date=2021-05-11&to_date=2021-05-11');
		expect(uids(eleventh)).toEqual([next.uid]);
		ctx.sim.store.deleteInvoice(late.uid);
		ctx.sim.store.deleteInvoice(next.uid);
	});

	test('from_date after to_date matches nothing', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?from_date=2025-01-02&to_date=2025-01-01');
		expect(res.body.count).toBe(0);
	});
});

describe('query search', () => {
	test('hf_id, case-insensitive', async () => {
		const target = ctx.sim.store.listInvoices()[7];
		const got = await listAll(ctx.sim, `query=${target.hf_id.toLowerCase()}`);
		expect(uids(got)).toContain(target.uid);
		expect(
			got.every(
				(r) =>
					r.hf_id.includes(target.hf_id) ||
					JSON.stringify(ctx.sim.store.getInvoice(r.uid))
						.toLowerCase()
						.includes(target.hf_id.toLowerCase()),
			),
		).toBe(true);
	});

	test('company name substring (unicode), address and tax number', async () => {
		const byName = await listAll(ctx.sim, `query=${encodeURIComponent('müller')}`);
		expect(byName.length).toBeGreaterThan(0);
		expect(byName.every((r) => r.company && r.company.name.startsWith('Müller'))).toBe(true);
		const byAddress = await listAll(ctx.sim, `query=${encodeURIComponent('baker street')}`);
		expect(byAddress.length).toBeGreaterThan(0);
		expect(byAddress.every((r) => r.company && r.company.address.includes('Baker Street'))).toBe(
			true,
		);
		const byTax = await listAll(ctx.sim, 'query=DE811907');
		expect(uids(byTax)).toEqual(uids(byName));
	});

	test('category name', async () => {
		const got = await listAll(ctx.sim, 'query=software+%26+hosting');
		expect(got.length).toBeGreaterThan(0);
		expect(uids(got)).toEqual(
			expected((d) => d.category && d.category.name === 'Software & Hosting'),
		);
	});

	test('invoice number', async () => {
		const target = allDetails().find((d) => d.invoice_number);
		const got = await listAll(ctx.sim, `query=${encodeURIComponent(target.invoice_number)}`);
		expect(uids(got)).toContain(target.uid);
	});

	test('item name and item description', async () => {
		const target = allDetails().find((d) => d.approvement_status !== 'approved');
		ctx.sim.store.createItem(target.uid, {
			name: 'Zebra Crossing Paint',
			description: 'Quasar-grade finish',
		});
		expect(uids(await listAll(ctx.sim, 'query=zebra+crossing'))).toEqual([target.uid]);
		expect(uids(await listAll(ctx.sim, 'query=QUASAR'))).toEqual([target.uid]);
	});

	test('no match gives an empty list; combined with filters it is AND', async () => {
		expect(
			(await call(ctx.sim, 'GET', '/v1/invoices/?query=nothing-matches-this')).body.count,
		).toBe(0);
		const got = await listAll(
			ctx.sim,
			`query=${encodeURIComponent('müller')}&approvement_status=approved`,
		);
		expect(
			got.every((r) => r.approvement_status === 'approved' && r.company.name.startsWith('Müller')),
		).toBe(true);
	});
});
