'use strict';

// GET /v1/invoices/: docs/API.md, Listing — pagination, page_size clamping, order.

const { call, useSimulator, listAll, CREATED_AT } = require('./helpers');

const ctx = useSimulator({ seed: 11, invoices: 25 });

const LIST_FIELDS = [
	'approvement_status',
	'category',
	'company',
	'created_at',
	'currency',
	'hf_id',
	'invoice_date',
	'permissions',
	'processing_status',
	'total_price',
	'total_price_display',
	'uid',
	'workspace_user',
].sort();

/** The list order: created_at descending (as instants), ties by uid descending. */
function expectListOrder(results) {
	for (let i = 1; i < results.length; i++) {
		const a = results[i - 1];
		const b = results[i];
		const ta = Date.parse(a.created_at);
		const tb = Date.parse(b.created_at);
		if (a.created_at === b.created_at) expect(a.uid > b.uid).toBe(true);
		else if (ta === tb) expect(a.created_at > b.created_at).toBe(true);
		else expect(ta).toBeGreaterThan(tb);
	}
}

describe('pagination', () => {
	test('defaults: page 1, 10 per page, count and page_count', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(res.status).toBe(200);
		expect(Object.keys(res.body).sort()).toEqual(['count', 'page_count', 'page_size', 'results']);
		expect(res.body).toMatchObject({ count: 25, page_count: 3, page_size: 10 });
		expect(res.body.results).toHaveLength(10);
	});

	test('the last page holds the rest, pages do not overlap and cover everything', async () => {
		const pages = [];
		for (let page = 1; page <= 3; page++) {
			const res = await call(ctx.sim, 'GET', `/v1/invoices/?page=${page}`);
			pages.push(res.body.results.map((r) => r.uid));
		}
		expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
		const all = pages.flat();
		expect(new Set(all).size).toBe(25);
		expect(all).toEqual(ctx.sim.store.listInvoices().map((r) => r.uid));
	});

	test('page_size chooses the page length and is echoed', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?page_size=7&page=4');
		expect(res.body).toMatchObject({ count: 25, page_count: 4, page_size: 7 });
		expect(res.body.results).toHaveLength(4);
	});

	test('a page past the last one is 404 Invalid page.', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?page=4');
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'Invalid page.' });
	});

	test.each(['0', '-1', 'abc', '1.5', '2x'])('page=%s is 404 Invalid page.', async (page) => {
		const res = await call(ctx.sim, 'GET', `/v1/invoices/?page=${page}`);
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ detail: 'Invalid page.' });
	});

	test('an empty page parameter means page 1; "last" means the last page', async () => {
		const first = await call(ctx.sim, 'GET', '/v1/invoices/?page=');
		expect(first.status).toBe(200);
		expect(first.body.results[0].uid).toBe(ctx.sim.store.listInvoices()[0].uid);
		const last = await call(ctx.sim, 'GET', '/v1/invoices/?page=last');
		expect(last.body.results).toHaveLength(5);
	});

	test.each(['0', '-5', 'ten', ''])('an invalid page_size (%p) falls back to 10', async (size) => {
		const res = await call(ctx.sim, 'GET', `/v1/invoices/?page_size=${size}`);
		expect(res.status).toBe(200);
		expect(res.body.page_size).toBe(10);
		expect(res.body.results).toHaveLength(10);
	});

	test('no result still has one empty page; page 2 of nothing is 404', async () => {
		const none = '00000000-0000-4000-8000-000000000000';
		const res = await call(ctx.sim, 'GET', `/v1/invoices/?company__uid=${none}`);
		expect(res.body).toEqual({ count: 0, page_count: 1, page_size: 10, results: [] });
		const second = await call(ctx.sim, 'GET', `/v1/invoices/?company__uid=${none}&page=2`);
		expect(second.status).toBe(404);
	});

	test('results carry the list fields only', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?page_size=25');
		for (const result of res.body.results) {
			expect(Object.keys(result).sort()).toEqual(LIST_FIELDS);
			expect(result.created_at).toMatch(CREATED_AT);
		}
	});
});

describe('page_size clamping', () => {
	test('page_size above 100 is clamped to 100', async () => {
		const { startSimulator } = require('..');
		const sim = await startSimulator({ seed: 2, invoices: 130 });
		try {
			const res = await call(sim, 'GET', '/v1/invoices/?page_size=500');
			expect(res.body).toMatchObject({ count: 130, page_count: 2, page_size: 100 });
			expect(res.body.results).toHaveLength(100);
			const exact = await call(sim, 'GET', '/v1/invoices/?page_size=100&page=2');
			expect(exact.body.results).toHaveLength(30);
		} finally {
			await sim.close();
		}
	});
});

describe('order', () => {
	test('newest first across every page', async () => {
		expectListOrder(await listAll(ctx.sim));
	});

	test('identical created_at are ordered by uid descending', async () => {
		const at = '2030-01-01T09:00:00.123456+03:00';
		const made = [1, 2, 3, 4].map((n) =>
			ctx.sim.store.createInvoice({ fileName: `tie-${n}.pdf`, createdAt: at, processing: false }),
		);
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?page_size=4');
		const top = res.body.results;
		expect(top.map((r) => r.created_at)).toEqual([at, at, at, at]);
		expect(top.map((r) => r.uid)).toEqual(
			made
				.map((m) => m.uid)
				.sort()
				.reverse(),
		);
		expectListOrder(await listAll(ctx.sim));
		for (const m of made) ctx.sim.store.deleteInvoice(m.uid);
	});

	test('the seeded data already contains ties', () => {
		const list = ctx.sim.store.listInvoices();
		const times = list.map((r) => r.created_at);
		expect(new Set(times).size).toBeLessThan(times.length);
	});

	test('a new upload is the newest invoice', async () => {
		const made = ctx.sim.store.createInvoice({ fileName: 'new.pdf' });
		const res = await call(ctx.sim, 'GET', '/v1/invoices/?page_size=1');
		expect(res.body.results[0].uid).toBe(made.uid);
		ctx.sim.store.deleteInvoice(made.uid);
	});

	test('uploads get strictly increasing microsecond created_at', () => {
		const a = ctx.sim.store.createInvoice({ fileName: 'a.pdf' });
		const b = ctx.sim.store.createInvoice({ fileName: 'b.pdf' });
		expect(a.created_at).toMatch(CREATED_AT);
		expect(b.created_at > a.created_at).toBe(true);
		ctx.sim.store.deleteInvoice(a.uid);
		ctx.sim.store.deleteInvoice(b.uid);
	});
});
