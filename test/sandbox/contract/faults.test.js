'use strict';

// Fault injection (docs/API.md, Errors: 429 with Retry-After; 5xx anywhere; a 5xx or a
// dropped connection on a POST does not say whether the server acted) and latency.

const { call, upload, useSimulator } = require('./helpers');
const { startSimulator } = require('..');

const ctx = useSimulator({ seed: 10, invoices: 12 });

function waitingInvoice() {
	return ctx.sim.store.createInvoice({ fileName: 'f.pdf', processing: false }).uid;
}

afterEach(() => ctx.sim.faults.clear());

describe('status faults answer at once and do nothing', () => {
	test('429 with Retry-After and DRF’s throttle message', async () => {
		ctx.sim.faults.next(1, { type: 'status', status: 429, retryAfter: 3 });
		const res = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('3');
		expect(res.body).toEqual({ detail: 'Request was throttled. Expected available in 3 seconds.' });
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
	});

	test('429 defaults to Retry-After: 1', async () => {
		ctx.sim.faults.next(1, { type: 'status', status: 429 });
		const res = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(res.headers.get('retry-after')).toBe('1');
		expect(res.body.detail).toBe('Request was throttled. Expected available in 1 second.');
	});

	test.each([500, 502, 503])(
		'%i on an approve: HTML error page, invoice untouched',
		async (status) => {
			const uid = waitingInvoice();
			const transitions = ctx.sim.transitions.length;
			ctx.sim.faults.next(1, { type: 'status', status });
			const res = await call(ctx.sim, 'POST', `/v1/invoices/${uid}/approve`);
			expect(res.status).toBe(status);
			expect(res.headers.get('content-type')).toMatch(/^text\/html/);
			expect(res.body).toContain(String(status));
			expect(ctx.sim.store.getInvoice(uid).approvement_status).toBe('waiting');
			expect(ctx.sim.transitions.length).toBe(transitions);
		},
	);

	test('a 503 on an upload creates nothing', async () => {
		const count = ctx.sim.store.count();
		ctx.sim.faults.next(
			1,
			{ type: 'status', status: 503 },
			{ method: 'POST', path: '/v1/invoices/' },
		);
		expect((await upload(ctx.sim)).status).toBe(503);
		expect(ctx.sim.store.count()).toBe(count);
	});
});

describe('status-after: the server acted, then answered 5xx', () => {
	test('approve is performed although the answer is 500', async () => {
		const uid = waitingInvoice();
		ctx.sim.faults.next(1, { type: 'status-after', status: 500 });
		const res = await call(ctx.sim, 'POST', `/v1/invoices/${uid}/approve`);
		expect(res.status).toBe(500);
		expect(ctx.sim.store.getInvoice(uid).approvement_status).toBe('approved');
		expect(ctx.sim.transitions[ctx.sim.transitions.length - 1]).toMatchObject({
			type: 'approved',
			uid,
		});
	});

	test('an upload is created although the answer is 502', async () => {
		const count = ctx.sim.store.count();
		ctx.sim.faults.next(1, { type: 'status-after', status: 502 });
		const res = await upload(ctx.sim, { name: 'twice.pdf' });
		expect(res.status).toBe(502);
		expect(ctx.sim.store.count()).toBe(count + 1);
		expect(ctx.sim.transitions[ctx.sim.transitions.length - 1]).toMatchObject({ type: 'created' });
	});

	test('the log shows the fault and the 5xx', async () => {
		ctx.sim.clearLog();
		ctx.sim.faults.next(1, { type: 'status-after', status: 503 });
		await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(ctx.sim.log).toEqual([
			expect.objectContaining({ fault: '503-after', status: 503, path: '/v1/invoices/' }),
		]);
	});
});

describe('dropped connections', () => {
	test('drop: the socket closes before acting', async () => {
		const uid = waitingInvoice();
		ctx.sim.clearLog();
		ctx.sim.faults.next(1, { type: 'drop' });
		await expect(call(ctx.sim, 'POST', `/v1/invoices/${uid}/reject`)).rejects.toThrow();
		expect(ctx.sim.store.getInvoice(uid).approvement_status).toBe('waiting');
		expect(ctx.sim.log).toEqual([expect.objectContaining({ fault: 'drop', status: null })]);
	});

	test('drop-after: the server acted, the client hears nothing', async () => {
		const uid = waitingInvoice();
		ctx.sim.clearLog();
		ctx.sim.faults.next(1, { type: 'drop-after' });
		await expect(call(ctx.sim, 'POST', `/v1/invoices/${uid}/reject`)).rejects.toThrow();
		expect(ctx.sim.store.getInvoice(uid).approvement_status).toBe('rejected');
		expect(ctx.sim.log).toEqual([expect.objectContaining({ fault: 'drop-after', status: null })]);
	});

	test('drop-after on an upload still creates the invoice', async () => {
		const count = ctx.sim.store.count();
		ctx.sim.faults.next(1, { type: 'drop-after' });
		await expect(upload(ctx.sim)).rejects.toThrow();
		expect(ctx.sim.store.count()).toBe(count + 1);
	});

	test('the next request works again', async () => {
		ctx.sim.faults.next(1, { type: 'drop' });
		await expect(call(ctx.sim, 'GET', '/v1/invoices/')).rejects.toThrow();
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
	});
});

