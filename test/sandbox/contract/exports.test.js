'use strict';

// POST /v1/invoices/export-csv and /export-xlsx (docs/API.md, Export,
// docs/API.md, Export): the list's filters in a JSON body, the file as the answer.

const { readSheet } = require('read-excel-file/node');
const { call, useSimulator } = require('./helpers');

// 22:30Z on 4 March is already 5 March at +03:00, the offset the simulator shows.
const NOW = new Date('2025-03-04T22:30:00Z');
const ctx = useSimulator({ seed: 13, invoices: 40, now: () => NOW });

const COLUMNS = [
	'hf_id',
	'uid',
	'invoice_number',
	'invoice_date',
	'company',
	'company_tax_number',
	'total_price',
	'total_vat',
	'currency',
	'payment_type',
	'approvement_status',
	'processing_status',
	'created_at',
];

/** A small RFC 4180 reader, to check the quoting from the outside. */
function parseCsv(text) {
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += ch;
	}
	if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
	return rows;
}

async function exportCsv(json) {
	const res = await call(ctx.sim, 'POST', '/v1/invoices/export-csv', { json });
	return { res, rows: res.status === 200 ? parseCsv(res.body) : null };
}

describe('CSV', () => {
	test('{} exports everything, in list order, with the documented headers', async () => {
		const { res, rows } = await exportCsv({});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe(
			'attachment; filename="invoices-2025-03-05.csv"',
		);
		expect(rows[0]).toEqual(COLUMNS);
		const list = ctx.sim.store.listInvoices();
		expect(rows.slice(1).map((r) => r[1])).toEqual(list.map((r) => r.uid));
	});

	test('values match the invoices; nulls are empty fields', async () => {
		const { rows } = await exportCsv({});
		for (const row of rows.slice(1)) {
			const d = ctx.sim.store.getInvoice(row[1]);
			expect(row).toEqual([
				d.hf_id,
				d.uid,
				d.invoice_number ?? '',
				d.invoice_date ?? '',
				d.company ? d.company.name : '',
				d.company && d.company.tax_number ? d.company.tax_number : '',
				d.total_price ?? '',
				d.total_vat ?? '',
				d.currency ?? '',
				d.payment_type ?? '',
				d.approvement_status,
				d.processing_status,
				d.created_at,
			]);
		}
	});

	test('fields with quotes, commas and newlines are quoted per RFC 4180', async () => {
		const { uid } = ctx.sim.store.createInvoice({ fileName: 'q.pdf', processing: false });
		ctx.sim.store.updateInvoice(uid, {
			invoice_number: 'A,"B"\nC',
			company_uid: ctx.sim.store.companies[5].uid,
		});
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-csv', {
			json: { query: 'q.pdf-never' },
		});
		expect(parseCsv(res.body)).toHaveLength(1);
		const all = await call(ctx.sim, 'POST', '/v1/invoices/export-csv', { json: {} });
		expect(all.body).toContain('"A,""B""\nC"');
		expect(all.body).toContain('"Le ""Petit"" Café SARL"');
		const row = parseCsv(all.body).find((r) => r[1] === uid);
		expect(row[2]).toBe('A,"B"\nC');
		expect(row[4]).toBe('Le "Petit" Café SARL');
		ctx.sim.store.deleteInvoice(uid);
	});

	test('filters: arrays or single strings, AND across keys', async () => {
		const approved = await exportCsv({ approvement_status: ['approved'] });
		const single = await exportCsv({ approvement_status: 'approved' });
		const want = ctx.sim.store.listInvoices({ approvement_status: 'approved' }).map((r) => r.uid);
		expect(want.length).toBeGreaterThan(0);
		expect(approved.rows.slice(1).map((r) => r[1])).toEqual(want);
		expect(single.rows).toEqual(approved.rows);

		const company = ctx.sim.store.companies[0];
		const both = await exportCsv({
			company__uid: [company.uid],
			payment_type: ['credit_card', 'cash'],
		});
		const wantBoth = ctx.sim.store
			.listInvoices({ company__uid: company.uid, payment_type: ['credit_card', 'cash'] })
			.map((r) => r.uid);
		expect(both.rows.slice(1).map((r) => r[1])).toEqual(wantBoth);
		expect(wantBoth.length).toBeLessThan(ctx.sim.store.count());
	});

	test('date filters and query', async () => {
		const list = ctx.sim.store.listInvoices();
		const from = list[20].created_at.slice(0, 10);
		const to = list[5].created_at.slice(0, 10);
		const { rows } = await exportCsv({ from_date: from, to_date: to });
		const want = list.filter(
			(r) => r.created_at.slice(0, 10) >= from && r.created_at.slice(0, 10) <= to,
		);
		expect(rows.slice(1).map((r) => r[1])).toEqual(want.map((r) => r.uid));
		const query = await exportCsv({ query: 'müller' });
		expect(query.rows.length).toBeGreaterThan(1);
		expect(query.rows.slice(1).every((r) => r[4] === 'Müller & Söhne GmbH')).toBe(true);
	});

	test('bad filters are the list’s 400s', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-csv', {
			json: { company__uid: 'x', approvement_status: ['nope'], from_date: '2024-02-31' },
		});
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			company__uid: ['“x” is not a valid UUID.'],
			approvement_status: ['Select a valid choice. nope is not one of the available choices.'],
			from_date: ['Enter a valid date.'],
		});
	});

	test('a body that is not an object is 400', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-csv', { json: ['approved'] });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			non_field_errors: ['Invalid data. Expected a dictionary, but got list.'],
		});
	});

	test('no body at all exports everything', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-csv');
		expect(res.status).toBe(200);
		expect(parseCsv(res.body)).toHaveLength(ctx.sim.store.count() + 1);
	});
});

describe('XLSX', () => {
	test('a workbook with the same rows; prices are numbers', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-xlsx', { json: {} });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		);
		expect(res.headers.get('content-disposition')).toBe(
			'attachment; filename="invoices-2025-03-05.xlsx"',
		);
		const sheet = await readSheet(res.bytes);
		expect(sheet[0]).toEqual(COLUMNS);
		const list = ctx.sim.store.listInvoices();
		expect(sheet.slice(1).map((r) => r[1])).toEqual(list.map((r) => r.uid));
		for (const row of sheet.slice(1)) {
			const d = ctx.sim.store.getInvoice(row[1]);
			expect(row[0]).toBe(d.hf_id);
			expect(row[6]).toBe(d.total_price === null ? null : Number(d.total_price));
			expect(row[7]).toBe(d.total_vat === null ? null : Number(d.total_vat));
			expect(row[10]).toBe(d.approvement_status);
			expect(row[12]).toBe(d.created_at);
		}
	});

	test('honours the filters', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-xlsx', {
			json: { approvement_status: ['rejected', 'waiting'] },
		});
		const sheet = await readSheet(res.bytes);
		const want = ctx.sim.store
			.listInvoices({ approvement_status: ['rejected', 'waiting'] })
			.map((r) => r.uid);
		expect(sheet.slice(1).map((r) => r[1])).toEqual(want);
		expect(sheet.slice(1).every((r) => r[10] !== 'approved')).toBe(true);
	});

	test('an empty result is a header-only workbook', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-xlsx', {
			json: { query: 'no-such-thing' },
		});
		const sheet = await readSheet(res.bytes);
		expect(sheet).toEqual([COLUMNS]);
	});

	test('bad filters are 400', async () => {
		const res = await call(ctx.sim, 'POST', '/v1/invoices/export-xlsx', {
			json: { to_date: 'soon' },
		});
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ to_date: ['Enter a valid date.'] });
	});
});
