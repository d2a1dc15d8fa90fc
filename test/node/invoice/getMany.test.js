'use strict';

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { runBillOver } = require('../helpers');

const getMany = (extra) => ({ resource: 'invoice', operation: 'getMany', ...extra });

/** The page requests a walk of `count` results at `pageSize` per page must make. */
const expectedPages = (count, pageSize) =>
	Array.from({ length: Math.max(1, Math.ceil(count / pageSize)) }, (_, index) => `GET /v1/invoices/?page=${index + 1}&page_size=${pageSize}`);

describe('Invoice → Get Many', () => {
	const fx = useSimulator({ invoices: 260 });

	test('a limit of 250 returns 250 invoices from exactly 3 pages of 100', async () => {
		const { items, error } = await runBillOver(fx, getMany({ returnAll: false, limit: 250, simplify: false }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		expect(apiCalls(fx.sim)).toEqual([
			'GET /v1/invoices/?page=1&page_size=100',
			'GET /v1/invoices/?page=2&page_size=100',
			'GET /v1/invoices/?page=3&page_size=100',
		]);
		const expected = fx.sim.store.listInvoices({}).slice(0, 250).map((invoice) => invoice.uid);
		expect(items.map((item) => item.json.uid)).toEqual(expected);
		expect(items.every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test.each([
		[1, 1],
		[50, 1],
		[100, 1],
		[101, 2],
		[200, 2],
		[260, 3],
		[1000, 3],
	])('260 invoices, limit %i: ⌈min(N, limit)/100⌉ pages, no more', async (limit, pages) => {
		const { items, error } = await runBillOver(fx, getMany({ limit }));
		expect(error).toBeUndefined();
		const count = Math.min(260, limit);
		expect(items).toHaveLength(count);
		expect(Math.ceil(count / 100)).toBe(pages);
		expect(apiCalls(fx.sim)).toEqual(expectedPages(count, Math.min(100, limit)));
		expect(items.map((item) => item.json.uid)).toEqual(fx.sim.store.listInvoices({}).slice(0, count).map((invoice) => invoice.uid));
	});

	test('Return All walks every page once (3 pages for 260 invoices)', async () => {
		const { items } = await runBillOver(fx, getMany({ returnAll: true, limit: 5 }));
		expect(items).toHaveLength(260);
		expect(apiCalls(fx.sim)).toEqual(expectedPages(260, 100));
		expect(new Set(items.map((item) => item.json.uid)).size).toBe(260);
	});

	test('filters become the documented query keys, arrays as repeated keys', async () => {
		const store = fx.sim.store;
		const companies = store.companies.slice(0, 2).map((company) => company.uid);
		const filters = {
			company__uid: companies,
			approvement_status: ['waiting', 'rejected'],
			payment_type: ['bank_transfer', 'credit_card', 'cash'],
			from_date: '2020-01-01T00:00:00',
			to_date: '2099-12-31',
		};
		const { items, error } = await runBillOver(fx, getMany({ returnAll: true, filters, simplify: false }));
		expect(error).toBeUndefined();
		const [request] = fx.sim.requests({ origin: 'api' });
		expect(request.query).toEqual({
			company__uid: companies,
			approvement_status: ['waiting', 'rejected'],
			payment_type: ['bank_transfer', 'credit_card', 'cash'],
			from_date: ['2020-01-01'],
			to_date: ['2099-12-31'],
			page: ['1'],
			page_size: ['100'],
		});
		const expected = store.listInvoices({ ...filters, from_date: '2020-01-01' });
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json)).toEqual(expected);
	});

	test('UID filters given as one comma-separated expression, and a search query', async () => {
		const [first, second] = fx.sim.store.workspaceUsers.map((user) => user.uid);
		const hfId = fx.sim.store.listInvoices({})[17].hf_id;
		const { items } = await runBillOver(fx, getMany({
			returnAll: true,
			filters: { workspace_user__uid: `={{ "${first}, ${second}" }}`, query: `  ${hfId.toLowerCase()} ` },
		}));
		const [request] = fx.sim.requests({ origin: 'api' });
		expect(request.query.workspace_user__uid).toEqual([first, second]);
		expect(request.query.query).toEqual([hfId.toLowerCase()]);
		expect(items.map((item) => item.json.hf_id)).toContain(hfId);
	});

	test('Simplify (the default) returns flat invoices; off returns the API objects as they are', async () => {
		const raw = fx.sim.store.listInvoices({}).slice(0, 3);
		const simplified = await runBillOver(fx, getMany({ limit: 3 }));
		expect(simplified.items.map((item) => Object.keys(item.json).sort())).toEqual(
			Array(3).fill(['approvement_status', 'category', 'company_name', 'company_uid', 'created_at', 'currency', 'hf_id', 'invoice_date', 'processing_status', 'total_price', 'uid', 'uploaded_by'].sort()),
		);
		expect(simplified.items[0].json).toMatchObject({
			uid: raw[0].uid,
			company_name: raw[0].company ? raw[0].company.name : null,
			uploaded_by: raw[0].workspace_user.user.email,
		});
		const full = await runBillOver(fx, getMany({ limit: 3, simplify: false }));
		expect(full.items.map((item) => item.json)).toEqual(raw);
		expect(full.items[0].json.permissions).toBeDefined();
	});

	test('one run with two input items lists once per item, each result paired to its item', async () => {
		const { items } = await runBillOver(fx, getMany({ limit: '={{ $json.limit }}' }), { items: [{ json: { limit: 2 } }, { json: { limit: 3 } }] });
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 0, 1, 1, 1]);
		expect(apiCalls(fx.sim)).toEqual(['GET /v1/invoices/?page=1&page_size=2', 'GET /v1/invoices/?page=1&page_size=3']);
	});
});

describe.each([
	[120, 250, 2],
	[120, 'all', 2],
	[100, 'all', 1],
	[100, 150, 1],
	[7, 'all', 1],
])('Get Many with %i invoices, limit %s', (invoices, limit, pages) => {
	const fx = useSimulator({ invoices });

	test(`fetches exactly ${pages} page(s)`, async () => {
		const parameters = limit === 'all' ? getMany({ returnAll: true }) : getMany({ limit });
		const { items } = await runBillOver(fx, parameters);
		const count = limit === 'all' ? invoices : Math.min(invoices, limit);
		expect(items).toHaveLength(count);
		expect(apiCalls(fx.sim)).toEqual(expectedPages(count, 100));
		expect(apiCalls(fx.sim)).toHaveLength(pages);
	});
});
