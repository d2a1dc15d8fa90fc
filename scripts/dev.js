#!/usr/bin/env node
'use strict';

/**
 * `npm run dev`: the pack inside a real n8n, next to the BillOver sandbox
 * (test/support/environment.js does the work). Its folder (n8n's user folder and
 * the examples' files) is kept between runs in the user's cache,
 * $XDG_CACHE_HOME/n8n-nodes-billover/dev (~/.cache/... by default), not in
 * the repository: n8n writes its editor's 53 MB of JavaScript into its user
 * folder, which `n8n-node lint` (ESLint, which parses every .js file it is
 * not told to ignore) would read on every run.
 *
 *   npm run dev [-- --n8n 2.8.4] [--port 5678] [--sandbox-port 8787] [--accounting-port 8788] [--check] [--tarball <file>]
 *
 * Beside n8n and the sandbox runs the accounting ledger the two accounting
 * examples book into and reverse from (once activated): GET <its URL>/ shows it.
 *
 * With --check it stops once it has proved n8n lists both BillOver nodes,
 * the sandbox takes the key, and an approval in the sandbox reaches the
 * ledger (through a copy of the approval-sync example, activated for the
 * check and deactivated after it: about a minute). After a change to the nodes, stop and run
 * `npm run dev` again (it builds and packs; --tarball or $BILLOVER_TARBALL
 * installs a tarball packed already instead).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startEnvironment } = require('../test/support/environment');
const { waitFor } = require('../test/support/processes');
const wf = require('../test/support/workflows');
const { DEV_VERSION } = require('../test/support/n8n-install');
const { parseArgs } = require('../test/support/util');

const ROOT = path.join(__dirname, '..');
const DEV = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-billover', 'dev');
/** Where earlier versions kept it (its workflows name files below it, so it is not moved). */
const OLD_DEV = path.join(ROOT, '.cache', 'dev');

const CHECK_WORKFLOW = 'billoverDevCheck1';

/**
 * The check: activate the check's copy of the approval sync, approve a
 * waiting invoice in the sandbox, and wait for the ledger to book it (the
 * trigger polls every minute); then deactivate the copy.
 */
async function bookingReachesLedger({ n8n, sandbox, accounting }) {
	const started = Date.now();
	const workflow = await n8n.httpOk('GET', `/rest/workflows/${CHECK_WORKFLOW}`);
	const { versionId } = workflow.data || workflow;
	// n8n 2.x publishes a version; 1.x sets `active`.
	const activated = await n8n.http('POST', `/rest/workflows/${CHECK_WORKFLOW}/activate`, { versionId });
	if (activated.status === 404) await n8n.httpOk('PATCH', `/rest/workflows/${CHECK_WORKFLOW}`, { active: true, versionId });
	else if (activated.status >= 300) throw new Error(`activating the check's workflow: ${activated.status} ${JSON.stringify(activated.body).slice(0, 300)}`);
	try {
		const list = await sandbox.request('GET', '/v1/invoices/?approvement_status=waiting&page_size=1');
		const [invoice] = list.body.results;
		const approved = await sandbox.request('POST', `/v1/invoices/${invoice.uid}/approve`);
		if (approved.status !== 200) throw new Error(`the sandbox answered ${approved.status} to the approval`);
		await waitFor(`the ledger to book invoice ${invoice.hf_id}`, () => accounting.journal(invoice.uid).some((entry) => entry.op === 'book'), { timeoutMs: 180_000, intervalMs: 500 });
		return `invoice ${invoice.hf_id} approved, booked after ${((Date.now() - started) / 1000).toFixed(0)} s`;
	} finally {
		const deactivated = await n8n.http('POST', `/rest/workflows/${CHECK_WORKFLOW}/deactivate`, {});
		if (deactivated.status === 404) await n8n.http('PATCH', `/rest/workflows/${CHECK_WORKFLOW}`, { active: false, versionId });
	}
}

async function main() {
	const options = parseArgs(process.argv.slice(2), {
		n8n: { type: 'string', default: DEV_VERSION },
		port: { type: 'number', default: 5678 },
		'sandbox-port': { type: 'number', default: 8787 },
		'accounting-port': { type: 'number', default: 8788 },
		check: { type: 'boolean' },
		tarball: { type: 'string' },
	});
	const step = (text) => console.log(`· ${text}`);
	if (fs.existsSync(OLD_DEV)) step(`${path.relative(ROOT, OLD_DEV)}/ is left from an earlier version (it slows n8n-node lint down to a minute): delete it, or copy what you made there; this run uses ${DEV}`);
	const env = await startEnvironment({
		version: options.n8n,
		folder: DEV,
		port: options.port,
		sandboxPort: options.sandboxPort,
		accountingPort: options.accountingPort,
		tarball: options.tarball,
		// The check's own copy of the approval sync, polling every minute (not the user's example).
		extraWorkflows: options.check ? ({ accountingUrl }) => [{ ...wf.syncExample({ id: CHECK_WORKFLOW, accountingUrl, everyMinute: true }), name: 'Approval sync (npm run dev --check)' }] : undefined,
		step,
	});
	const { n8n, sandbox, accounting, install, owner, firstRun, filesDir } = env;
	try {
		console.log(`
BillOver dev sandbox is running
  n8n ${install.version} (node ${install.nodeVersion}):  ${n8n.baseUrl}
    log in as ${owner.email} / ${owner.password}
    nodes: ${env.packNodes.join(', ')}
      (billOverTool is the BillOver node as an AI-agent tool: n8n adds it because the node is usable as a tool)
  BillOver sandbox base URL:  ${sandbox.baseUrl}   (files: ${sandbox.storageBaseUrl})
  API key:                    ${sandbox.apiKey}
  In n8n, the credential "BillOver sandbox" already holds this URL and key${firstRun ? '; the examples are imported' : ''}.
  Accounting ledger:          ${accounting.url}/   (the two accounting examples book here once activated)
  Files for the examples: ${filesDir}/ (invoices/inbox, exports)
${options.check ? 'Checked; stopping (--check).' : 'Ctrl-C stops n8n and the sandbox.'}`);
		if (options.check) {
			step(`an approval in the sandbox reaches the ledger: ${await bookingReachesLedger(env)}`);
			return;
		}
		await Promise.race([n8n.server.exited.then(() => console.log('n8n exited')), sandbox.proc.exited.then(() => console.log('the sandbox exited'))]);
	} finally {
		await env.stop();
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