describe('delay and latency do not block other requests', () => {
	test('delay waits, then handles normally; a parallel request is not held up', async () => {
		ctx.sim.faults.next(1, { type: 'delay', ms: 300 }, { path: '/v1/invoices/' });
		const started = Date.now();
		const slow = call(ctx.sim, 'GET', '/v1/invoices/').then((res) => ({
			res,
			at: Date.now() - started,
		}));
		const fast = await call(ctx.sim, 'GET', `/v1/invoices/${ctx.sim.store.listInvoices()[0].uid}`);
		const fastAt = Date.now() - started;
		const { res, at } = await slow;
		expect(fast.status).toBe(200);
		expect(res.status).toBe(200);
		expect(at).toBeGreaterThanOrEqual(290);
		expect(fastAt).toBeLessThan(200);
		expect(ctx.sim.requests({ path: '/v1/invoices/' }).pop().fault).toBe('delay');
	});

	test('latencyMs is added to every answer, in parallel', async () => {
		ctx.sim.latencyMs = 150;
		try {
			const started = Date.now();
			const results = await Promise.all(
				[1, 2, 3, 4, 5].map(() => call(ctx.sim, 'GET', '/v1/invoices/')),
			);
			const took = Date.now() - started;
			expect(results.every((r) => r.status === 200)).toBe(true);
			expect(took).toBeGreaterThanOrEqual(140);
			expect(took).toBeLessThan(600);
		} finally {
			ctx.sim.latencyMs = 0;
		}
	});
});

describe('matching and counting', () => {
	test('count: exactly the next N matching requests', async () => {
		ctx.sim.faults.next(2, { type: 'status', status: 503 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await call(ctx.sim, 'GET', '/v1/invoices/')).status);
		expect(statuses).toEqual([503, 503, 200, 200]);
	});

	test('match by method, exact path and RegExp; other requests pass', async () => {
		const uid = waitingInvoice();
		ctx.sim.faults.next(1, { type: 'status', status: 500 }, { method: 'POST', path: /\/approve$/ });
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).status).toBe(200);
		expect((await call(ctx.sim, 'POST', `/v1/invoices/${uid}/reject`)).status).toBe(200);
		expect((await call(ctx.sim, 'POST', `/v1/invoices/${uid}/approve`)).status).toBe(500);
		expect((await call(ctx.sim, 'POST', `/v1/invoices/${uid}/approve`)).status).toBe(200);

		ctx.sim.faults.next(1, { type: 'status', status: 502 }, { path: '/v1/invoices/' });
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).status).toBe(200);
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(502);
	});

	test('match by origin: the storage host', async () => {
		const d = ctx.sim.store.getInvoice(ctx.sim.store.listInvoices()[0].uid);
		ctx.sim.faults.next(1, { type: 'status', status: 503 }, { origin: 'storage' });
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${d.uid}`)).status).toBe(200);
		ctx.sim.clearLog();
		expect((await call(ctx.sim, 'GET', d.file, { key: false })).status).toBe(503);
		expect(ctx.sim.requests({ origin: 'storage' })[0].fault).toBe('503');
	});

	test('rules queue up in order', async () => {
		ctx.sim.faults.next(1, { type: 'status', status: 500 });
		ctx.sim.faults.next(1, { type: 'status', status: 502 });
		const a = await call(ctx.sim, 'GET', '/v1/invoices/');
		const b = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect([a.status, b.status]).toEqual([500, 502]);
	});

	test('clear() removes pending faults', async () => {
		ctx.sim.faults.next(5, { type: 'status', status: 500 });
		ctx.sim.faults.clear();
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
	});

	test('invalid faults are refused', () => {
		expect(() => ctx.sim.faults.next(1, { type: 'status', status: 404 })).toThrow(TypeError);
		expect(() => ctx.sim.faults.next(1, { type: 'status-after', status: 429 })).toThrow(TypeError);
		expect(() => ctx.sim.faults.next(1, { type: 'explode' })).toThrow(TypeError);
		expect(() => ctx.sim.faults.next(0, { type: 'drop' })).toThrow(TypeError);
		expect(() => ctx.sim.faults.random({ probability: 2, faults: [{ type: 'drop' }] })).toThrow(
			TypeError,
		);
	});
});

describe('random faults', () => {
	async function pattern(seed) {
		const sim = await startSimulator({ seed: 1, invoices: 3 });
		try {
			sim.faults.random({
				probability: 0.4,
				seed,
				faults: [
					{ type: 'status', status: 500 },
					{ type: 'status', status: 429 },
				],
				match: { method: 'GET' },
			});
			const statuses = [];
			for (let i = 0; i < 40; i++)
				statuses.push((await call(sim, 'GET', '/v1/invoices/?page_size=1')).status);
			// POST is not matched: never faulted.
			const uid = sim.store.listInvoices()[0].uid;
			for (let i = 0; i < 5; i++)
				expect((await call(sim, 'PUT', `/v1/invoices/${uid}`, { json: {} })).status).not.toBe(500);
			return statuses;
		} finally {
			await sim.close();
		}
	}

	test('the same seed gives the same faults; another seed others', async () => {
		const a = await pattern(42);
		const b = await pattern(42);
		const c = await pattern(7);
		expect(a).toEqual(b);
		expect(a).not.toEqual(c);
		const faulted = a.filter((s) => s !== 200).length;
		expect(faulted).toBeGreaterThan(4);
		expect(faulted).toBeLessThan(30);
		expect(a).toContain(500);
		expect(a).toContain(429);
	});
});
