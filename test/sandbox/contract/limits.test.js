'use strict';

// Rate limits as a real API enforces them (../limits.js, docs/API.md, Errors): a request rate
// (token bucket) and a cap on requests in flight; over either, 429 with Retry-After in whole
// seconds and the server does nothing. Also the gate that concurrency tests use (../gate.js).

const { RateLimits } = require('../limits');
const { call, waitFor, useSimulator } = require('./helpers');

describe('RateLimits (a clock of our own)', () => {
	test('a bucket of `burst` tokens refilled at `rate` per second; refused with the whole seconds to wait', () => {
		let now = 0;
		const limits = new RateLimits({ rate: 2, burst: 3, now: () => now });
		const admitted = () => {
			const refused = limits.admit();
			if (!refused) limits.release();
			return refused;
		};
		expect([admitted(), admitted(), admitted()]).toEqual([null, null, null]);
		expect(admitted()).toEqual({ retryAfter: 1, reason: 'rate' });
		now += 500; // one token back
		expect(admitted()).toBeNull();
		expect(admitted()).toEqual({ retryAfter: 1, reason: 'rate' });
		limits.set({ rate: 0.25 }); // a token every 4 s
		expect(admitted()).toEqual({ retryAfter: 4, reason: 'rate' });
		expect(limits.stats).toMatchObject({ admitted: 4, limited: 3 });
	});

	test('a cap on requests in flight, and limits that change while it runs', () => {
		const limits = new RateLimits({ maxInFlight: 2 });
		expect([limits.admit(), limits.admit()]).toEqual([null, null]);
		expect(limits.admit()).toEqual({ retryAfter: 1, reason: 'inFlight' });
		limits.set({ maxInFlight: 3 });
		expect(limits.admit()).toBeNull();
		limits.release();
		limits.set({ maxInFlight: 1 });
		expect(limits.admit()).toEqual({ retryAfter: 1, reason: 'inFlight' });
		expect(limits.stats.peakInFlight).toBe(3);
		expect(() => limits.set({ rate: -1 })).toThrow('rate must be a number >= 0');
	});
});

describe('the sandbox over HTTP', () => {
	const ctx = useSimulator({ seed: 4, invoices: 3, ocrDelayMs: null });
	afterEach(() => {
		ctx.sim.limits = { rate: 0, burst: null, maxInFlight: 0 };
		ctx.sim.resetLimitStats();
	});

	test('over the rate: 429, Retry-After in whole seconds, DRF\'s throttled detail; logged as "throttled"', async () => {
		ctx.sim.limits = { rate: 0.01, burst: 1 }; // one request, then one per 100 s
		ctx.sim.clearLog();
		const first = await call(ctx.sim, 'GET', '/v1/invoices/');
		const second = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(first.status).toBe(200);
		expect(second.status).toBe(429);
		expect(second.headers.get('retry-after')).toBe('100');
		expect(second.body).toEqual({ detail: 'Request was throttled. Expected available in 100 seconds.' });
		expect(ctx.sim.requests({ origin: 'api' }).map((entry) => [entry.status, entry.fault])).toEqual([
			[200, null],
			[429, 'throttled'],
		]);
		expect(ctx.sim.limitStats).toMatchObject({ admitted: 1, limited: 1 });
		// The control API is never limited.
		expect((await call(ctx.sim, 'GET', '/_simulator/limits')).body).toMatchObject({ rate: 0.01, burst: 1, maxInFlight: 0, stats: { limited: 1 } });
	});

	test('over the requests in flight: the one too many is refused at once, the others are answered', async () => {
		ctx.sim.limits = { maxInFlight: 2 };
		const gate = ctx.sim.gate(1000); // holds the admitted ones
		const answers = Promise.all([1, 2, 3].map(() => call(ctx.sim, 'GET', '/v1/invoices/')));
		await waitFor(() => ctx.sim.limitStats.admitted === 2 && ctx.sim.limitStats.limited === 1);
		gate.open();
		expect((await answers).map((answer) => answer.status).sort()).toEqual([200, 200, 429]);
		expect(ctx.sim.limitStats).toMatchObject({ peakInFlight: 2, inFlight: 0 });
	});

	test('PUT /_simulator/limits changes them while running; bad values are a 400', async () => {
		expect((await call(ctx.sim, 'PUT', '/_simulator/limits', { json: { rate: 50, maxInFlight: 10 } })).status).toBe(204);
		expect(ctx.sim.limits).toEqual({ rate: 50, burst: 50, maxInFlight: 10 });
		expect((await call(ctx.sim, 'PUT', '/_simulator/limits', { json: { rate: 25 } })).status).toBe(204);
		expect(ctx.sim.limits).toEqual({ rate: 25, burst: 25, maxInFlight: 10 });
		const bad = await call(ctx.sim, 'PUT', '/_simulator/limits', { json: { maxInFlight: -2 } });
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual({ detail: 'maxInFlight must be a number >= 0' });
	});

	test('the gate: requests wait until enough of them wait together, then all go on', async () => {
		const gate = ctx.sim.gate(3);
		const answers = Promise.all([1, 2, 3].map(() => call(ctx.sim, 'GET', '/v1/invoices/')));
		expect(await gate.opened).toBe(3);
		expect((await answers).every((answer) => answer.status === 200)).toBe(true);
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
	});
});
