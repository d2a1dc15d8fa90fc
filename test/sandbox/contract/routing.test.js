'use strict';

// docs/API.md, Transport and "Errors": Api-Key auth, exact paths, DRF error shapes.

const { call, useSimulator } = require('./helpers');

const ctx = useSimulator({ seed: 3, invoices: 12 });

describe('authentication', () => {
	test('a missing Api-Key is 401 with the documented detail', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/', { key: false });
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ detail: 'Invalid API key.' });
	});

	test('a wrong Api-Key is 401', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/', { key: 'wrong' });
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ detail: 'Invalid API key.' });
	});

	test('every endpoint requires the key', async () => {
		const uid = ctx.sim.store.listInvoices()[0].uid;
		const endpoints = [
			['GET', '/v1/invoices/'],
			['POST', '/v1/invoices/'],
			['GET', `/v1/invoices/${uid}`],
			['PUT', `/v1/invoices/${uid}`],
			['DELETE', `/v1/invoices/${uid}`],
			['POST', `/v1/invoices/${uid}/approve`],
			['POST', `/v1/invoices/${uid}/reject`],
			['POST', `/v1/invoices/${uid}/remove-approval`],
			['POST', `/v1/invoices/${uid}/items/`],
			['PUT', `/v1/invoices/${uid}/items/${uid}`],
			['DELETE', `/v1/invoices/${uid}/items/${uid}`],
			['POST', '/v1/invoices/export-csv'],
			['POST', '/v1/invoices/export-xlsx'],
		];
		for (const [method, path] of endpoints) {
			const res = await call(ctx.sim, method, path, { key: false });
			expect([method, path, res.status]).toEqual([method, path, 401]);
		}
		expect(ctx.sim.store.getInvoice(uid).uid).toBe(uid);
	});

	test('the key is case-sensitive', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/', { key: ctx.sim.apiKey.toUpperCase() });
		expect(res.status).toBe(401);
	});
});

describe('paths are exact', () => {
	test('unknown paths are 404 Not found.', async () => {
		for (const path of ['/', '/v1/', '/v2/invoices/', '/v1/invoice/', '/v1/invoices/x/y/z']) {
			const res = await call(ctx.sim, 'GET', path);
			expect([path, res.status, res.body]).toEqual([path, 404, { detail: 'Not found.' }]);
		}
	});

	test('the wrong trailing slash is 404', async () => {
		const uid = ctx.sim.store.listInvoices()[0].uid;
		const item = ctx.sim.store.getInvoice(uid).items[0] || { uid };
		const wrong = [
			['GET', '/v1/invoices'],
			['POST', '/v1/invoices'],
			['GET', `/v1/invoices/${uid}/`],
			['POST', `/v1/invoices/${uid}/approve/`],
			['POST', `/v1/invoices/${uid}/reject/`],
			['POST', `/v1/invoices/${uid}/remove-approval/`],
			['POST', '/v1/invoices/export-csv/'],
			['POST', '/v1/invoices/export-xlsx/'],
			['POST', `/v1/invoices/${uid}/items`],
			['PUT', `/v1/invoices/${uid}/items/${item.uid}/`],
		];
		for (const [method, path] of wrong) {
			const res = await call(ctx.sim, method, path, method === 'GET' ? {} : { json: {} });
			expect([method, path, res.status, res.body]).toEqual([
				method,
				path,
				404,
				{ detail: 'Not found.' },
			]);
		}
	});

	test('the documented paths answer', async () => {
		const uid = ctx.sim.store.listInvoices()[0].uid;
		expect((await call(ctx.sim, 'GET', '/v1/invoices/')).status).toBe(200);
		expect((await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).status).toBe(200);
	});
});

describe('methods', () => {
	test('a method the endpoint does not offer is 405 with Allow', async () => {
		const uid = ctx.sim.store.listInvoices()[0].uid;
		const cases = [
			['PATCH', `/v1/invoices/${uid}`, 'GET, PUT, DELETE, HEAD, OPTIONS'],
			['DELETE', '/v1/invoices/', 'GET, POST, HEAD, OPTIONS'],
			['GET', `/v1/invoices/${uid}/approve`, 'POST, OPTIONS'],
			['GET', '/v1/invoices/export-csv', 'POST, OPTIONS'],
			['GET', `/v1/invoices/${uid}/items/`, 'POST, OPTIONS'],
		];
		for (const [method, path, allow] of cases) {
			const res = await call(ctx.sim, method, path);
			expect([method, res.status, res.body]).toEqual([
				method,
				405,
				{ detail: `Method "${method}" not allowed.` },
			]);
			expect(res.headers.get('allow')).toBe(allow);
		}
	});

	test('HEAD answers like GET without a body', async () => {
		const res = await call(ctx.sim, 'HEAD', '/v1/invoices/');
		expect(res.status).toBe(200);
		expect(res.bytes.length).toBe(0);
		expect(Number(res.headers.get('content-length'))).toBeGreaterThan(10);
	});
});

describe('request bodies', () => {
	test('malformed JSON is 400 JSON parse error', async () => {
		const uid = ctx.sim.store.listInvoices({ approvement_status: 'waiting' })[0].uid;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}`, {
			body: '{"total_price": ',
			headers: { 'Content-Type': 'application/json' },
		});
		expect(res.status).toBe(400);
		expect(res.body.detail).toMatch(/^JSON parse error - /);
	});

	test('a body that is not JSON is 415', async () => {
		const uid = ctx.sim.store.listInvoices({ approvement_status: 'waiting' })[0].uid;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}`, {
			body: 'total_price=1',
			headers: { 'Content-Type': 'text/plain' },
		});
		expect(res.status).toBe(415);
		expect(res.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
	});

	test('a JSON body that is not an object is 400 non_field_errors', async () => {
		const uid = ctx.sim.store.listInvoices({ approvement_status: 'waiting' })[0].uid;
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}`, { json: ['x'] });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			non_field_errors: ['Invalid data. Expected a dictionary, but got list.'],
		});
	});

	test('answers are application/json', async () => {
		const res = await call(ctx.sim, 'GET', '/v1/invoices/');
		expect(res.headers.get('content-type')).toBe('application/json');
	});
});
