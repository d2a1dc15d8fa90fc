'use strict';

// The simulator's own control API (/_simulator/...) and its records: sim.transitions and sim.log.

const { call, upload, waitFor, useSimulator } = require('./helpers');

const ctx = useSimulator({ seed: 12, invoices: 6, ocrDelayMs: null });

afterEach(() => ctx.sim.faults.clear());

describe('access', () => {
	test.each([
		['GET', '/_simulator/info'],
		['GET', '/_simulator/transitions'],
		['GET', '/_simulator/log'],
		['DELETE', '/_simulator/log'],
		['POST', '/_simulator/faults'],
		['DELETE', '/_simulator/faults'],
		['PUT', '/_simulator/latency'],
		['POST', '/_simulator/invoices'],
		['GET', '/_simulator/invoices'],
	])('%s %s needs the Api-Key', async (method, path) => {
		const res = await call(ctx.sim, method, path, {
			key: false,
			json: method === 'GET' ? undefined : {},
		});
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ detail: 'Invalid API key.' });
	});

	test('control requests are not logged and not faulted', async () => {
		ctx.sim.clearLog();
		ctx.sim.faults.next(1, { type: 'status', status: 500 });
		expect((await call(ctx.sim, 'GET', '/_simulator/info')).status).toBe(200);
		expect((await call(ctx.sim, 'GET', '/_simulator/transitions')).status).toBe(200);
		expect(ctx.sim.log).toEqual([]);
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(500);
	});

	test('unknown control paths are 404, wrong methods 405', async () => {
		expect((await call(ctx.sim, 'GET', '/_simulator/nothing')).status).toBe(404);
		expect((await call(ctx.sim, 'PUT', '/_simulator/log')).status).toBe(405);
	});
});

