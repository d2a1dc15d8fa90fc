'use strict';

const { readSheet } = require('read-excel-file/node');

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { EXPORT_COLUMNS } = require('../../sandbox');
const { binaryBytes, byId, onlyApiRequest, parseCsv, runBillOver } = require('../helpers');

const COLUMNS = EXPORT_COLUMNS.map((column) => column.key);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('Invoice → Export CSV, Export XLSX, Download File', () => {
	const fx = useSimulator({ invoices: 40 });
	const exportName = (ext) => expect.stringMatching(new RegExp(`^invoices-\\d{4}-\\d{2}-\\d{2}\\.${ext}$`));

	test('Export CSV without filters: POST /v1/invoices/export-csv with {}, the file in binary "data"', async () => {
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'exportCsv' });
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({ method: 'POST', path: '/v1/invoices/export-csv', query: {}, body: {} });
		expect(items).toHaveLength(1);
		const [item] = items;
		const bytes = binaryBytes(item);
		expect(item.json).toEqual({ fileName: exportName('csv'), mimeType: 'text/csv', fileSize: bytes.length });
		expect(item.binary.data.fileName).toBe(item.json.fileName);
		expect(item.binary.data.mimeType).toBe('text/csv');
		const rows = parseCsv(bytes.toString('utf8'));
		expect(rows[0]).toEqual(COLUMNS);
		expect(rows.slice(1).map((row) => row[1])).toEqual(fx.sim.store.listInvoices({}).map((invoice) => invoice.uid));
	});

	test('Export CSV with filters sends them as the JSON body, in the API\'s formats', async () => {
		const company = fx.sim.store.companies[0].uid;
		const filters = { approvement_status: ['approved'], company__uid: [company.toUpperCase()], from_date: '2000-01-01T10:00:00', query: ' ' };
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'exportCsv', filters });
		expect(onlyApiRequest(fx.sim).body).toEqual({ approvement_status: ['approved'], company__uid: [company], from_date: '2000-01-01' });
		const rows = parseCsv(binaryBytes(items[0]).toString('utf8')).slice(1);
		const expected = fx.sim.store.listInvoices({ approvement_status: ['approved'], company__uid: [company] });
		expect(rows.map((row) => row[1])).toEqual(expected.map((invoice) => invoice.uid));
		expect(rows.every((row) => row[10] === 'approved')).toBe(true);
	});

	test('Export XLSX: a workbook readable by read-excel-file, in the named binary field', async () => {
		const { items, error } = await runBillOver(fx, {
			resource: 'invoice',
			operation: 'exportXlsx',
			filters: { payment_type: ['bank_transfer', 'cash'] },
			binaryPropertyName: 'sheet',
		});
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({ method: 'POST', path: '/v1/invoices/export-xlsx', query: {}, body: { payment_type: ['bank_transfer', 'cash'] } });
		const [item] = items;
		expect(Object.keys(item.binary)).toEqual(['sheet']);
		expect(item.binary.sheet.mimeType).toBe(XLSX);
		expect(item.binary.sheet.fileName).toEqual(exportName('xlsx'));
		const bytes = binaryBytes(item, 'sheet');
		expect(item.json).toEqual({ fileName: item.binary.sheet.fileName, mimeType: XLSX, fileSize: bytes.length });
		const sheet = await readSheet(bytes);
		expect(sheet[0]).toEqual(COLUMNS);
		const expected = fx.sim.store.listInvoices({ payment_type: ['bank_transfer', 'cash'] });
		expect(expected.length).toBeGreaterThan(0);
		expect(sheet.slice(1).map((row) => row[1])).toEqual(expected.map((invoice) => invoice.uid));
		expect(sheet.slice(1).every((row) => row[9] === 'bank_transfer' || row[9] === 'cash')).toBe(true);
	});

	test('Download File: the detail, then the file from the storage host without any API key', async () => {
		const invoice = fx.sim.store.listInvoices({})[2];
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'downloadFile', invoiceId: byId(invoice.uid) });
		expect(error).toBeUndefined();
		expect(apiCalls(fx.sim)).toEqual([`GET /v1/invoices/${invoice.uid}`]);
		const storage = fx.sim.requests({ origin: 'storage' });
		expect(storage.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([`GET /invoices/${invoice.uid}.pdf 200`]);
		expect(Object.keys(storage[0].headers).map((name) => name.toLowerCase())).not.toContain('api-key');
		expect(JSON.stringify(storage[0].headers)).not.toContain(fx.sim.apiKey);
		const stored = fx.sim.store.fileOf(invoice.uid);
		const [item] = items;
		expect(binaryBytes(item).equals(stored.data)).toBe(true);
		expect(item.json).toEqual({ uid: invoice.uid, hf_id: invoice.hf_id, fileName: stored.name, mimeType: 'application/pdf', fileSize: stored.data.length, file_url: `${fx.sim.storageBaseUrl}/invoices/${invoice.uid}.pdf` });
		expect(item.binary.data).toMatchObject({ fileName: stored.name, mimeType: 'application/pdf' });
	});

	test('Download File: a non-ASCII file name comes from the RFC 5987 filename*, into the named field', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
		const { uid, hf_id: hfId } = fx.sim.store.createInvoice({ fileName: 'fatura-şubat.png', mimeType: 'image/png', data: png, processing: false });
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'downloadFile', invoiceId: byId(uid), binaryPropertyName: 'scan' });
		const [item] = items;
		expect(item.json).toEqual({ uid, hf_id: hfId, fileName: 'fatura-şubat.png', mimeType: 'image/png', fileSize: png.length, file_url: expect.stringMatching(new RegExp(`/invoices/${uid}\\.png$`)) });
		expect(binaryBytes(item, 'scan').equals(png)).toBe(true);
		expect(item.binary.scan.fileName).toBe('fatura-şubat.png');
	});

	test('Download File of a deleted invoice: the 404 names it and the storage host is not asked', async () => {
		const uid = '0f0f0f0f-0000-4000-8000-000000000001';
		const { error } = await runBillOver(fx, { resource: 'invoice', operation: 'downloadFile', invoiceId: byId(uid) });
		expect(error.message).toBe(`BillOver could not find invoice ${uid} (404)`);
		expect(fx.sim.requests({ origin: 'storage' })).toEqual([]);
	});
});
