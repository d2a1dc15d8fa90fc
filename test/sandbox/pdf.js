'use strict';

/**
 * A tiny but valid one-page PDF, made on demand for seeded invoices so the
 * simulator does not keep a file buffer per seeded invoice.
 */

/** Escape text for a PDF string literal. Non-ASCII becomes '?'. */
function pdfText(text) {
	return String(text)
		.replace(/[^\x20-\x7e]/g, '?')
		.replace(/([\\()])/g, '\\$1');
}

/**
 * @param {string[]} lines text lines, top to bottom
 * @returns {Buffer}
 */
function renderPdf(lines) {
	const stream = [
		'BT',
		'/F1 12 Tf',
		'72 770 Td',
		'16 TL',
		...lines.map((line) => `(${pdfText(line)}) '`),
		'ET',
	].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(out));
		out += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out);
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

module.exports = { renderPdf };