describe('routes', () => {
	test('GET /_simulator/info gives the reference data', async () => {
		const res = await call(ctx.sim, 'GET', '/_simulator/info');
		expect(res.body).toMatchObject({
			seed: 12,
			baseUrl: ctx.sim.baseUrl,
			storageBaseUrl: ctx.sim.storageBaseUrl,
			invoiceCount: ctx.sim.store.count(),
			latencyMs: 0,
			companies: ctx.sim.store.companies,
			cards: ctx.sim.store.cards,
			workspaceUsers: ctx.sim.store.workspaceUsers,
			categories: ctx.sim.store.categories,
		});
	});

	test('GET /_simulator/log and DELETE /_simulator/log', async () => {
		ctx.sim.clearLog();
		await call(
			ctx.sim,
			'GET',
			'/v1/invoices/?approvement_status=waiting&approvement_status=rejected',
		);
		const res = await call(ctx.sim, 'GET', '/_simulator/log');
		expect(res.body).toEqual([
			expect.objectContaining({
				origin: 'api',
				method: 'GET',
				path: '/v1/invoices/',
				query: { approvement_status: ['waiting', 'rejected'] },
				status: 200,
				fault: null,
				body: null,
			}),
		]);
		expect(res.body[0].headers['api-key']).toBe(ctx.sim.apiKey);
		const since = await call(ctx.sim, 'GET', `/_simulator/log?since=${res.body[0].seq}`);
		expect(since.body).toEqual([]);
		expect((await call(ctx.sim, 'DELETE', '/_simulator/log')).status).toBe(204);
		expect(ctx.sim.log).toEqual([]);
	});

	test('POST /_simulator/faults with a count, a fault and a match', async () => {
		const post = await call(ctx.sim, 'POST', '/_simulator/faults', {
			json: {
				count: 2,
				fault: { type: 'status', status: 429, retryAfter: 5 },
				match: { method: 'GET', pathPattern: '^/v1/invoices/$' },
			},
		});
		expect(post.status).toBe(204);
		const uid = ctx.sim.store.listInvoices()[0].uid;
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).status).toBe(200);
		const a = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(a.status).toBe(429);
		expect(a.headers.get('retry-after')).toBe('5');
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(429);
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
	});

	test('POST /_simulator/faults with random, and DELETE /_simulator/faults', async () => {
		await call(ctx.sim, 'POST', '/_simulator/faults', {
			json: { random: { probability: 1, seed: 3, faults: [{ type: 'status', status: 502 }] } },
		});
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(502);
		expect((await call(ctx.sim, 'DELETE', '/_simulator/faults')).status).toBe(204);
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
	});

	test('an invalid fault is 400', async () => {
		const res = await call(ctx.sim, 'POST', '/_simulator/faults', {
			json: { count: 1, fault: { type: 'nope' } },
		});
		expect(res.status).toBe(400);
		expect(res.body.detail).toMatch(/unknown fault type/);
	});

	test('PUT /_simulator/latency', async () => {
		expect(
			(await call(ctx.sim, 'PUT', '/_simulator/latency', { json: { latencyMs: 120 } })).status,
		).toBe(204);
		expect(ctx.sim.latencyMs).toBe(120);
		const started = Date.now();
		await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		await call(ctx.sim, 'PUT', '/_simulator/latency', { json: { latencyMs: 0 } });
		expect(
			(await call(ctx.sim, 'PUT', '/_simulator/latency', { json: { latencyMs: -1 } })).status,
		).toBe(400);
	});

	test('POST /_simulator/invoices creates an invoice, with a forced created_at', async () => {
		const createdAt = '2031-02-03T04:05:06.070809+03:00';
		const bodies = [];
		for (const name of ['x.pdf', 'y.pdf']) {
			const res = await call(ctx.sim, 'POST', '/_simulator/invoices', {
				json: {
					fileName: name,
					createdAt,
					processing: false,
					contentBase64: Buffer.from('%PDF-1.4').toString('base64'),
				},
			});
			expect(res.status).toBe(201);
			bodies.push(res.body);
		}
		expect(bodies.map((b) => b.created_at)).toEqual([createdAt, createdAt]);
		expect(bodies.map((b) => b.processing_status)).toEqual(['finished', 'finished']);
		const file = await call(ctx.sim, 'GET', bodies[0].file, { key: false });
		expect(file.body).toBe('%PDF-1.4');
		expect((await call(ctx.sim, 'POST', '/_simulator/invoices', { json: {} })).status).toBe(400);
		expect(
			(
				await call(ctx.sim, 'POST', '/_simulator/invoices', {
					json: { fileName: 'a.pdf', createdAt: 'soon' },
				})
			).status,
		).toBe(400);
	});

	test('GET /_simulator/invoices: every invoice newest first, compact, not logged', async () => {
		ctx.sim.clearLog();
		const res = await call(ctx.sim, 'GET', '/_simulator/invoices');
		expect(res.status).toBe(200);
		const all = ctx.sim.store.listInvoices({});
		expect(res.body.map((entry) => entry.uid)).toEqual(all.map((invoice) => invoice.uid));
		expect(Object.keys(res.body[0]).sort()).toEqual(['approvement_status', 'created_at', 'hf_id', 'processing_status', 'uid']);
		expect(ctx.sim.log).toEqual([]);
	});

	test('the log records when each request arrived; an action transition the time of its history entry', async () => {
		ctx.sim.clearLog();
		const before = Date.now();
		await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(ctx.sim.log[0].receivedAt).toBeGreaterThanOrEqual(before);
		expect(ctx.sim.log[0].receivedAt).toBeLessThanOrEqual(Date.now());
		const target = ctx.sim.store.listInvoices({ approvement_status: 'waiting' })[0];
		await call(ctx.sim, 'POST', `/v1/invoices/${target.uid}/reject`);
		const transition = ctx.sim.transitions.at(-1);
		const entry = ctx.sim.store.getInvoice(target.uid).history.at(-1);
		expect(transition).toMatchObject({ type: 'rejected', uid: target.uid });
		const { toMicros } = require('../time');
		expect(transition.historyAt).toBe(toMicros(entry.created_at));
		await call(ctx.sim, 'POST', `/v1/invoices/${target.uid}/approve`);
		await call(ctx.sim, 'POST', `/v1/invoices/${target.uid}/remove-approval`);
	});

	test('POST /_simulator/invoices/{uid}/finish-processing', async () => {
		const a = (await upload(ctx.sim)).body;
		const b = (await upload(ctx.sim)).body;
		const done = await call(ctx.sim, 'POST', `/_simulator/invoices/${a.uid}/finish-processing`, {
			json: {},
		});
		expect(done.status).toBe(200);
		expect(done.body.processing_status).toBe('finished');
		expect(done.body.company).not.toBeNull();
		const failed = await call(ctx.sim, 'POST', `/_simulator/invoices/${b.uid}/finish-processing`, {
			json: { fail: true },
		});
		expect(failed.body.processing_status).toBe('failed');
		const again = await call(ctx.sim, 'POST', `/_simulator/invoices/${a.uid}/finish-processing`, {
			json: {},
		});
		expect(again.status).toBe(409);
		const unknown = await call(
			ctx.sim,
			'POST',
			'/_simulator/invoices/00000000-0000-4000-8000-000000000000/finish-processing',
		);
		expect(unknown.status).toBe(404);
	});
});

