'use strict';

// The storage origin (docs/API.md, Invoice file): files on another host, fetched without
// the Api-Key; a request that carries the key is refused, so tests can prove it never leaks.

const { call, upload, useSimulator } = require('./helpers');

const ctx = useSimulator({ seed: 6, invoices: 5 });

function fromStorage(url, options = {}) {
	return call(ctx.sim, options.method || 'GET', url, { key: false, ...options });
}

describe('serving files', () => {
	test('a seeded invoice has a small valid-looking PDF', async () => {
		const seeded = ctx.sim.store.listInvoices().find((r) => r.processing_status === 'finished');
		const d = ctx.sim.store.getInvoice(seeded.uid);
		expect(d.file.startsWith(`${ctx.sim.storageBaseUrl}/invoices/`)).toBe(true);
		const res = await fromStorage(d.file);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(Number(res.headers.get('content-length'))).toBe(res.bytes.length);
		expect(res.headers.get('content-disposition')).toBe(
			`inline; filename="${d.invoice_number}.pdf"`,
		);
		const text = res.bytes.toString('latin1');
		expect(text.startsWith('%PDF-1.4')).toBe(true);
		expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
		const xref = Number(/startxref\n(\d+)/.exec(text)[1]);
		expect(text.slice(xref, xref + 4)).toBe('xref');
	});

	test('an uploaded file comes back byte for byte with its type and original name', async () => {
		const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		const created = await upload(ctx.sim, { name: 'kassenbon 03.png', type: 'image/png', data });
		const res = await fromStorage(created.body.file);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(res.headers.get('content-disposition')).toBe('inline; filename="kassenbon 03.png"');
		expect(res.bytes.equals(data)).toBe(true);
	});

	test('non-ASCII and quotes in the name are encoded safely', async () => {
		const created = await upload(ctx.sim, { name: 'fatura "şubat".pdf' });
		const res = await fromStorage(created.body.file);
		expect(res.headers.get('content-disposition')).toBe(
			`inline; filename="fatura \\"_ubat\\".pdf"; filename*=UTF-8''${encodeURIComponent('fatura "şubat".pdf')}`,
		);
	});

	test('HEAD gives the headers only', async () => {
		const d = ctx.sim.store.getInvoice(ctx.sim.store.listInvoices()[0].uid);
		const res = await fromStorage(d.file, { method: 'HEAD' });
		const get = await fromStorage(d.file);
		expect(res.status).toBe(200);
		expect(res.bytes.length).toBe(0);
		expect(get.bytes.length).toBeGreaterThan(0);
		expect(Number(res.headers.get('content-length'))).toBe(get.bytes.length);
	});
});

describe('refusals', () => {
	test('a request carrying Api-Key is refused with 400 and logged', async () => {
		const d = ctx.sim.store.getInvoice(ctx.sim.store.listInvoices()[0].uid);
		ctx.sim.clearLog();
		const res = await call(ctx.sim, 'GET', d.file);
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ detail: 'Api-Key must not be sent to the storage host.' });
		const [entry] = ctx.sim.requests({ origin: 'storage' });
		expect(entry.headers['api-key']).toBe(ctx.sim.apiKey);
		expect(entry.status).toBe(400);
	});

	test('even an empty or wrong Api-Key header is refused', async () => {
		const d = ctx.sim.store.getInvoice(ctx.sim.store.listInvoices()[0].uid);
		expect((await call(ctx.sim, 'GET', d.file, { key: 'other' })).status).toBe(400);
		expect((await call(ctx.sim, 'GET', d.file, { key: '' })).status).toBe(400);
	});

	test('unknown files are 404', async () => {
		const d = ctx.sim.store.getInvoice(ctx.sim.store.listInvoices()[0].uid);
		const base = ctx.sim.storageBaseUrl;
		for (const url of [
			`${base}/invoices/00000000-0000-4000-8000-000000000000.pdf`,
			d.file.replace(/\.pdf$/, '.png'),
			`${base}/invoices/`,
			`${base}/other/${d.uid}.pdf`,
		]) {
			const res = await fromStorage(url);
			expect([url, res.status, res.body]).toEqual([url, 404, { detail: 'Not found.' }]);
		}
	});

	test('the file of a deleted invoice is gone', async () => {
		const created = await upload(ctx.sim, { name: 'gone.pdf' });
		await call(ctx.sim, 'DELETE', `/v1/invoices/${created.body.uid}`);
		expect((await fromStorage(created.body.file)).status).toBe(404);
	});

	test('other methods are 405', async () => {
		const d = ctx.sim.store.getInvoice(ctx.sim.store.listInvoices()[0].uid);
		const res = await fromStorage(d.file, { method: 'DELETE' });
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('GET, HEAD');
	});

	test('the storage origin is not the API origin', async () => {
		expect(ctx.sim.storageBaseUrl).not.toBe(ctx.sim.baseUrl);
		expect((await fromStorage(`${ctx.sim.storageBaseUrl}/v1/invoices/`)).status).toBe(404);
	});
});
