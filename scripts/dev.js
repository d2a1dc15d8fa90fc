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
 *   npm run dev [-- --n8n 2.8.4] [--port 5678] [--sandbox-port 8787] [--check] [--tarball <file>]
 *
 * With --check it stops once it has proved n8n lists both BillOver nodes and
 * the sandbox takes the key. After a change to the nodes, stop and run
 * `npm run dev` again (it builds and packs; --tarball or $BILLOVER_TARBALL
 * installs a tarball packed already instead).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startEnvironment } = require('../test/support/environment');
const { DEV_VERSION } = require('../test/support/n8n-install');
const { parseArgs } = require('../test/support/util');

const ROOT = path.join(__dirname, '..');
const DEV = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-billover', 'dev');
/** Where earlier versions kept it (its workflows name files below it, so it is not moved). */
const OLD_DEV = path.join(ROOT, '.cache', 'dev');

async function main() {
	const options = parseArgs(process.argv.slice(2), {
		n8n: { type: 'string', default: DEV_VERSION },
		port: { type: 'number', default: 5678 },
		'sandbox-port': { type: 'number', default: 8787 },
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
		tarball: options.tarball,
		step,
	});
	const { n8n, sandbox, install, owner, firstRun, filesDir } = env;
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
  Files for the examples: ${filesDir}/ (invoices/inbox, exports)
${options.check ? 'Checked; stopping (--check).' : 'Ctrl-C stops n8n and the sandbox.'}`);
		if (options.check) return;
		await Promise.race([n8n.server.exited.then(() => console.log('n8n exited')), sandbox.proc.exited.then(() => console.log('the sandbox exited'))]);
	} finally {
		await env.stop();
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
