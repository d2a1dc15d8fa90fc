'use strict';

/**
 * The transport on n8n's engine (a probe node runs transport calls in a real
 * execute context) against the simulator over real HTTP: URLs, pagination,
 * retries and what is never retried, error messages, binary answers, and the
 * API key's confinement to the credential's host.
 */
const http = require('node:http');

const { useSimulator, apiCalls } = require('../harness/fixture');
const { createEngine } = require('../harness/engine');
const { probe } = require('../harness/nodes');
const transport = require('../../nodes/BillOver/transport');
const api = require('../../nodes/BillOver/shared/endpoints');

/** Runs `fn` as the probe node's execute; resolves its result or the node error. */
async function inNode(engine, fn) {
	let value;
	probe.run = async function () {
		value = await fn.call(this);
		return {};
	};
	const { error } = await engine.runNode({ type: 'harness.probe', parameters: {} });
	return { value, error };
}

const uploadForm = () => {
	const form = new FormData();
	form.append('file', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'receipt.pdf');
	return form;
};

describe('transport on the engine', () => {
	const fx = useSimulator({ invoices: 230 });

	describe('requests', () => {
		test('GET goes to base URL + documented path, with the key in Api-Key and array filters as repeated keys', async () => {
			const company = fx.sim.store.companies[0].uid;
			const { value, error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, {
					method: 'GET',
					path: '/v1/invoices/',
					qs: { company__uid: [company], approvement_status: ['waiting', 'rejected'], page_size: 5 },
				});
			});
			expect(error).toBeUndefined();
			expect(value.status).toBe(200);
			expect(value.body.results.length).toBeGreaterThan(0);
			const [request] = fx.sim.requests({ origin: 'api' });
			expect(request.path).toBe('/v1/invoices/');
			expect(request.query).toEqual({ company__uid: [company], approvement_status: ['waiting', 'rejected'], page_size: ['5'] });
			expect(request.headers['api-key']).toBe(fx.sim.apiKey);
		});

		test('the credential is decrypted once per node run, not once per request', async () => {
			const before = fx.engine.credentialsHelper.decryptCount;
			await inNode(fx.engine, async function () {
				for (let i = 0; i < 3; i++) await transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(fx.sim.requests({ origin: 'api' })).toHaveLength(3);
			expect(fx.engine.credentialsHelper.decryptCount - before).toBe(1);
		});

		test('binary answers come back as bytes with their headers (export)', async () => {
			const { value } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'POST', path: '/v1/invoices/export-csv', body: {}, binary: true });
			});
			expect(Buffer.isBuffer(value.body)).toBe(true);
			expect(value.body.toString('utf8').split('\r\n')[0]).toMatch(/^hf_id,uid,/);
			expect(transport.mimeTypeOf(value.headers['content-type'])).toBe('text/csv');
			expect(transport.fileNameFromDisposition(value.headers['content-disposition'])).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.csv$/);
			expect(fx.sim.requests({ origin: 'api' })[0].body).toEqual({});
		});
	});

	describe('pagination', () => {
		test.each([
			[undefined, 3, 230],
			[100, 1, 100],
			[101, 2, 101],
			[200, 2, 200],
			[250, 3, 230],
			[7, 1, 7],
		])('limit %p fetches exactly %p page(s) and returns %p results', async (limit, pages, count) => {
			const { value } = await inNode(fx.engine, function () {
				return transport.paginate.call(this, '/v1/invoices/', {}, { pageSize: 100, limit });
			});
			expect(value.results).toHaveLength(count);
			expect(value.pages).toBe(pages);
			expect(fx.sim.requests({ origin: 'api' })).toHaveLength(pages);
			const pageSize = limit === undefined ? 100 : Math.min(100, limit);
			expect(apiCalls(fx.sim)).toEqual(
				Array.from({ length: pages }, (_, index) => `GET /v1/invoices/?page=${index + 1}&page_size=${pageSize}`),
			);
			expect(value.results.map((invoice) => invoice.uid)).toEqual(
				fx.sim.store.listInvoices({}).slice(0, count).map((invoice) => invoice.uid),
			);
		});

		test('filters are passed on every page', async () => {
			const { value } = await inNode(fx.engine, function () {
				return transport.paginate.call(this, '/v1/invoices/', { approvement_status: ['approved'] }, { pageSize: 100 });
			});
			const expected = fx.sim.store.listInvoices({ approvement_status: 'approved' }).map((invoice) => invoice.uid);
			expect(value.results.map((invoice) => invoice.uid)).toEqual(expected);
			for (const request of fx.sim.requests({ origin: 'api' })) expect(request.query.approvement_status).toEqual(['approved']);
		});

		test('an invoice created while paging shifts the pages; it is returned once, never twice', async () => {
			let created = false;
			const { value } = await inNode(fx.engine, async function () {
				const first = await transport.fetchPage.call(this, '/v1/invoices/', {}, 1, 100);
				fx.sim.store.createInvoice({ fileName: 'late.pdf', processing: false });
				created = true;
				const all = await transport.paginate.call(this, '/v1/invoices/', {}, { pageSize: 100 });
				return { first, all };
			});
			expect(created).toBe(true);
			const uids = value.all.results.map((invoice) => invoice.uid);
			expect(new Set(uids).size).toBe(uids.length);
			const last = fx.sim.store.listInvoices({})[0];
			fx.sim.store.deleteInvoice(last.uid);
		});

		test('a page that vanished (404 "Invalid page.") ends the walk instead of failing', async () => {
			const { value, error } = await inNode(fx.engine, async function () {
				return await transport.fetchPage.call(this, '/v1/invoices/', {}, 99, 100);
			});
			expect(error).toBeUndefined();
			expect(value).toBeUndefined();
			expect(fx.sim.requests({ origin: 'api' })[0].status).toBe(404);
		});
	});

	describe('retries', () => {
		test('429 with Retry-After is honoured, then the request succeeds', async () => {
			fx.sim.faults.next(1, { type: 'status', status: 429, retryAfter: 1 });
			const started = Date.now();
			const { value, error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			const elapsed = Date.now() - started;
			expect(error).toBeUndefined();
			expect(value.attempts).toBe(2);
			expect(elapsed).toBeGreaterThanOrEqual(950);
			expect(fx.sim.requests({ origin: 'api' }).map((request) => request.status)).toEqual([429, 200]);
		});

		test('a 429 asking to wait longer than the cap fails at once with a clear message', async () => {
			const previous = transport.configureRetryTiming({ maxRetryAfterMs: 500 });
			try {
				fx.sim.faults.next(1, { type: 'status', status: 429, retryAfter: 30 });
				const { error } = await inNode(fx.engine, function () {
					return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
				});
				expect(error.message).toMatch(/rate-limiting requests \(429\)/);
				expect(fx.sim.requests({ origin: 'api' })).toHaveLength(1);
			} finally {
				transport.configureRetryTiming(previous);
			}
		});

		test.each([500, 502, 503])('a GET answered %p is retried with backoff and then succeeds', async (status) => {
			fx.sim.faults.next(2, { type: 'status', status });
			const { value } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(value.attempts).toBe(3);
			expect(fx.sim.requests({ origin: 'api' }).map((request) => request.status)).toEqual([status, status, 200]);
		});

		test('a dropped connection on a GET is retried', async () => {
			fx.sim.faults.next(1, { type: 'drop' });
			const { value, error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(error).toBeUndefined();
			expect(value.attempts).toBe(2);
		});

		test('5xx every time: gives up after the retries with the status and the attempt count', async () => {
			fx.sim.faults.next(10, { type: 'status', status: 503 });
			const { error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(error.message).toBe('BillOver answered 503 (Service Temporarily Unavailable) after 5 attempts');
			expect(fx.sim.requests({ origin: 'api' })).toHaveLength(5);
		});

		test('a 500 on a create (upload) is NOT repeated: the invoice may exist, and here it does', async () => {
			fx.sim.faults.next(1, { type: 'status-after', status: 500 });
			const before = fx.sim.store.count();
			const { error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'POST', path: '/v1/invoices/', repeatable: false, what: 'invoice upload', body: uploadForm() });
			});
			expect(error.message).toMatch(/did not confirm the invoice upload \(HTTP 500\); it was not sent again/);
			expect(fx.sim.requests({ origin: 'api', method: 'POST' })).toHaveLength(1);
			expect(fx.sim.store.count()).toBe(before + 1);
			fx.sim.store.deleteInvoice(fx.sim.store.listInvoices({})[0].uid);
		});

		test('a dropped connection after a create is NOT repeated either', async () => {
			fx.sim.faults.next(1, { type: 'drop-after' });
			const { error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'POST', path: '/v1/invoices/', repeatable: false, what: 'invoice upload', body: uploadForm() });
			});
			expect(error.message).toMatch(/did not confirm the invoice upload/);
			expect(fx.sim.requests({ origin: 'api', method: 'POST' })).toHaveLength(1);
			fx.sim.store.deleteInvoice(fx.sim.store.listInvoices({})[0].uid);
		});

		test('a 429 on a create IS repeated (the server refused without acting): exactly one invoice', async () => {
			fx.sim.faults.next(1, { type: 'status', status: 429, retryAfter: 0 });
			const before = fx.sim.store.count();
			const { value, error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'POST', path: '/v1/invoices/', repeatable: false, what: 'invoice upload', body: uploadForm() });
			});
			expect(error).toBeUndefined();
			expect(value.status).toBe(201);
			expect(fx.sim.store.count()).toBe(before + 1);
			const posts = fx.sim.requests({ origin: 'api', method: 'POST' });
			expect(posts.map((request) => request.status)).toEqual([429, 201]);
			expect(posts[1].body.file).toMatchObject({ filename: 'receipt.pdf', type: 'application/pdf' });
			fx.sim.store.deleteInvoice(value.body.uid);
		});

		test('approve answered 500 after acting: the repeat sees 403, the invoice is read, and it is approved: success', async () => {
			const waiting = fx.sim.store.listInvoices({ approvement_status: 'waiting' })[0];
			fx.sim.faults.next(1, { type: 'status-after', status: 500 });
			const { value, error } = await inNode(fx.engine, function () {
				return api.setApproval(this, waiting.uid, 'approve', 0);
			});
			expect(error).toBeUndefined();
			expect(value).toMatchObject({ uid: waiting.uid, approvement_status: 'approved' });
			expect(apiCalls(fx.sim)).toEqual([
				`POST /v1/invoices/${waiting.uid}/approve`,
				`POST /v1/invoices/${waiting.uid}/approve`,
				`GET /v1/invoices/${waiting.uid}`,
			]);
			expect(fx.sim.transitions.filter((t) => t.uid === waiting.uid && t.type === 'approved')).toHaveLength(1);
			fx.sim.store.removeApproval(waiting.uid);
		});

		test('approve of an already approved invoice (no ambiguity) is a 403 naming the permission', async () => {
			const approved = fx.sim.store.listInvoices({ approvement_status: 'approved' })[0];
			const { error } = await inNode(fx.engine, function () {
				return api.setApproval(this, approved.uid, 'approve', 0);
			});
			expect(error.message).toBe(`BillOver does not allow you to approve invoice ${approved.uid} (permission can_approve is false)`);
			expect(error.description).toMatch(/probably approved already/);
			expect(fx.sim.requests({ origin: 'api' })).toHaveLength(1);
		});

		test('a DELETE whose connection dropped after deleting: the repeat sees 404, which means done', async () => {
			const victim = fx.sim.store.createInvoice({ fileName: 'delete-me.pdf', processing: false });
			fx.sim.faults.next(1, { type: 'drop-after' });
			const { error } = await inNode(fx.engine, function () {
				return api.deleteInvoice(this, victim.uid, 0);
			});
			expect(error).toBeUndefined();
			expect(fx.sim.requests({ origin: 'api' }).map((request) => request.status)).toEqual([null, 404]);
		});

		test('a plain 404 (no earlier ambiguity) names the invoice', async () => {
			const uid = '00000000-0000-4000-8000-000000000000';
			const { error } = await inNode(fx.engine, function () {
				return api.deleteInvoice(this, uid, 0);
			});
			expect(error.message).toBe(`BillOver could not find invoice ${uid} (404)`);
		});
	});

	describe('errors', () => {
		test('400 shows the API field errors', async () => {
			const invoice = fx.sim.store.listInvoices({ approvement_status: 'waiting' })[0];
			const { error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, {
					method: 'PUT',
					path: `/v1/invoices/${invoice.uid}`,
					body: { total_price: '1.234', currency: 'XYZ' },
				});
			});
			expect(error.message).toMatch(/^BillOver rejected the request: /);
			expect(error.message).toMatch(/total_price: Ensure that there are no more than 2 decimal places\./);
			expect(error.message).toMatch(/currency: "XYZ" is not a valid choice\./);
			expect(error.httpCode).toBe('400');
		});

		test('401: the key was rejected, and the key appears nowhere in the error', async () => {
			const engine = createEngine({ credentials: { billOverApi: { apiKey: 'super-secret-wrong-key', baseUrl: fx.sim.baseUrl } } });
			const { error } = await inNode(engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(error.message).toBe('BillOver rejected the API key (401)');
			expect(error.description).toMatch(/Check the API key/);
			expect(JSON.stringify(error)).not.toContain('super-secret-wrong-key');
			expect(String(error.stack)).not.toContain('super-secret-wrong-key');
		});

		test('connection errors: the key appears nowhere either (n8n wraps the request config in its errors)', async () => {
			const engine = createEngine({ credentials: { billOverApi: { apiKey: 'another-secret-key', baseUrl: 'http://127.0.0.1:9' } } });
			const { error } = await inNode(engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(error.message).toBe('Could not reach BillOver (connection refused) after 5 attempts');
			expect(JSON.stringify(error)).not.toContain('another-secret-key');
		});

		test('an invalid base URL is refused before any request', async () => {
			const engine = createEngine({ credentials: { billOverApi: { apiKey: 'k', baseUrl: 'api.billover.com' } } });
			const { error } = await inNode(engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
			});
			expect(error.message).toMatch(/Base URL "api\.billover\.com" .* is not a valid URL/);
		});
	});

	describe('the API key stays on the credential host', () => {
		test('invoice files are fetched from the storage host without the key', async () => {
			const invoice = fx.sim.store.listInvoices({})[0];
			const detail = fx.sim.store.getInvoice(invoice.uid);
			const { value, error } = await inNode(fx.engine, function () {
				return transport.downloadWithoutCredential.call(this, detail.file);
			});
			expect(error).toBeUndefined();
			expect(value.body.subarray(0, 5).toString()).toBe('%PDF-');
			const [request] = fx.sim.requests({ origin: 'storage' });
			expect(request.status).toBe(200);
			expect(request.headers['api-key']).toBeUndefined();
			expect(Object.values(request.headers).join(' ')).not.toContain(fx.sim.apiKey);
		});

		test('a path that would move the request to another host is refused', async () => {
			const { error } = await inNode(fx.engine, function () {
				return transport.apiRequest.call(this, { method: 'GET', path: '@evil.invalid/v1/invoices/' });
			});
			expect(error.message).toMatch(/Refusing to send the BillOver API key to http:\/\/evil\.invalid/);
			expect(fx.sim.requests({ origin: 'api' })).toHaveLength(0);
		});

		test('a redirect to another host is not followed, so the key is not carried there', async () => {
			const seenByOther = [];
			const other = http.createServer((req, res) => {
				seenByOther.push(req.headers);
				res.end('{}');
			});
			await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
			const redirector = http.createServer((req, res) => {
				res.writeHead(302, { Location: `http://localhost:${other.address().port}/steal` });
				res.end();
			});
			await new Promise((resolve) => redirector.listen(0, '127.0.0.1', resolve));
			try {
				const engine = createEngine({ credentials: { billOverApi: { apiKey: 'redirect-secret', baseUrl: `http://127.0.0.1:${redirector.address().port}` } } });
				const { error } = await inNode(engine, function () {
					return transport.apiRequest.call(this, { method: 'GET', path: '/v1/invoices/' });
				});
				expect(error.message).toMatch(/BillOver answered 302/);
				expect(seenByOther).toHaveLength(0);
			} finally {
				other.close();
				redirector.close();
			}
		});
	});
});
