'use strict';

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { PDF_BYTES, fileItem, runBillOver } = require('../helpers');

const create = (extra) => ({ resource: 'invoice', operation: 'create', ...extra });
const waitFast = { waitForProcessing: true, pollInterval: 0.05, timeout: 5 };

describe('Invoice → Create (upload)', () => {
	const fx = useSimulator({ invoices: 5, ocrDelayMs: 120 });

	test('uploads the binary as one multipart part "file" and returns the processing invoice at once', async () => {
		const { items, error } = await runBillOver(fx, create(), { items: [fileItem(PDF_BYTES, 'march.pdf', 'application/pdf')] });
		expect(error).toBeUndefined();
		const [request] = fx.sim.requests({ origin: 'api' });
		expect(apiCalls(fx.sim)).toEqual(['POST /v1/invoices/']);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.body).toEqual({ file: { filename: 'march.pdf', type: 'application/pdf', size: PDF_BYTES.length } });
		expect(items).toHaveLength(1);
		const invoice = items[0].json;
		expect(invoice.processing_status).toBe('processing');
		expect(invoice.approvement_status).toBe('waiting');
		expect(invoice.file).toMatch(new RegExp(`^${fx.sim.storageBaseUrl}/invoices/${invoice.uid}\\.pdf$`));
		expect(fx.sim.store.fileOf(invoice.uid).data.equals(PDF_BYTES)).toBe(true);
	});

	test('a PNG from another binary field, and a JPEG known only by its extension', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
		const { items, error } = await runBillOver(fx, create({ binaryPropertyName: 'scan' }), {
			items: [fileItem(png, 'receipt.png', 'image/png', 'scan'), fileItem(jpeg, 'photo.JPEG', 'application/octet-stream', 'scan')],
		});
		expect(error).toBeUndefined();
		expect(fx.sim.requests({ origin: 'api' }).map((request) => request.body.file)).toEqual([
			{ filename: 'receipt.png', type: 'image/png', size: png.length },
			{ filename: 'photo.JPEG', type: 'image/jpeg', size: jpeg.length },
		]);
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1]);
		expect(items.map((item) => item.json.file.split('.').pop())).toEqual(['png', 'jpg']);
		expect(fx.sim.store.fileOf(items[1].json.uid).data.equals(jpeg)).toBe(true);
	});

	test('Wait for Processing: polls GET /v1/invoices/{uid} until finished and returns the processed invoice', async () => {
		const { items, error } = await runBillOver(fx, create(waitFast), { items: [fileItem(PDF_BYTES, 'april.pdf', 'application/pdf')] });
		expect(error).toBeUndefined();
		const invoice = items[0].json;
		expect(invoice.processing_status).toBe('finished');
		expect(invoice.items.length).toBeGreaterThan(0);
		expect(invoice.history.map((entry) => entry.action)).toEqual(['created', 'processing_finished']);
		expect(invoice).toEqual(fx.sim.store.getInvoice(invoice.uid));
		const calls = apiCalls(fx.sim);
		expect(calls[0]).toBe('POST /v1/invoices/');
		expect(calls.length).toBeGreaterThanOrEqual(2);
		expect(calls.slice(1)).toEqual(Array(calls.length - 1).fill(`GET /v1/invoices/${invoice.uid}`));
		// 120 ms of OCR at a 50 ms interval: a few polls, not a busy loop.
		expect(calls.length).toBeLessThanOrEqual(6);
	});

	test('Wait for Processing: an unreadable file fails with the invoice uid and file name', async () => {
		const { items, error } = await runBillOver(fx, create(waitFast), { items: [fileItem(PDF_BYTES, 'unreadable-scan.pdf', 'application/pdf')] });
		expect(items).toEqual([]);
		const [post] = fx.sim.requests({ origin: 'api', method: 'POST' });
		expect(post.status).toBe(201);
		const uid = fx.sim.store.listInvoices({})[0].uid;
		expect(fx.sim.store.getInvoice(uid).processing_status).toBe('failed');
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(`BillOver could not read the file "unreadable-scan.pdf" of invoice ${uid}: processing failed`);
		expect(apiCalls(fx.sim).filter((call) => call.startsWith('POST'))).toHaveLength(1);
	});

	test('Wait for Processing: a timeout says the invoice was created and is still processing', async () => {
		const previous = fx.sim.store.ocrDelayMs;
		fx.sim.store.ocrDelayMs = null;
		try {
			const started = Date.now();
			const { error } = await runBillOver(fx, create({ waitForProcessing: true, pollInterval: 0.05, timeout: 0.2 }), {
				items: [fileItem(PDF_BYTES, 'slow.pdf', 'application/pdf')],
			});
			const elapsed = Date.now() - started;
			const uid = fx.sim.store.listInvoices({})[0].uid;
			expect(fx.sim.store.getInvoice(uid).processing_status).toBe('processing');
			expect(error.name).toBe('NodeOperationError');
			expect(error.message).toBe(`Invoice ${uid} was created from "slow.pdf", but BillOver is still processing it after 0.2 seconds`);
			expect(error.description).toMatch(/do not upload the file again/);
			expect(elapsed).toBeGreaterThanOrEqual(190);
			expect(elapsed).toBeLessThan(2000);
			const calls = apiCalls(fx.sim);
			expect(calls.filter((call) => call === 'POST /v1/invoices/')).toHaveLength(1);
			expect(calls.length).toBeGreaterThanOrEqual(4);
			fx.sim.store.finishProcessing(uid);
		} finally {
			fx.sim.store.ocrDelayMs = previous;
		}
	});

	test('an upload answered 500 is not sent again (it may have been created)', async () => {
		fx.sim.faults.next(1, { type: 'status', status: 500 });
		const { error } = await runBillOver(fx, create(), { items: [fileItem(PDF_BYTES, 'once.pdf', 'application/pdf')] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/did not confirm the invoice upload/);
		expect(apiCalls(fx.sim)).toEqual(['POST /v1/invoices/']);
	});
});
