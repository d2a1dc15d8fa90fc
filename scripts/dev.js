#!/usr/bin/env node
'use strict';

/**
 * `npm run dev`: the pack inside a real n8n, next to the BillOver sandbox.
 *
 *   npm run dev [-- --n8n 2.8.4] [--port 5678] [--sandbox-port 8787] [--check]
 *
 * 1. builds and packs the pack, installs the tarball into the dev n8n's nodes
 *    folder (.cache/dev/n8n/.n8n/nodes), as users install community packages;
 * 2. starts the sandbox (test/simulator/cli.js, 40 sample invoices);
 * 3. installs n8n into .cache/n8n/<version>/ on first use (about 3 minutes;
 *    default: the newest n8n this project runs on Node 20) and starts it;
 * 4. imports a "BillOver sandbox" credential (the sandbox's URL and key) and,
 *    on the first run, the examples (file paths pointed at .cache/dev/files);
 * 5. proves n8n lists both BillOver nodes and the sandbox takes the key, then
 *    prints the URLs, the key and the n8n login. Ctrl-C stops everything.
 *
 * With --check it stops after step 5 (a smoke test of the sandbox).
 * Workflows made in the dev n8n stay in .cache/dev/ between runs; after a
 * change to the nodes, stop and run `npm run dev` again.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { DEV_VERSION, ensureN8n } = require('../test/e2e/n8n-install');
const { N8n } = require('../test/e2e/n8n');
const { buildAndPack } = require('../test/e2e/pack');
const { freePort } = require('../test/e2e/processes');
const { startSandbox } = require('../test/e2e/sandbox');
const { renderPdf } = require('../test/simulator/pdf');
const wf = require('../test/e2e/workflows');

const ROOT = path.join(__dirname, '..');
const DEV = path.join(ROOT, '.cache', 'dev');
const OWNER = { email: 'dev@billover.test', firstName: 'BillOver', lastName: 'Developer', password: 'BillOver-dev-1' };

function parseArgs(argv) {
	const options = { n8n: DEV_VERSION, port: 5678, sandboxPort: 8787, check: false };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--n8n') options.n8n = value();
		else if (flag === '--port') options.port = Number(value());
		else if (flag === '--sandbox-port') options.sandboxPort = Number(value());
		else if (flag === '--check') options.check = true;
		else throw new Error(`Unknown option ${flag}; options: --n8n <version> --port <n> --sandbox-port <n> --check`);
	}
	return options;
}

/** The wanted port when it is free, else any free one. */
async function portOr(wanted) {
	const net = require('node:net');
	const free = await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(wanted, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	return free ? wanted : freePort();
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const step = (text) => console.log(`· ${text}`);

	step('building and packing the pack');
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-dev-'));
	const pack = await buildAndPack(packDir);

	step(`n8n ${options.n8n} (installed into .cache/n8n/${options.n8n} on first use, about 3 minutes)`);
	const install = await ensureN8n(options.n8n);

	const filesDir = path.join(DEV, 'files');
	const inbox = path.join(filesDir, 'invoices', 'inbox');
	const exportDir = path.join(filesDir, 'exports');
	for (const dir of [inbox, exportDir]) fs.mkdirSync(dir, { recursive: true });
	const n8n = new N8n(install, { folder: path.join(DEV, `n8n-${options.n8n}`), filesDir, encryptionKey: 'billover-dev-encryption-key', probe: false, owner: OWNER });
	const firstRun = !fs.existsSync(path.join(n8n.folder, '.n8n', 'database.sqlite'));

	step('installing the tarball into the dev n8n\'s nodes folder');
	await n8n.installPack(pack.tarball);
	fs.rmSync(packDir, { recursive: true, force: true });

	step('starting the BillOver sandbox');
	const sandbox = await startSandbox({ port: await portOr(options.sandboxPort), apiKey: 'sandbox-key', invoices: 40, ocrDelayMs: 3000 });

	const stopAll = async () => {
		await n8n.stop();
		await sandbox.stop();
	};
	try {
		step('importing the "BillOver sandbox" credential');
		await n8n.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox)]);
		if (firstRun) {
			step('importing the examples');
			for (const name of ['invoice-1.pdf', 'invoice-2.pdf']) fs.writeFileSync(path.join(inbox, name), renderPdf([`Sample ${name}`, 'Total 100.00 EUR']));
			await n8n.importWorkflows([
				wf.accountingExample(),
				wf.syncExample(),
				wf.uploadExample({ inboxDir: inbox }),
				wf.weeklyExportExample({ exportDir }),
			]);
		}

		step('starting n8n');
		await n8n.start({ port: await portOr(options.port), timeoutMs: 180_000 });
		await n8n.setupOwner();

		// The proof: n8n lists both nodes, the sandbox takes the key.
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		for (const name of ['n8n-nodes-billover.billOver', 'n8n-nodes-billover.billOverTrigger']) {
			if (!names.includes(name)) throw new Error(`n8n does not list ${name}`);
		}
		const probe = await sandbox.request('GET', '/v1/invoices/?page=1&page_size=1');
		if (probe.status !== 200) throw new Error(`the sandbox answered ${probe.status} to its own key`);

		console.log(`
BillOver dev sandbox is running
  n8n ${install.version} (node ${install.nodeVersion}):  ${n8n.baseUrl}
    log in as ${OWNER.email} / ${OWNER.password}
    nodes: ${names.filter((name) => name.startsWith('n8n-nodes-billover.')).join(', ')}
  BillOver sandbox base URL:  ${sandbox.baseUrl}   (files: ${sandbox.storageBaseUrl})
  API key:                    ${sandbox.apiKey}
  In n8n, the credential "BillOver sandbox" already holds this URL and key${firstRun ? '; the examples are imported' : ''}.
  Files for the examples: ${path.relative(ROOT, filesDir)}/ (invoices/inbox, exports)
${options.check ? 'Checked; stopping (--check).' : 'Ctrl-C stops n8n and the sandbox.'}`);
		if (options.check) return;
		await Promise.race([n8n.server.exited.then(() => console.log('n8n exited')), sandbox.proc.exited.then(() => console.log('the sandbox exited'))]);
	} finally {
		await stopAll();
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
