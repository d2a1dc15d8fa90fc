'use strict';

/**
 * A stand-in for an accounting system on loopback: records every request
 * (method, path, headers, body; multipart forms parsed into fields and files)
 * and answers 201. The "Approved invoice → accounting" example posts to it.
 */
const http = require('node:http');

async function parseBody(headers, raw) {
	const type = headers['content-type'] || '';
	if (type.startsWith('multipart/form-data')) {
		const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
		const fields = {};
		const files = {};
		for (const [name, value] of form.entries()) {
			if (typeof value === 'string') fields[name] = value;
			else files[name] = { fileName: value.name, mimeType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
		}
		return { fields, files };
	}
	if (type.includes('json') && raw.length) return { json: JSON.parse(raw.toString('utf8')) };
	return { text: raw.toString('utf8') };
}

function startAccountingServer() {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks);
			let parsed;
			try {
				parsed = await parseBody(req.headers, raw);
			} catch (error) {
				parsed = { error: error.message };
			}
			received.push({ method: req.method, path: req.url, headers: req.headers, size: raw.length, ...parsed });
			res.writeHead(201, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ booked: true, id: `acc-${received.length}` }));
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				received,
				close: () =>
					new Promise((done) => {
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

module.exports = { startAccountingServer };
