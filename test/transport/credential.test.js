'use strict';

const { startSimulator } = require('../sandbox');
const { createEngine } = require('../harness/engine');

describe('BillOver API credential', () => {
	let sim;
	beforeAll(async () => {
		sim = await startSimulator({ seed: 3, invoices: 5, apiKey: 'right-key-123' });
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.clearLog());

	test('"Test" succeeds with the right key, listing one invoice with the key in the Api-Key header', async () => {
		const engine = createEngine({ credentials: { billOverApi: { apiKey: 'right-key-123', baseUrl: sim.baseUrl } } });
		const result = await engine.testCredential();
		expect(result).toMatchObject({ ok: true });
		const [request] = sim.requests({ origin: 'api' });
		expect(request).toMatchObject({ method: 'GET', path: '/v1/invoices/', status: 200 });
		expect(request.query).toEqual({ page: ['1'], page_size: ['1'] });
		expect(request.headers['api-key']).toBe('right-key-123');
	});

	test('"Test" tolerates a trailing slash in the base URL', async () => {
		const engine = createEngine({ credentials: { billOverApi: { apiKey: 'right-key-123', baseUrl: `${sim.baseUrl}//` } } });
		expect(await engine.testCredential()).toMatchObject({ ok: true });
		expect(sim.requests({ origin: 'api' })[0].path).toBe('/v1/invoices/');
	});

	test('"Test" fails with a wrong key, with a message about authorization and without the key', async () => {
		const engine = createEngine({ credentials: { billOverApi: { apiKey: 'wrong-key-456', baseUrl: sim.baseUrl } } });
		const result = await engine.testCredential();
		expect(result.ok).toBe(false);
		expect(result.message).toMatch(/401|authori[sz]/i);
		expect(JSON.stringify(result.error)).not.toContain('wrong-key-456');
		expect(sim.requests({ origin: 'api' })[0].status).toBe(401);
	});

	test('the credential describes an Api-Key password field and the default base URL', () => {
		const { BillOverApi } = require('../../credentials/BillOverApi.credentials');
		const credential = new BillOverApi();
		const apiKey = credential.properties.find((property) => property.name === 'apiKey');
		const baseUrl = credential.properties.find((property) => property.name === 'baseUrl');
		expect(apiKey.typeOptions.password).toBe(true);
		expect(apiKey.required).toBe(true);
		expect(baseUrl.default).toBe('https://api.billover.com');
		// An own field: n8n copies a credential's own fields into what it lists, and offers the node's
		// Custom API Call (and the credential in the HTTP Request node) by `authenticate` being there.
		expect(Object.prototype.hasOwnProperty.call(credential, 'authenticate')).toBe(true);
		// The key goes into the Api-Key header, and nothing else of the request changes.
		const request = { url: '/v1/invoices/', method: 'GET', headers: { Accept: 'application/json' }, qs: { page: 1 } };
		return credential.authenticate({ apiKey: 'k-123', baseUrl: 'http://127.0.0.1:1' }, request).then((authenticated) => {
			expect(authenticated).toEqual({ ...request, headers: { Accept: 'application/json', 'Api-Key': 'k-123' } });
			expect(request.headers).toEqual({ Accept: 'application/json' });
		});
	});
});
