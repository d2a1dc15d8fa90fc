'use strict';

/**
 * Doing better than one request after another, without changing what comes
 * out: Get Many fetches the pages it needs a few at a time once the first page
 * has told how many there are; "Requests in Parallel" runs several input items
 * at once (Auto by default, or a fixed number). Checked on the engine against
 * the simulator: the same results in the same order, the same paired items,
 * exactly the requests a sequential run makes, and no more requests in flight
 * than allowed.
 *
 * Nothing here depends on timing or on how busy the machine is: that enough
 * requests are in flight together is shown by a gate of the simulator that
 * holds them until that many wait (a client that never sends them together
 * never opens it); that no more are is the simulator's own count of requests
 * in flight (peakInFlight), an upper bound that holds however slow the
 * machine is.
 */
const { useSimulator, apiCalls } = require('../harness/fixture');
const transport = require('../../nodes/BillOver/transport');
const { byId, fileItem, PDF_BYTES, runBillOver } = require('./helpers');

/** A gate's choice: it holds the requests after the first `count` (those are answered at once). */
const afterFirst = (count) => {
	let seen = 0;
	return () => ++seen > count;
};

/** Before each test the simulator's counters start from zero; `peak()` is the most API requests in flight at once. */
function countInFlight(fx) {
	beforeEach(() => fx.sim.resetLimitStats());
	return { peak: () => fx.sim.limitStats.peakInFlight };
}

const getMany = (extra) => ({ resource: 'invoice', operation: 'getMany', simplify: false, ...extra });
const pageCall = (page, size = 100) => `GET /v1/invoices/?page=${page}&page_size=${size}`;

