'use strict';

/**
 * The pack in a real n8n next to the BillOver sandbox, as `npm run dev`
 * starts it (and the editor test, test/ui/, against it):
 *
 * 1. builds and packs the pack (unless given a tarball), installs the tarball into the n8n user
 *    folder's nodes folder, as users install community packages;
 * 2. starts the sandbox (test/sandbox/cli.js, 40 sample invoices) and the
 *    accounting ledger the accounting examples book into (test/support/accounting-server.js);
 * 3. installs n8n into .cache/n8n/<version>/ when it is not there yet;
 * 4. imports a "BillOver sandbox" credential (the sandbox's URL and key) and,
 *    into a new user folder, the examples (file paths pointed at <folder>/files,
 *    the accounting examples at the ledger);
 * 5. starts n8n, sets up the owner, and proves n8n lists both BillOver nodes
 *    and the sandbox takes the key.
 *
 * With `communityNodes` (the editor test) step 1 only packs: the tarball is
 * published to an npm registry on loopback (./npm-registry.js) and n8n started
 * pointed at it, for the caller to install it from Settings → Community Nodes
 * as users do; n8n allows another registry than npm's only in its own test
 * mode (`E2E_TESTS`), whose `/rest/e2e/feature` switches the licence feature on.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, isInstalled, n8nPaths } = require('./n8n-install');
const { N8n } = require('./n8n');
const { packedTarball } = require('./pack');
const { freePort } = require('./processes');
const { startSandbox } = require('./sandbox');
const { renderPdf } = require('../sandbox/pdf');
const { startAccountingServer } = require('./accounting-server');
const { startRegistry } = require('./npm-registry');
const wf = require('./workflows');

const OWNER = { email: 'dev@billover.test', firstName: 'BillOver', lastName: 'Developer', password: 'BillOver-dev-1' };
const NODE_TYPES = ['n8n-nodes-billover.billOver', 'n8n-nodes-billover.billOverTrigger'];
const CUSTOM_REGISTRY = 'feat:communityNodes:customRegistry';

/** The wanted port when it is free, else any free one. */
async function portOr(wanted) {
	if (!wanted) return freePort();
	const net = require('node:net');
	const free = await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(wanted, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	return free ? wanted : freePort();
}

/**
 * @param {object} options
 * @param {string} options.version        n8n version (n8n-install.js RECIPES)
 * @param {string} options.folder         the n8n user folder (kept or fresh, the caller's choice)
 * @param {number} [options.port]         n8n's port (any free one if taken or not given)
 * @param {number} [options.sandboxPort]
 * @param {number} [options.accountingPort]  the ledger's port (the examples imported on the first run name it: keep it)
 * @param {(urls: { accountingUrl: string }) => object[]} [options.extraWorkflows]  imported on every run (before n8n starts)
 * @param {string} [options.tarball]     a tarball packed already (else $BILLOVER_TARBALL, else build and pack)
 * @param {boolean} [options.communityNodes]  publish the tarball to a registry on loopback instead of installing it
 * @param {(text: string) => void} [options.step]   told what is happening
 * @returns {Promise<{ n8n: N8n, sandbox: object, accounting: object, install: object, firstRun: boolean, filesDir: string, packNodes: string[], registry?: object, stop: () => Promise<void> }>}
 */
async function startEnvironment({ version, folder, port, sandboxPort, accountingPort, tarball, extraWorkflows, communityNodes = false, step = () => {} }) {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-dev-'));
	let sandbox;
	let accounting;
	let registry;
	let n8n;
	const stop = async () => {
		if (n8n) await n8n.stop();
		if (sandbox) await sandbox.stop();
		if (accounting) await accounting.close();
		if (registry) await registry.close();
	};
	try {
		const pack = await packedTarball(tarball, packDir);
		step(pack.built ? `built and packed ${path.basename(pack.tarball)}` : `the tarball ${pack.tarball}`);

		if (isInstalled(version)) step(`n8n ${version} (in ${path.relative(process.cwd(), n8nPaths(version).dir)})`);
		else step(`installing n8n ${version} into ${path.relative(process.cwd(), n8nPaths(version).dir)}: the first time only, about 4 minutes and 1.7 GB`);
		const install = await ensureN8n(version, { quiet: true, progress: (text) => step(`  ${text}`) });

		const filesDir = path.join(folder, 'files');
		const inbox = path.join(filesDir, 'invoices', 'inbox');
		const exportDir = path.join(filesDir, 'exports');
		for (const dir of [inbox, exportDir]) fs.mkdirSync(dir, { recursive: true });
		let env = {};
		if (communityNodes) {
			registry = await startRegistry();
			const published = registry.publish(pack.tarball);
			step(`published ${published.name}@${published.version} to an npm registry on loopback (${registry.url})`);
			// n8n installs with `npm install --registry=<this>`; `npm outdated` (its update check) reads npm's own setting.
			env = { E2E_TESTS: 'true', N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url, npm_config_registry: registry.url, npm_config_update_notifier: 'false' };
		}
		n8n = new N8n(install, { folder: path.join(folder, `n8n-${version}`), filesDir, encryptionKey: 'billover-dev-encryption-key', probe: false, owner: OWNER, env });
		const firstRun = !fs.existsSync(path.join(n8n.folder, '.n8n', 'database.sqlite'));

		if (!communityNodes) {
			step("installing the tarball into n8n's nodes folder");
			await n8n.installPack(pack.tarball);
		}

		step('starting the BillOver sandbox');
		sandbox = await startSandbox({ port: await portOr(sandboxPort), apiKey: 'sandbox-key', invoices: 40, ocrDelayMs: 3000 });

		step('starting the accounting ledger');
		accounting = await startAccountingServer({ port: await portOr(accountingPort) });

		step('importing the "BillOver sandbox" credential');
		await n8n.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox)]);
		if (firstRun) {
			step('importing the examples');
			for (const name of ['invoice-1.pdf', 'invoice-2.pdf']) fs.writeFileSync(path.join(inbox, name), renderPdf([`Sample ${name}`, 'Total 100.00 EUR']));
			const accountingUrl = accounting.url;
			await n8n.importWorkflows([
				wf.accountingExample({ accountingUrl }),
				wf.syncExample({ accountingUrl }),
				wf.uploadExample({ inboxDir: inbox }),
				wf.weeklyExportExample({ exportDir }),
				wf.loadExample(wf.EXAMPLE_FILES.assistant),
			]);
		}

		if (extraWorkflows) await n8n.importWorkflows(extraWorkflows({ accountingUrl: accounting.url }));

		step('starting n8n');
		await n8n.start({ port: await portOr(port), timeoutMs: 180_000 });
		await n8n.setupOwner();

		// The proof: n8n lists both nodes (unless the caller installs them), the sandbox takes the key.
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		if (communityNodes) await n8n.httpOk('PATCH', '/rest/e2e/feature', { feature: CUSTOM_REGISTRY, enabled: true });
		else for (const name of NODE_TYPES) if (!names.includes(name)) throw new Error(`n8n does not list ${name}`);
		const probe = await sandbox.request('GET', '/v1/invoices/?page=1&page_size=1');
		if (probe.status !== 200) throw new Error(`the sandbox answered ${probe.status} to its own key`);
		return { n8n, sandbox, accounting, registry, install, firstRun, filesDir, owner: OWNER, packNodes: names.filter((name) => name.startsWith('n8n-nodes-billover.')), stop };
	} catch (error) {
		await stop();
		throw error;
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

module.exports = { startEnvironment, OWNER };
