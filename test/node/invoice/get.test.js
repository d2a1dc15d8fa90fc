'use strict';

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { byId, runBillOver } = require('../helpers');

describe('Invoice → Get and the invoice picker', () => {
	const fx = useSimulator({ invoices: 120 });
	const get = (invoiceId) => ({ resource: 'invoice', operation: 'get', invoiceId });

	test('"By ID": GET /v1/invoices/{uid} (no trailing slash), the detail as the output', async () => {
		const uid = fx.sim.store.listInvoices({})[3].uid;
		const { items, error } = await runBillOver(fx, get(byId(uid)));
		expect(error).toBeUndefined();
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${uid}`]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(fx.sim.store.getInvoice(uid));
		expect(items[0].json.history).toBeDefined();
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('"By ID" from an expression: spaces trimmed, upper case sent as lower case', async () => {
		const uid = fx.sim.store.listInvoices({})[4].uid;
		const { items } = await runBillOver(fx, get(byId(`={{ "  ${uid.toUpperCase()} " }}`)));
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${uid}`]);
		expect(items[0].json.uid).toBe(uid);
	});

	test('"By URL": the UID is taken from a BillOver link', async () => {
		const uid = fx.sim.store.listInvoices({})[5].uid;
		const { items } = await runBillOver(fx, get({ __rl: true, mode: 'url', value: `https://app.billover.com/invoices/${uid}?tab=items` }));
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${uid}`]);
		expect(items[0].json.uid).toBe(uid);
	});

	test('"From List": the picked value is the UID', async () => {
		const uid = fx.sim.store.listInvoices({})[6].uid;
		const { items } = await runBillOver(fx, get({ __rl: true, mode: 'list', value: uid, cachedResultName: 'whatever' }));
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${uid}`]);
		expect(items[0].json.uid).toBe(uid);
	});

	test('an unknown invoice: a 404 that names the invoice', async () => {
		const uid = '00000000-0000-4000-8000-000000000000';
		const { error } = await runBillOver(fx, get(byId(uid)));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(`BillOver could not find invoice ${uid} (404)`);
		expect(error.httpCode).toBe('404');
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${uid}`]);
	});

	test('list search pages through all invoices, 50 at a time, with a token for the next page', async () => {
		const all = fx.sim.store.listInvoices({});
		const seen = [];
		const tokens = [];
		let token;
		do {
			const page = await fx.engine.listSearch({ type: 'billOver', method: 'searchInvoices', paginationToken: token });
			seen.push(...page.results.map((result) => result.value));
			token = page.paginationToken;
			tokens.push(token);
		} while (token);
		expect(tokens).toEqual(['2', '3', undefined]);
		expect(seen).toEqual(all.map((invoice) => invoice.uid));
		expect(apiCalls(fx.sim)).toEqual([1, 2, 3].map((page) => `GET /v1/invoices/?page=${page}&page_size=50`));
	});

	test('list search with a filter sends it as the query and labels results by HF-ID', async () => {
		const target = fx.sim.store.listInvoices({})[42];
		const page = await fx.engine.listSearch({ type: 'billOver', method: 'searchInvoices', filter: ` ${target.hf_id} ` });
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/?query=${target.hf_id}&page=1&page_size=50`]);
		const hit = page.results.find((result) => result.value === target.uid);
		expect(hit).toBeDefined();
		expect(hit.name.startsWith(target.hf_id)).toBe(true);
		expect(page.paginationToken).toBeUndefined();
	});
});
