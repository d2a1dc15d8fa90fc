'use strict';

/**
 * Files and exports are handed to n8n's binary data helpers as a stream. In
 * n8n's filesystem binary mode (n8n 2.x's default in regular mode) they go to
 * disk as they arrive and the item carries only an id; the default harness
 * (memory mode) is covered by invoice.files.test.js. A body that breaks off
 * half way is fetched again, like any failed read.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { useFilesystemBinaryData, storedBytes } = require('../../harness/binaryData');
const { probe } = require('../../harness/nodes');
const { createEngine } = require('../../harness/engine');
const { byId, parseCsv, runBillOver } = require('../helpers');
const { storeFile } = require('../../../nodes/BillOver/shared/binary');
const transport = require('../../../nodes/BillOver/transport');

/** Some megabytes that do not compress and are not all the same. */
function bigFile(megabytes) {
	const bytes = Buffer.alloc(megabytes * 1024 * 1024);
	let x = 0x2545f491;
	for (let index = 0; index < bytes.length; index += 4) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		bytes.writeInt32LE(x | 0, index);
	}
	return bytes;
}

describe('binary data in filesystem mode', () => {
	const fx = useSimulator({ invoices: 30 });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-binary-'));
	beforeAll(async () => {
		await useFilesystemBinaryData(dir);
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('Download File: a 3 MB file goes to disk; the item carries its id, name, type and size', async () => {
		const data = bigFile(3);
		const { uid, hf_id: hfId } = fx.sim.store.createInvoice({ fileName: 'large-scan.pdf', mimeType: 'application/pdf', data, processing: false });
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'downloadFile', invoiceId: byId(uid) });
		expect(error).toBeUndefined();
		const [item] = items;
		expect(item.json).toEqual({ uid, hf_id: hfId, fileName: 'large-scan.pdf', mimeType: 'application/pdf', fileSize: data.length, file_url: expect.stringMatching(new RegExp(`/invoices/${uid}\\.pdf$`)) });
		expect(item.binary.data).toMatchObject({ fileName: 'large-scan.pdf', mimeType: 'application/pdf', bytes: data.length, data: 'filesystem-v2' });
		expect(item.binary.data.id).toMatch(/^filesystem-v2:/);
		expect((await storedBytes(item.binary.data)).equals(data)).toBe(true);
		expect(fx.sim.requests({ origin: 'storage' }).map((request) => request.headers['api-key'])).toEqual([undefined]);
		fx.sim.store.deleteInvoice(uid);
	});

	test('Export CSV: the file goes to disk and holds every invoice', async () => {
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'exportCsv' });
		expect(error).toBeUndefined();
		const [item] = items;
		expect(item.binary.data.id).toMatch(/^filesystem-v2:/);
		const rows = parseCsv((await storedBytes(item.binary.data)).toString('utf8'));
		expect(rows.slice(1).map((row) => row[1])).toEqual(fx.sim.store.listInvoices({}).map((invoice) => invoice.uid));
		expect(item.json.fileSize).toBe(item.binary.data.bytes);
	});

	test('a storage answer of 503 is retried, and only the good answer is stored', async () => {
		const invoice = fx.sim.store.listInvoices({})[0];
		fx.sim.faults.next(1, { type: 'status', status: 503 }, { origin: 'storage' });
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'downloadFile', invoiceId: byId(invoice.uid) });
		expect(error).toBeUndefined();
		expect(fx.sim.requests({ origin: 'storage' }).map((request) => request.status)).toEqual([503, 200]);
		expect((await storedBytes(items[0].binary.data)).equals(fx.sim.store.fileOf(invoice.uid).data)).toBe(true);
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${invoice.uid}`]);
	});
});

describe('a file body that breaks off half way', () => {
	let server;
	let served = 0;
	const data = bigFile(1);
	beforeAll(async () => {
		server = http.createServer((req, res) => {
			served++;
			res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': String(data.length) });
			if (served === 1) {
				res.write(data.subarray(0, 100_000));
				setTimeout(() => res.socket.destroy(), 20);
				return;
			}
			res.end(data);
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	});
	afterAll(() => server.close());

	test('is fetched again (a read), and what is stored is the whole file', async () => {
		const previous = transport.configureRetryTiming({ baseDelayMs: 1, maxDelayMs: 5 });
		let value;
		probe.run = async function () {
			const receive = storeFile(this, () => ({ fileName: 'scan.pdf', mimeType: 'application/pdf' }));
			value = await transport.downloadWithoutCredential.call(this, `http://127.0.0.1:${server.address().port}/scan.pdf`, { itemIndex: 0, receive });
			return {};
		};
		try {
			const engine = createEngine({ credentials: { billOverApi: { apiKey: 'k', baseUrl: 'http://127.0.0.1:1' } } });
			const { error } = await engine.runNode({ type: 'harness.probe', parameters: {} });
			expect(error).toBeUndefined();
			expect(served).toBe(2);
			expect(value.attempts).toBe(2);
			expect(value.body.fileSize).toBe(data.length);
			expect((await storedBytes(value.body.binary)).equals(data)).toBe(true);
		} finally {
			transport.configureRetryTiming(previous);
		}
	});
});
