'use strict';

// POST /v1/invoices/ (docs/API.md, Create, docs/API.md, Create): multipart
// upload, then OCR: processing → finished (fields filled) or failed.

const crypto = require('node:crypto');
const { call, upload, waitFor, useSimulator, FormData, UUID_V4, CREATED_AT } = require('./helpers');
const { startSimulator, ConflictError } = require('..');

const ctx = useSimulator({ seed: 4, invoices: 5, ocrDelayMs: 40 });

const CREATED_FIELDS = [
	'approvement_status',
	'category',
	'company',
	'created_at',
	'currency',
	'file',
	'hf_id',
	'invoice_date',
	'permissions',
	'processing_status',
	'total_price',
	'total_price_display',
	'uid',
	'workspace_user',
].sort();

async function detail(uid) {
	return (await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).body;
}

describe('a successful upload', () => {
	test('answers 201 with the new invoice, processing, fields null', async () => {
		const res = await upload(ctx.sim, { name: 'march.pdf' });
		expect(res.status).toBe(201);
		expect(Object.keys(res.body).sort()).toEqual(CREATED_FIELDS);
		expect(res.body).toMatchObject({
			processing_status: 'processing',
			approvement_status: 'waiting',
			total_price: null,
			total_price_display: null,
			currency: null,
			invoice_date: null,
			company: null,
			category: null,
			workspace_user: ctx.sim.store.workspaceUsers[0],
		});
		expect(res.body.uid).toMatch(UUID_V4);
		expect(res.body.hf_id).toMatch(/^[A-Z]{3,4}$/);
		expect(res.body.created_at).toMatch(CREATED_AT);
		expect(res.body.file).toBe(`${ctx.sim.storageBaseUrl}/invoices/${res.body.uid}.pdf`);
	});

	test('while processing, the detail has most fields null and no items', async () => {
		const sim = await startSimulator({ seed: 4, invoices: 0, ocrDelayMs: null });
		try {
			const res = await upload(sim);
			const d = (await call(sim, 'GET', `/v1/invoices/${res.body.uid}`)).body;
			expect(d).toMatchObject({
				processing_status: 'processing',
				items: [],
				vat_categories: [],
				total_vat: null,
				invoice_number: null,
				language: null,
				country: null,
				card: null,
				payment_type: null,
			});
			expect(d.history.map((h) => h.action)).toEqual(['created']);
		} finally {
			await sim.close();
		}
	});

	test('after the OCR delay it is finished with fields, items and history filled', async () => {
		const res = await upload(ctx.sim, { name: 'receipt.pdf' });
		const { uid } = res.body;
		await waitFor(async () => (await detail(uid)).processing_status === 'finished');
		const d = await detail(uid);
		expect(d.total_price).toMatch(/^\d+\.\d{2}$/);
		expect(d.company).not.toBeNull();
		expect(d.invoice_number).toEqual(expect.any(String));
		expect(d.items.length).toBeGreaterThanOrEqual(1);
		expect(d.items.length).toBeLessThanOrEqual(3);
		expect(d.history.map((h) => h.action)).toEqual(['created', 'processing_finished']);
		expect(d.history[1].workspace_user).toBeNull();
		const recorded = ctx.sim.transitions.filter((t) => t.uid === uid);
		expect(recorded.map((t) => [t.type, t.approvementStatus, t.processingStatus])).toEqual([
			['created', 'waiting', 'processing'],
			['processing_finished', 'waiting', 'finished'],
		]);
	});

	test('a file named "unreadable" ends failed', async () => {
		const res = await upload(ctx.sim, { name: 'Scan-UNREADABLE-01.pdf' });
		const { uid } = res.body;
		await waitFor(async () => (await detail(uid)).processing_status !== 'processing');
		const d = await detail(uid);
		expect(d).toMatchObject({
			processing_status: 'failed',
			total_price: null,
			company: null,
			items: [],
		});
		expect(ctx.sim.transitions.filter((t) => t.uid === uid).map((t) => t.type)).toEqual([
			'created',
			'processing_failed',
		]);
	});

	test.each([
		['scan.png', 'image/png', 'png'],
		['photo.jpg', 'image/jpeg', 'jpg'],
		['photo.jpeg', 'image/jpg', 'jpg'],
		['by-extension.jpeg', 'application/octet-stream', 'jpg'],
		['by-extension.PDF', 'application/octet-stream', 'pdf'],
	])('%s sent as %s is accepted (.%s)', async (name, type, ext) => {
		const res = await upload(ctx.sim, { name, type, data: Buffer.from([1, 2, 3]) });
		expect(res.status).toBe(201);
		expect(res.body.file).toMatch(new RegExp(`/invoices/${res.body.uid}\\.${ext}$`));
	});

	test('the request log shows the file part, not its bytes', async () => {
		ctx.sim.clearLog();
		await upload(ctx.sim, { name: 'logged.pdf', data: Buffer.alloc(1234, 7) });
		const [entry] = ctx.sim.requests({ method: 'POST', path: '/v1/invoices/' });
		expect(entry.body).toEqual({
			file: { filename: 'logged.pdf', type: 'application/pdf', size: 1234 },
		});
		expect(entry.status).toBe(201);
		expect(entry.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
	});

	test('a 50 MB upload works and the same bytes come back from storage', async () => {
		const data = crypto.randomBytes(50 * 1024 * 1024);
		const res = await upload(ctx.sim, { name: 'big.pdf', data });
		expect(res.status).toBe(201);
		const file = await fetch(res.body.file);
		const back = Buffer.from(await file.arrayBuffer());
		expect(back.length).toBe(data.length);
		expect(crypto.createHash('sha256').update(back).digest('hex')).toBe(
			crypto.createHash('sha256').update(data).digest('hex'),
		);
	}, 20000);
});

describe('rejected uploads', () => {
	test('no file part: 400 No file was submitted.', async () => {
		const form = new FormData();
		form.append('other', 'x');
		const res = await call(ctx.sim, 'POST', '/v1/invoices/', { form });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ file: ['No file was submitted.'] });
	});

	test('an empty file: 400 The submitted file is empty.', async () => {
		const res = await upload(ctx.sim, { data: Buffer.alloc(0) });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ file: ['The submitted file is empty.'] });
	});

	test.each([
		['notes.txt', 'text/plain'],
		['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
		['mystery.bin', 'application/octet-stream'],
	])('%s (%s) is an unsupported type', async (name, type) => {
		const res = await upload(ctx.sim, { name, type, data: Buffer.from('x') });
		expect(res.status).toBe(400);
		expect(Object.keys(res.body)).toEqual(['file']);
		expect(res.body.file[0]).toMatch(/^Unsupported file type /);
	});

	test('a text field named file is not a file', async () => {
		const form = new FormData();
		form.append('file', 'just text');
		const res = await call(ctx.sim, 'POST', '/v1/invoices/', { form });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			file: ['The submitted data was not a file. Check the encoding type on the form.'],
		});
	});

	test('a JSON body has no file', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/', { json: {} });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ file: ['No file was submitted.'] });
	});

	test('a malformed multipart body is 400', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/', {
			body: 'garbage',
			headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
		});
		expect(res.status).toBe(400);
		expect(res.body.detail).toMatch(/^Multipart form parse error - /);
	});

	test('nothing is created by a rejected upload', async () => {
		const count = ctx.sim.store.count();
		const transitions = ctx.sim.transitions.length;
		await upload(ctx.sim, { data: Buffer.alloc(0) });
		expect(ctx.sim.store.count()).toBe(count);
		expect(ctx.sim.transitions.length).toBe(transitions);
	});
});