describe('Get Many: the pages after the first are fetched a few at a time', () => {
	const fx = useSimulator({ invoices: 1050 });
	const inFlight = countInFlight(fx);

	test('Return All over 11 pages: page 1 first, then each other page once, 4 at a time; results in list order', async () => {
		// Pages 2 to 11 are held until 4 of them wait together.
		const gate = fx.sim.gate(transport.DEFAULT_PAGE_CONCURRENCY, (entry) => entry.query.page?.[0] !== '1');
		const { items, error } = await runBillOver(fx, getMany({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(gate.isOpen).toBe(true);
		expect(inFlight.peak()).toBe(transport.DEFAULT_PAGE_CONCURRENCY);
		const calls = apiCalls(fx.sim);
		expect(calls[0]).toBe(pageCall(1));
		expect([...calls].sort()).toEqual(Array.from({ length: 11 }, (_, index) => pageCall(index + 1)).sort());
		expect(items.map((item) => item.json.uid)).toEqual(fx.sim.store.listInvoices({}).map((invoice) => invoice.uid));
		expect(items.every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test('the same results and requests one page at a time (page concurrency 1)', async () => {
		const previous = transport.configurePageConcurrency(1);
		try {
			const { items } = await runBillOver(fx, getMany({ returnAll: true }));
			expect(apiCalls(fx.sim)).toEqual(Array.from({ length: 11 }, (_, index) => pageCall(index + 1)));
			expect(inFlight.peak()).toBe(1);
			expect(items.map((item) => item.json.uid)).toEqual(fx.sim.store.listInvoices({}).map((invoice) => invoice.uid));
		} finally {
			transport.configurePageConcurrency(previous);
		}
	});

	test.each([
		[250, 3],
		[301, 4],
		[1000, 10],
		[100, 1],
		[40, 1],
	])('a limit of %i still fetches exactly %i page(s)', async (limit, pages) => {
		const { items } = await runBillOver(fx, getMany({ limit }));
		const size = Math.min(100, limit);
		expect([...apiCalls(fx.sim)].sort()).toEqual(Array.from({ length: pages }, (_, index) => pageCall(index + 1, size)).sort());
		expect(items.map((item) => item.json.uid)).toEqual(fx.sim.store.listInvoices({}).slice(0, limit).map((invoice) => invoice.uid));
	});

	test('invoices created after page 1 shift the later pages: repeats are dropped, and a limit fetches one more page to make up', async () => {
		const original = fx.sim.store.listInvoices({}).map((invoice) => invoice.uid);
		const store = fx.sim.store;
		const { findInvoices } = store;
		const created = [];
		store.findInvoices = function (...args) {
			const found = findInvoices.apply(this, args);
			if (created.length === 0) {
				for (let index = 0; index < 5; index++) created.push(store.createInvoice({ fileName: `late-${index}.pdf`, processing: false }).uid);
			}
			return found;
		};
		try {
			const { items } = await runBillOver(fx, getMany({ limit: 200 }));
			// Page 2 now starts with the last 5 of page 1: 100 + 95 new, so page 3 is needed for 200.
			expect([...apiCalls(fx.sim)].sort()).toEqual([pageCall(1), pageCall(2), pageCall(3)]);
			expect(items.map((item) => item.json.uid)).toEqual(original.slice(0, 200));
		} finally {
			delete store.findInvoices;
			for (const uid of created) store.deleteInvoice(uid);
		}
	});

	test('a page that fails after its retries fails the run: pages already on their way are waited for, no later page is started', async () => {
		const store = fx.sim.store;
		const { findInvoices } = store;
		store.findInvoices = function (...args) {
			// Page 1 answers; the next 20 list requests answer 503.
			delete store.findInvoices;
			fx.sim.faults.next(20, { type: 'status', status: 503 }, { origin: 'api', path: '/v1/invoices/' });
			return findInvoices.apply(this, args);
		};
		try {
			const { error } = await runBillOver(fx, getMany({ returnAll: true }));
			expect(error.message).toMatch(/^BillOver answered 503 .* after 5 attempts$/);
			const calls = apiCalls(fx.sim);
			// Page 1, then pages 2-5 (4 at a time), each tried 5 times; pages 6-11 never.
			expect(calls).toHaveLength(1 + 4 * 5);
			for (const page of [2, 3, 4, 5]) expect(calls.filter((call) => call === pageCall(page))).toHaveLength(5);
			expect(fx.sim.requests({ origin: 'api' }).every((request) => request.status !== null)).toBe(true);
		} finally {
			delete store.findInvoices;
		}
	});
});

describe('Requests in Parallel', () => {
	const fx = useSimulator({ invoices: 80 });
	const inFlight = countInFlight(fx);

	const waiting = (count) => fx.sim.store.listInvoices({ approvement_status: 'waiting' }).slice(0, count).map((invoice) => invoice.uid);
	/** `parallel`: a number is "Fixed" with that many items in parallel; undefined is the default (Auto). */
	const stateAction = (operation, parallel) => ({
		resource: 'invoice',
		operation,
		invoiceId: byId('={{ $json.uid }}'),
		...(parallel === undefined ? {} : { options: { parallelRequests: 'fixed', itemsInParallel: parallel } }),
	});
	const undo = async (uids) => {
		for (const uid of uids) if (fx.sim.store.getInvoice(uid).approvement_status === 'approved') fx.sim.store.removeApproval(uid);
	};

	test('Fixed, 4 items in parallel: one request per item, 4 at a time, output in input order and paired', async () => {
		const uids = waiting(20);
		const gate = fx.sim.gate(4);
		const { items, error } = await runBillOver(fx, stateAction('approve', 4), { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.uid, item.json.approvement_status, item.pairedItem])).toEqual(
			uids.map((uid, index) => [uid, 'approved', { item: index }]),
		);
		expect([...apiCalls(fx.sim)].sort()).toEqual(uids.map((uid) => `POST /v1/invoices/${uid}/approve`).sort());
		expect(gate.isOpen).toBe(true);
		expect(inFlight.peak()).toBe(4);
		await undo(uids);
	});

	test('Fixed, 1: one item after another', async () => {
		const uids = waiting(6);
		const { items } = await runBillOver(fx, stateAction('approve', 1), { items: uids.map((uid) => ({ json: { uid } })) });
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(apiCalls(fx.sim)).toEqual(uids.map((uid) => `POST /v1/invoices/${uid}/approve`));
		expect(inFlight.peak()).toBe(1);
		await undo(uids);
	});

	test('Auto (the default): more at once while answers come back clean, up to its ceiling; output in input order', async () => {
		const uids = waiting(30);
		expect(uids).toHaveLength(30);
		// Auto starts with 4 in flight and grows by one per clean answer: after 12 answers, 16 go together.
		const gate = fx.sim.gate(16, afterFirst(12));
		const { items, error } = await runBillOver(fx, stateAction('approve'), { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		expect(gate.isOpen).toBe(true);
		expect(items.map((item) => [item.json.uid, item.json.approvement_status, item.pairedItem])).toEqual(uids.map((uid, index) => [uid, 'approved', { item: index }]));
		expect(apiCalls(fx.sim)).toHaveLength(uids.length);
		expect(inFlight.peak()).toBeLessThanOrEqual(transport.DEFAULT_CEILING);
		await undo(uids);
	});

	test('Auto with Max Requests in Parallel: never more in flight than the ceiling', async () => {
		const uids = waiting(30);
		const gate = fx.sim.gate(6, afterFirst(2));
		const { error } = await runBillOver(fx, { ...stateAction('approve'), options: { maxParallel: 6 } }, { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		expect(gate.isOpen).toBe(true);
		expect(inFlight.peak()).toBe(6);
		await undo(uids);
	});

	test('429s are waited out per request: every item succeeds once, in order', async () => {
		const uids = waiting(12);
		fx.sim.faults.next(3, { type: 'status', status: 429, retryAfter: 0 }, { origin: 'api', method: 'POST' });
		const { items, error } = await runBillOver(fx, stateAction('approve', 4), { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.uid, item.pairedItem.item])).toEqual(uids.map((uid, index) => [uid, index]));
		const requests = fx.sim.requests({ origin: 'api' });
		expect(requests.filter((request) => request.status === 429)).toHaveLength(3);
		expect(requests.filter((request) => request.status === 200).map((request) => request.path).sort()).toEqual(
			uids.map((uid) => `/v1/invoices/${uid}/approve`).sort(),
		);
		await undo(uids);
	});

	test('Continue On Fail: error items stay in their place, paired to their input', async () => {
		const uids = waiting(6);
		const missing = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
		const input = [uids[0], 'not-a-uid', uids[1], missing, uids[2], uids[3]].map((uid) => ({ json: { uid } }));
		const { items, error } = await runBillOver(fx, stateAction('approve', 3), { items: input, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(items.map((item) => item.json.uid ?? item.json.httpCode ?? 'invalid')).toEqual([uids[0], 'invalid', uids[1], '404', uids[2], uids[3]]);
		expect(items[1].json.error).toMatch(/^Invalid input in item 1: "Invoice"/);
		expect(items[3].json.error).toBe(`BillOver could not find invoice ${missing} (404)`);
		await undo(uids);
	});

	test('without Continue On Fail the run fails with the first failing item in input order, even if a later one failed first', async () => {
		const uids = waiting(4);
		const missing = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
		// Item 1 fails after a round trip (404); item 3 fails at once (no request).
		const input = [uids[0], missing, uids[1], 'not-a-uid', uids[2], uids[3]].map((uid) => ({ json: { uid } }));
		const { items, error } = await runBillOver(fx, stateAction('approve', 4), { items: input });
		expect(items).toEqual([]);
		expect(error.message).toBe(`BillOver could not find invoice ${missing} (404)`);
		expect(error.context.itemIndex).toBe(1);
		// Nothing is started after a failure: items 4 and 5 were never sent.
		const paths = fx.sim.requests({ origin: 'api' }).map((request) => request.path);
		expect(paths).not.toContain(`/v1/invoices/${uids[2]}/approve`);
		expect(paths).not.toContain(`/v1/invoices/${uids[3]}/approve`);
		await undo(uids);
	});

	test('creates in parallel are never repeated: a 500 after acting fails that item only, and each file is sent once', async () => {
		const before = fx.sim.store.count();
		fx.sim.faults.next(1, { type: 'status-after', status: 500 }, { origin: 'api', method: 'POST', path: '/v1/invoices/' });
		const input = Array.from({ length: 8 }, (_, index) => fileItem(PDF_BYTES, `parallel-${index}.pdf`, 'application/pdf'));
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'create' }, { items: input, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		const failed = items.filter((item) => item.json.error);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toMatch(/it was not sent again/);
		const posts = fx.sim.requests({ origin: 'api', method: 'POST' });
		expect(posts).toHaveLength(8);
		expect(posts.map((request) => request.body.file.filename).sort()).toEqual(input.map((_, index) => `parallel-${index}.pdf`).sort());
		// The faulted upload was created by the server too: 8 new invoices, none twice.
		expect(fx.sim.store.count()).toBe(before + 8);
		for (const item of items) if (item.json.uid) expect(item.json.processing_status).toBe('processing');
		for (const invoice of fx.sim.store.listInvoices({}).filter((invoice) => invoice.processing_status === 'processing')) {
			fx.sim.store.deleteInvoice(invoice.uid);
		}
	});

	test.each([0, 1001, 2.5, 'many'])('Items in Parallel %p is refused before any request', async (value) => {
		const { error } = await runBillOver(fx, stateAction('approve', value), { items: waiting(2).map((uid) => ({ json: { uid } })) });
		expect(error.message).toBe(`Invalid input: "Items in Parallel" must be a whole number from 1 to 1000, got ${JSON.stringify(value)}`);
		expect(fx.sim.requests({ origin: 'api' })).toHaveLength(0);
	});

	test('Max Requests in Parallel 0 and an unknown mode are refused before any request', async () => {
		const input = { items: waiting(2).map((uid) => ({ json: { uid } })) };
		const zero = await runBillOver(fx, { ...stateAction('approve'), options: { maxParallel: 0 } }, input);
		expect(zero.error.message).toBe('Invalid input: "Max Requests in Parallel" must be a whole number from 1 to 1000, got 0');
		const unknown = await runBillOver(fx, { ...stateAction('approve'), options: { parallelRequests: 'all' } }, input);
		expect(unknown.error.message).toBe('Invalid input: "Requests in Parallel" must be "Auto" or "Fixed", got "all"');
		expect(fx.sim.requests({ origin: 'api' })).toHaveLength(0);
	});
});
