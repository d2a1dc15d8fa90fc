'use strict';

/**
 * The BillOver simulator in its own process for the benchmark, so its work
 * is not counted in the measured process (and uses the second core). The
 * benchmark steers it over IPC: latency, the request log, and set-up steps
 * done directly on the store (they are not measured).
 *
 *   node simProcess.js '{"invoices":10000,"seed":11}'
 */
const exportsModule = require('../sandbox/exports');

// A large export, when asked for (see `bigExport`): the simulator's real XLSX
// of 10,000 invoices is about 1 MB, and writing 50 MB of XLSX would take the
// simulator minutes. Patched before the routes load.
let bigExport = null;
const toXlsx = exportsModule.toXlsx;
exportsModule.toXlsx = async (rows) => bigExport ?? (await toXlsx(rows));

const { startSimulator } = require('../sandbox');
const { serve } = require('./ipc');
const { pseudoRandomBytes } = require('./data');

const options = JSON.parse(process.argv[2] || '{}');
let sim;

function summary(withCalls) {
	const api = sim.requests({ origin: 'api' });
	const storage = sim.requests({ origin: 'storage' });
	const result = {
		api: api.length,
		storage: storage.length,
		unanswered: sim.log.filter((entry) => entry.status === null).length,
		failed: sim.log.filter((entry) => entry.status !== null && entry.status >= 400).length,
		throttled: sim.log.filter((entry) => entry.status === 429).length,
	};
	if (withCalls) {
		result.calls = api.map((entry) => {
			const query = Object.entries(entry.query).flatMap(([key, values]) => values.map((value) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`));
			return { method: entry.method, path: `${entry.path}${query.length ? `?${query.join('&')}` : ''}` };
		});
	}
	return result;
}

serve(
	{
		info: () => ({ baseUrl: sim.baseUrl, storageBaseUrl: sim.storageBaseUrl, apiKey: sim.apiKey, invoices: sim.store.count() }),
		latency: ({ ms }) => {
			sim.latencyMs = ms;
		},
		clearLog: () => sim.clearLog(),
		/** The rate limits the sandbox enforces from now on (test/sandbox/limits.js); counters from zero. */
		limits: ({ limits }) => {
			sim.limits = limits;
			sim.resetLimitStats();
			return sim.limits;
		},
		limitStats: () => sim.limitStats,
		/** The limits become `limits` once `admitted` requests have been admitted (a limit that changes mid-run). */
		limitsAfter: ({ admitted, limits }) => {
			const timer = setInterval(() => {
				if (sim.limitStats.admitted < admitted) return;
				sim.limits = limits;
				clearInterval(timer);
			}, 5);
			timer.unref();
		},
		/** Invoices still processing: with OCR off, exactly those uploaded since the last dropUploads. */
		uploads: () => sim.store.findInvoices({}).filter((record) => record.processing_status === 'processing').length,
		log: ({ calls = false } = {}) => summary(calls),
		/** The newest `count` waiting invoices. */
		waiting: ({ count }) => sim.store.listInvoices({ approvement_status: 'waiting' }).slice(0, count).map((invoice) => invoice.uid),
		/** Back to waiting, whoever approved them. */
		unapprove: ({ uids }) => {
			let changed = 0;
			for (const uid of uids) {
				if (sim.store.getInvoice(uid).approvement_status === 'approved') {
					sim.store.removeApproval(uid);
					changed++;
				}
			}
			return changed;
		},
		/** Approved again (to repeat a Remove Approval run). */
		approve: ({ uids }) => {
			for (const uid of uids) if (sim.store.getInvoice(uid).approvement_status !== 'approved') sim.store.approve(uid);
		},
		/** Deletes every invoice still processing (with OCR off, exactly those uploaded during the bench). */
		dropUploads: () => {
			const uploads = sim.store.findInvoices({}).filter((record) => record.processing_status === 'processing');
			for (const record of uploads) sim.store.deleteInvoice(record.uid);
			return uploads.length;
		},
		/** New processed, waiting invoices (as if uploaded and read since the last poll). */
		createInvoices: ({ count }) =>
			Array.from({ length: count }, (_, index) => sim.store.createInvoice({ fileName: `bench-${index}.pdf`, mimeType: 'application/pdf', processing: false }).uid),
		deleteInvoices: ({ uids }) => {
			for (const uid of uids) sim.store.deleteInvoice(uid);
		},
		/**
		 * An account with `rejected` rejected and `waiting` waiting invoices (waiting ones
		 * rejected, then the rest approved); answers the counts.
		 */
		shapeUndecided: ({ rejected, waiting }) => {
			let toReject = rejected - sim.store.findInvoices({}).filter((record) => record.approvement_status === 'rejected').length;
			const candidates = sim.store.findInvoices({}).filter((record) => record.approvement_status === 'waiting');
			let stillWaiting = candidates.length;
			for (const record of candidates) {
				if (toReject > 0) {
					sim.store.reject(record.uid);
					toReject--;
				} else if (stillWaiting > waiting) sim.store.approve(record.uid);
				else continue;
				stillWaiting--;
			}
			const count = (status) => sim.store.findInvoices({}).filter((record) => record.approvement_status === status).length;
			return { rejected: count('rejected'), waiting: count('waiting') };
		},
		/** The `at`-th rejected invoice in list order (newest first). */
		rejectedAt: ({ at }) => sim.store.findInvoices({}).filter((record) => record.approvement_status === 'rejected')[at].uid,
		/** The `at`-th approved invoice in list order. */
		approvedAt: ({ at }) => sim.store.findInvoices({}).filter((record) => record.approvement_status === 'approved')[at].uid,
		/** Approval removed, then rejected (between two polls: what a count of the rejected cannot tell from an approval). */
		unapproveAndReject: ({ uid }) => {
			sim.store.removeApproval(uid);
			sim.store.reject(uid);
		},
		/** Approves every waiting or rejected invoice but the newest `keep`. */
		decideAllBut: ({ keep }) => {
			const undecided = sim.store.listInvoices({ approvement_status: ['waiting', 'rejected'] });
			for (const invoice of undecided.slice(keep)) sim.store.approve(invoice.uid);
			return sim.store.listInvoices({ approvement_status: ['waiting', 'rejected'] }).length;
		},
		/** An invoice whose file is `bytes` long; answers its uid. */
		bigFile: ({ bytes }) =>
			sim.store.createInvoice({ fileName: 'large-scan.pdf', mimeType: 'application/pdf', data: pseudoRandomBytes(bytes, 7), processing: false }).uid,
		/** From now on, Export XLSX answers `bytes` bytes (XLSX content type and file name). */
		bigExport: ({ bytes }) => {
			bigExport = pseudoRandomBytes(bytes, 9);
		},
	},
	(async () => {
		sim = await startSimulator({ seed: 11, ocrDelayMs: null, ...options });
		return { baseUrl: sim.baseUrl, storageBaseUrl: sim.storageBaseUrl, apiKey: sim.apiKey, invoices: sim.store.count() };
	})(),
);