describe('the transitions record', () => {
	test('one entry per event, with the statuses after it; seeded invoices have none', async () => {
		const { startSimulator } = require('..');
		const sim = await startSimulator({ seed: 12, invoices: 20, ocrDelayMs: 20 });
		try {
			expect(sim.transitions).toEqual([]);
			const { uid } = (await upload(sim)).body;
			await waitFor(() => sim.transitions.length === 2);
			await call(sim, 'PUT', `/v1/invoices/${uid}`, { json: { invoice_number: 'T-1' } });
			await call(sim, 'POST', `/v1/invoices/${uid}/reject`);
			await call(sim, 'POST', `/v1/invoices/${uid}/approve`);
			await call(sim, 'POST', `/v1/invoices/${uid}/remove-approval`);
			await call(sim, 'DELETE', `/v1/invoices/${uid}`);
			await call(sim, 'POST', `/v1/invoices/${uid}/approve`); // 404: no event
			expect(
				sim.transitions.map((t) => [t.seq, t.type, t.uid, t.approvementStatus, t.processingStatus]),
			).toEqual([
				[1, 'created', uid, 'waiting', 'processing'],
				[2, 'processing_finished', uid, 'waiting', 'finished'],
				[3, 'updated', uid, 'waiting', 'finished'],
				[4, 'rejected', uid, 'rejected', 'finished'],
				[5, 'approved', uid, 'approved', 'finished'],
				[6, 'approval_removed', uid, 'waiting', 'finished'],
				[7, 'deleted', uid, 'waiting', 'finished'],
			]);
			for (const t of sim.transitions) expect(Number.isNaN(Date.parse(t.at))).toBe(false);
			const remote = await call(sim, 'GET', '/_simulator/transitions');
			expect(remote.body).toEqual(sim.transitions);
			const newer = await call(sim, 'GET', '/_simulator/transitions?since=5');
			expect(newer.body.map((t) => t.seq)).toEqual([6, 7]);
		} finally {
			await sim.close();
		}
	});
});

describe('the request log', () => {
	test('records method, path, query, lower-cased headers, JSON body, status', async () => {
		ctx.sim.clearLog();
		const uid = ctx.sim.store.createInvoice({ fileName: 'l.pdf', processing: false }).uid;
		await call(ctx.sim, 'PUT', `/v1/invoices/${uid}?x=1&x=2`, {
			json: { invoice_number: 'LOG-1' },
			headers: { 'X-Trace': 'abc' },
		});
		await call(ctx.sim, 'GET', '/v1/invoices/', { key: 'wrong' });
		const [put, denied] = ctx.sim.log;
		expect(put).toMatchObject({
			origin: 'api',
			method: 'PUT',
			path: `/v1/invoices/${uid}`,
			query: { x: ['1', '2'] },
			body: { invoice_number: 'LOG-1' },
			status: 200,
			fault: null,
		});
		expect(put.headers['x-trace']).toBe('abc');
		expect(put.seq).toBeLessThan(denied.seq);
		expect(denied.status).toBe(401);
		expect(ctx.sim.requests({ method: 'put' })).toEqual([put]);
		expect(ctx.sim.requests({ path: /^\/v1\/invoices\/$/ })).toEqual([denied]);
		expect(ctx.sim.requests({ origin: 'storage' })).toEqual([]);
	});
});
