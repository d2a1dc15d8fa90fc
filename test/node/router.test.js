'use strict';

const { useSimulator, apiCalls } = require('../harness/fixture');
const { PDF_BYTES, byId, fileItem, runBillOver } = require('./helpers');

describe('Per-item runs: paired items and Continue On Fail', () => {
	const fx = useSimulator({ invoices: 12 });
	const getByJsonUid = { resource: 'invoice', operation: 'get', invoiceId: byId('={{ $json.uid }}') };

	test('one output item per input item, each paired to its input, in order', async () => {
		const uids = fx.sim.store.listInvoices({}).slice(0, 4).map((invoice) => invoice.uid);
		const { items, error } = await runBillOver(fx, getByJsonUid, { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.uid, item.pairedItem])).toEqual(uids.map((uid, index) => [uid, { item: index }]));
		expect(apiCalls(fx.sim)).toEqual(uids.map((uid) => `GET /v1/invoices/${uid}`));
	});

	test('Continue On Fail: a bad item gives an error item paired to it, the others are processed', async () => {
		const [first, third] = fx.sim.store.listInvoices({}).slice(0, 2).map((invoice) => invoice.uid);
		const { items, error } = await runBillOver(fx, getByJsonUid, {
			items: [{ json: { uid: first } }, { json: { uid: 'not-a-uid' } }, { json: { uid: third } }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
		expect(items[0].json.uid).toBe(first);
		expect(items[1].json).toEqual({
			error: 'Invalid input in item 1: "Invoice" must be a UUID such as 67df8b92-ed61-4796-b5c2-9505bf9d4b6a, got "not-a-uid"',
			description: expect.stringContaining('Nothing was sent to BillOver'),
		});
		expect(items[2].json.uid).toBe(third);
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${first}`, `GET /v1/invoices/${third}`]);
	});

	test('Continue On Fail with an API error: the error item carries the message and HTTP code', async () => {
		const known = fx.sim.store.listInvoices({})[0].uid;
		const missing = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
		const { items } = await runBillOver(fx, getByJsonUid, { items: [{ json: { uid: missing } }, { json: { uid: known } }], continueOnFail: true });
		expect(items[0]).toEqual({
			json: { error: `BillOver could not find invoice ${missing} (404)`, description: expect.any(String), httpCode: '404' },
			pairedItem: { item: 0 },
		});
		expect(items[1].json.uid).toBe(known);
	});

	test('without Continue On Fail the run stops at the bad item, and the error names it', async () => {
		const good = fx.sim.store.listInvoices({})[0].uid;
		const { items, error } = await runBillOver(fx, getByJsonUid, { items: [{ json: { uid: good } }, { json: { uid: 'nope' } }, { json: { uid: good } }] });
		expect(items).toEqual([]);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^Invalid input in item 1: "Invoice"/);
		expect(error.context.itemIndex).toBe(1);
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${good}`]);
	});

	test('Continue On Fail across operations: an upload without a file among good uploads', async () => {
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'create' }, {
			items: [fileItem(PDF_BYTES, 'one.pdf', 'application/pdf'), { json: { note: 'no file' } }, fileItem(PDF_BYTES, 'three.pdf', 'application/pdf')],
			continueOnFail: true,
		});
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
		expect(items[1].json.error).toMatch(/^Invalid input in item 1: "Input Binary Field" is "data", but item 1 has no binary field "data"/);
		expect(fx.sim.requests({ origin: 'api' }).map((request) => request.body.file.filename)).toEqual(['one.pdf', 'three.pdf']);
		expect(items[0].json.processing_status).toBe('processing');
		expect(items[2].json.processing_status).toBe('processing');
	});

	test('an operation that returns several items pairs each to its input (Get Many on two inputs)', async () => {
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'getMany', limit: 2 }, { items: [{ json: {} }, { json: {} }] });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});
});
