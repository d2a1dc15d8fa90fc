'use strict';

/**
 * A stand-in for an accounting system on loopback: records every request
 * (method, path, headers, body; multipart forms parsed into fields and files)
 * and keeps a ledger by `Idempotency-Key`, as accounting APIs do: the first
 * request with a key books (201), a repeat answers the same booking (200)
 * and is counted, never booked twice. `journal(uid)` is what happened to an
 * invoice, once per key: "book" (POST /api/purchase-invoices) or "reverse"
 * (POST /api/purchase-invoices/reversals). `setDelay(ms)` makes it answer slowly
 * (the request is recorded and booked when it arrives), so a test can stop
 * n8n while an execution waits for it.
 *
 * `GET /` (or `/api/ledger`) shows the ledger as JSON, newest first: what
 * `npm run dev` points people to. Those reads are not recorded.
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

/** The ledger as `GET /api/ledger` shows it: each booking once, newest first. */
function ledgerView(ledger, journals) {
	const entries = [...ledger].map(([key, entry]) => ({ key, booking: entry.booking, at: new Date(entry.at).toISOString(), receipts: entry.receipts, fields: entry.fields }));
	const invoices = Object.fromEntries([...journals].map(([uid, journal]) => [uid, journal.map((step) => step.op)]));
	return { bookings: entries.reverse(), invoices };
}

/** @param {{ port?: number }} [options]  a fixed port (`npm run dev`: the imported examples name it); any free one if not given */
function startAccountingServer({ port = 0 } = {}) {
	const received = [];
	/** Idempotency-Key → { booking, fields, receipts } */
	const ledger = new Map();
	/** billover_uid → [{ op, key }] in the order first received */
	const journals = new Map();
	let delayMs = 0;
	let pending = 0;
	const server = http.createServer((req, res) => {
		if (req.method === 'GET' && (req.url === '/' || req.url === '/api/ledger')) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(`${JSON.stringify(ledgerView(ledger, journals), null, 2)}\n`);
			return;
		}
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
			const key = req.headers['idempotency-key'];
			let status = 201;
			let booking = `acc-${received.length + 1}`;
			if (key) {
				const entry = ledger.get(key);
				if (entry) {
					entry.receipts++;
					status = 200;
					booking = entry.booking;
				} else {
					const fields = parsed.fields || parsed.json || {};
					ledger.set(key, { booking, fields, receipts: 1, at: Date.now() });
					const op = req.url.endsWith('/reversals') ? 'reverse' : 'book';
					const uid = fields.billover_uid;
					if (uid) (journals.get(uid) || journals.set(uid, []).get(uid)).push({ op, key });
				}
			}
			const record = { method: req.method, path: req.url, headers: req.headers, size: raw.length, at: Date.now(), status, booking, ...parsed };
			received.push(record);
			pending++;
			const answer = () => {
				pending--;
				if (res.destroyed) return;
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ booked: status === 201, id: booking }));
			};
			if (delayMs) setTimeout(answer, delayMs);
			else answer();
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				received,
				ledger,
				/** Requests with an Idempotency-Key seen more than once: repeats absorbed by the key. */
				repeats: () => [...ledger.values()].reduce((sum, entry) => sum + entry.receipts - 1, 0),
				/** What happened to one invoice: [{ op: 'book' | 'reverse', key }], each key once. */
				journal: (uid) => journals.get(uid) || [],
				/** Requests received and not answered yet. */
				pending: () => pending,
				setDelay(ms) {
					delayMs = ms;
				},
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
