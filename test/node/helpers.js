'use strict';

/**
 * Small helpers shared by the engine tests of the BillOver node.
 */

/** The "Invoice" resource locator in "By ID" mode. */
const byId = (uid) => ({ __rl: true, mode: 'id', value: uid });

/** An input item carrying a file in `binary[property]`. */
const fileItem = (buffer, fileName, mimeType, property = 'data') => ({
	json: {},
	binary: { [property]: { buffer, fileName, mimeType } },
});

/** A few bytes that look like a PDF. */
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Runs the BillOver node once on the engine. */
function runBillOver(fx, parameters, options = {}) {
	return fx.engine.runNode({ type: 'billOver', parameters, ...options });
}

/** The bytes of a binary property of an output item (the harness keeps binary data in memory, base64). */
const binaryBytes = (item, property = 'data') => Buffer.from(item.binary[property].data, 'base64');

/** The one API request of a test, as `{ method, path, query, body }`. */
function onlyApiRequest(sim) {
	const requests = sim.requests({ origin: 'api' });
	expect(requests).toHaveLength(1);
	const [{ method, path, query, body }] = requests;
	return { method, path, query, body };
}

/** A fresh, processed, waiting invoice (so tests do not share state). */
function freshInvoice(sim, fileName = 'fresh.pdf') {
	return sim.store.createInvoice({ fileName, mimeType: 'application/pdf', data: PDF_BYTES, processing: false });
}

/** RFC 4180 text → rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
	const rows = [];
	let row = [];
	const field = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n|$)/y;
	while (field.lastIndex < text.length) {
		const match = field.exec(text);
		if (!match) throw new Error(`Not CSV at offset ${field.lastIndex}`);
		const [, value, end] = match;
		row.push(value.startsWith('"') ? value.slice(1, -1).replace(/""/g, '"') : value);
		if (end !== ',') {
			rows.push(row);
			row = [];
		}
	}
	return rows;
}

module.exports = { parseCsv, byId, fileItem, PDF_BYTES, runBillOver, binaryBytes, onlyApiRequest, freshInvoice };
