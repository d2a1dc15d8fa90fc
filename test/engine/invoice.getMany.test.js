'use strict';

const { useSimulator, apiCalls } = require('../harness/fixture');

describe('Invoice → Get Many', () => {
	const fx = useSimulator({ invoices: 260 });

	test('a limit of 250 returns 250 invoices from exactly 3 pages of 100', async () => {
		const { items, error } = await fx.engine.runNode({
			type: 'billOver',
			parameters: { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 250, simplify: false },
		});
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
});
