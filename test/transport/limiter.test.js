'use strict';

/**
 * The per-run request limiter (nodes/BillOver/transport/limiter.ts), first on
 * its own, then in a node run against the simulator's real rate limits
 * (test/sandbox/limits.js): 429 storms, Retry-After for every request, a
 * limit that changes mid-run, Continue On Fail, and creates never repeated
 * unless a 429 proved nothing was created.
 *
 * No assertion here depends on how fast the machine is: waits are checked
 * as lower bounds (the code waits at least that long, however busy the
 * machine), counts are exact, and "in flight" is the simulator's own count.
 */
const { RequestLimiter } = require('../../nodes/BillOver/transport/limiter');
const { useSimulator } = require('../harness/fixture');
const { byId, fileItem, PDF_BYTES, runBillOver } = require('../node/helpers');

describe('RequestLimiter on its own', () => {
	test('Auto: starts with 16 in flight, a 17th waits for a slot', async () => {
		const limiter = new RequestLimiter({ ceiling: 50 });
		const started = await Promise.all(Array.from({ length: 16 }, () => limiter.acquire()));
		let next = false;
		const waiting = limiter.acquire().then((at) => {
			next = true;
			return at;
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(next).toBe(false);
		limiter.release(started[0], 'clean');
		await waiting;
		expect(next).toBe(true);
	});

	test('a Retry-After holds back every request of the run, not only the one that got it', async () => {
		const limiter = new RequestLimiter({ fixed: 4, ceiling: 4 });
		const [first, second] = await Promise.all([limiter.acquire(), limiter.acquire()]);
		const throttledAt = Date.now();
		limiter.release(first, 'throttled', 300);
		limiter.release(second, 'clean');
		const [a, b] = await Promise.all([limiter.acquire(), limiter.acquire()]);
		expect(a - throttledAt).toBeGreaterThanOrEqual(300);
		expect(b - throttledAt).toBeGreaterThanOrEqual(300);
	});

	test('after an item failed the run, requests of later items are refused; earlier ones go on', async () => {
		const limiter = new RequestLimiter({ fixed: 1, ceiling: 1 });
		const held = await limiter.acquire(0);
		const later = limiter.acquire(5);
		const earlier = limiter.acquire(1);
		limiter.stopAfter(3);
		await expect(later).rejects.toThrow('Not sent: item 3 failed the run first');
		limiter.release(held, 'clean');
		await expect(earlier).resolves.toEqual(expect.any(Number));
	});
});

describe('a node run under BillOver\'s rate limits (Requests in Parallel: Auto)', () => {
	const fx = useSimulator({ invoices: 120, ocrDelayMs: null });
	/** The simulator's transitions before the test: the test's own come after. */
	let before;
	beforeEach(() => {
		before = fx.sim.transitions.length;
		fx.sim.resetLimitStats();
	});
	afterEach(() => {
		fx.sim.limits = { rate: 0, burst: null, maxInFlight: 0 };
		for (const { uid } of fx.sim.transitions.slice(before).filter((transition) => transition.type === 'approved')) {
			if (fx.sim.store.getInvoice(uid).approvement_status === 'approved') fx.sim.store.removeApproval(uid);
		}
	});

	const waiting = (count) => fx.sim.store.listInvoices({ approvement_status: 'waiting' }).filter((invoice) => invoice.processing_status === 'finished').slice(0, count).map((invoice) => invoice.uid);
	const approve = { resource: 'invoice', operation: 'approve', invoiceId: byId('={{ $json.uid }}') };
	const approvals = (uids) => fx.sim.transitions.slice(before).filter((transition) => transition.type === 'approved' && uids.includes(transition.uid));

	test('a 429 storm (20 requests/s, 3 in flight): every item approved exactly once, none failed, in input order', async () => {
		const uids = waiting(40);
		fx.sim.limits = { rate: 20, burst: 5, maxInFlight: 3 };
		const { items, error } = await runBillOver(fx, approve, { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.uid, item.json.approvement_status, item.pairedItem.item])).toEqual(uids.map((uid, index) => [uid, 'approved', index]));
		expect(approvals(uids)).toHaveLength(uids.length);
		const stats = fx.sim.limitStats;
		expect(stats.limited).toBeGreaterThan(0);
		expect(stats.admitted).toBe(uids.length);
		// Each 429 was answered at once and sent again: the log holds each approval once with 200.
		const answered = fx.sim.requests({ origin: 'api', method: 'POST' }).filter((entry) => entry.status === 200);
		expect(answered.map((entry) => entry.path).sort()).toEqual(uids.map((uid) => `/v1/invoices/${uid}/approve`).sort());
	});

	test('every request of the run waits out a Retry-After: nothing is sent in the second after a 429', async () => {
		const uids = waiting(12);
		fx.sim.limits = { rate: 0.5, burst: 6 }; // six at once, then one per 2 s: Retry-After 1 or 2
		const { error } = await runBillOver(fx, approve, { items: uids.map((uid) => ({ json: { uid } })) });
		expect(error).toBeUndefined();
		const log = fx.sim.requests({ origin: 'api' });
		const throttled = log.filter((entry) => entry.status === 429);
		expect(throttled.length).toBeGreaterThan(0);
		// The first 429's answer reached the node no earlier than it was answered; every request
		// started after the node had it waited at least its Retry-After. Requests that reached the
		// server later than the first 429 and are not throttled came after that wait.
		const first = throttled[0];
		const retryAfterMs = 1000 * Number(first.retryAfter);
		const accepted = log.filter((entry) => entry.seq > first.seq && entry.status === 200);
		for (const entry of accepted) expect(entry.receivedAt - first.answeredAt).toBeGreaterThanOrEqual(retryAfterMs - 5);
		expect(approvals(uids)).toHaveLength(uids.length);
	});

	test('the limit halves mid-run: no item fails', async () => {
		const uids = waiting(40);
		fx.sim.limits = { rate: 40, burst: 10, maxInFlight: 8 };
		const halve = setInterval(() => {
			if (fx.sim.limitStats.admitted >= 15) {
				fx.sim.limits = { rate: 20, burst: 5, maxInFlight: 4 };
				clearInterval(halve);
			}
		}, 5);
		try {
			const { items, error } = await runBillOver(fx, approve, { items: uids.map((uid) => ({ json: { uid } })) });
			expect(error).toBeUndefined();
			expect(items.every((item) => item.json.approvement_status === 'approved')).toBe(true);
			expect(fx.sim.limits).toMatchObject({ rate: 20, maxInFlight: 4 });
			expect(approvals(uids)).toHaveLength(uids.length);
		} finally {
			clearInterval(halve);
		}
	});

	test('Continue On Fail under 429s: the bad items are errors in their place, the others approved once', async () => {
		const uids = waiting(10);
		const missing = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
		const input = [...uids.slice(0, 5), 'not-a-uid', missing, ...uids.slice(5)].map((uid) => ({ json: { uid } }));
		fx.sim.limits = { rate: 10, burst: 3, maxInFlight: 2 };
		const { items, error } = await runBillOver(fx, approve, { items: input, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual(input.map((_, index) => index));
		expect(items[5].json.error).toMatch(/^Invalid input in item 5: "Invoice"/);
		expect(items[6].json.error).toBe(`BillOver could not find invoice ${missing} (404)`);
		expect(items.filter((item) => item.json.approvement_status === 'approved')).toHaveLength(uids.length);
		expect(approvals(uids)).toHaveLength(uids.length);
		expect(fx.sim.limitStats.limited).toBeGreaterThan(0);
	});

	test('uploads under a rate limit: each file becomes exactly one invoice (a 429 proves nothing was created)', async () => {
		const before = new Set(fx.sim.store.listInvoices({}).map((invoice) => invoice.uid));
		const input = Array.from({ length: 20 }, (_, index) => fileItem(PDF_BYTES, `limited-${index}.pdf`, 'application/pdf'));
		fx.sim.limits = { rate: 10, burst: 3, maxInFlight: 3 };
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'create' }, { items: input });
		expect(error).toBeUndefined();
		expect(fx.sim.limitStats.limited).toBeGreaterThan(0);
		const created = fx.sim.store.listInvoices({}).filter((invoice) => !before.has(invoice.uid));
		expect(created).toHaveLength(20);
		const posts = fx.sim.requests({ origin: 'api', method: 'POST', path: '/v1/invoices/' });
		expect(posts.filter((entry) => entry.status === 201).map((entry) => entry.body.file.filename).sort()).toEqual(input.map((_, index) => `limited-${index}.pdf`).sort());
		expect(items.map((item) => item.pairedItem.item)).toEqual(input.map((_, index) => index));
		for (const invoice of created) fx.sim.store.deleteInvoice(invoice.uid);
	});
});