describe('processing through the store', () => {
	test('with ocrDelayMs null it stays processing until finishProcessing()', async () => {
		const sim = await startSimulator({ seed: 4, invoices: 0, ocrDelayMs: null });
		try {
			const { uid } = sim.store.createInvoice({ fileName: 'a.pdf', data: Buffer.from('x') });
			await new Promise((resolve) => setTimeout(resolve, 80));
			expect(sim.store.getInvoice(uid).processing_status).toBe('processing');
			const finished = sim.store.finishProcessing(uid);
			expect(finished.processing_status).toBe('finished');
			expect(() => sim.store.finishProcessing(uid)).toThrow(ConflictError);
			const other = sim.store.createInvoice({ fileName: 'b.pdf' });
			expect(sim.store.finishProcessing(other.uid, { fail: true }).processing_status).toBe(
				'failed',
			);
		} finally {
			await sim.close();
		}
	});

	test('edits made while processing survive the OCR', async () => {
		const sim = await startSimulator({ seed: 4, invoices: 0, ocrDelayMs: null });
		try {
			const { uid } = sim.store.createInvoice({ fileName: 'a.pdf' });
			sim.store.updateInvoice(uid, { invoice_number: 'MINE-1', currency: 'GBP' });
			const done = sim.store.finishProcessing(uid);
			expect(done.invoice_number).toBe('MINE-1');
			expect(done.currency).toBe('GBP');
			expect(done.company).not.toBeNull();
		} finally {
			await sim.close();
		}
	});

	test('processing: false creates a finished invoice at once', () => {
		const made = ctx.sim.store.createInvoice({ fileName: 'now.pdf', processing: false });
		expect(made.processing_status).toBe('finished');
		expect(made.items.length).toBeGreaterThan(0);
	});
});
