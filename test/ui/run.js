#!/usr/bin/env node
'use strict';

/**
 * The editor as a user meets it: n8n started the way `npm run dev` starts
 * it (test/support/environment.js, a fresh user folder), its editor in Debian's
 * Chromium driven by puppeteer-core, and what a user sees checked:
 *
 *   npm run test:ui                          # n8n 2.8.4 (CI's)
 *   npm run test:ui -- --update-screenshots  # also rewrite docs/screenshots/
 *   npm run test:ui -- --only credential     # only the checks whose name contains "credential"
 *   npm run test:ui -- --tarball <file>      # a tarball packed already (or $BILLOVER_TARBALL); else it builds and packs
 *
 * Chromium comes from Debian (`apt-get install -y chromium fonts-dejavu-core`,
 * run here when it is missing); nothing is downloaded. Screenshots go to
 * .cache/ui/screenshots/ (and docs/screenshots/ with --update-screenshots).
 */
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureDebianPackages } = require('../support/debian');
const { startEnvironment } = require('../support/environment');
const { CI_VERSION } = require('../support/n8n-install');
const { waitFor } = require('../support/processes');
const { parseArgs } = require('../support/util');
const { CHROMIUM, Editor, id, launch, sleep } = require('./editor');

const ROOT = path.join(__dirname, '..', '..');
const SHOTS = path.join(ROOT, '.cache', 'ui', 'screenshots');
const DOC_SHOTS = path.join(ROOT, 'docs', 'screenshots');
const CHECK_TIMEOUT_MS = 8 * 60_000;
const PACKAGE = 'n8n-nodes-billover';
const INSTALL = `Settings → Community Nodes: typing ${PACKAGE} installs it from the registry; its nodes are there without a restart`;
/** What every other check needs, run even with --only. */
const ALWAYS = ['Sign in', INSTALL];

function ensureChromium() {
	ensureDebianPackages({ chromium: CHROMIUM, 'fonts-dejavu-core': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' });
}

function checker(results, pageOf, only) {
	return async (name, fn) => {
		// --only <text>: just the checks whose name contains it (and signing in, and installing the pack).
		if (only && !ALWAYS.includes(name) && !name.toLowerCase().includes(only.toLowerCase())) return;
		const started = Date.now();
		let timer;
		try {
			// A step that hangs fails its check instead of the whole run.
			const detail = await Promise.race([fn(), new Promise((resolve, reject) => (timer = setTimeout(() => reject(new Error(`no result after ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS)))]);
			clearTimeout(timer);
			results.push({ name, ok: true, detail });
			console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `\n      ${detail}` : ''}`);
		} catch (error) {
			clearTimeout(timer);
			const page = pageOf();
			if (page) await page.screenshot({ path: path.join(SHOTS, `failed-${results.length + 1}.png`) }).catch(() => {});
			results.push({ name, ok: false, error: error.message });
			console.log(`  ✗ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n      ${String(error.message).split('\n').join('\n      ')}`);
		}
	};
}

async function main() {
	const { updateScreenshots: update, only, tarball } = parseArgs(process.argv.slice(2), {
		'update-screenshots': { type: 'boolean' },
		only: { type: 'string' },
		tarball: { type: 'string' },
	});
	const started = Date.now();
	ensureChromium();
	fs.mkdirSync(SHOTS, { recursive: true });
	if (update) fs.mkdirSync(DOC_SHOTS, { recursive: true });
	const shot = async (editor, name, selector) => {
		const file = path.join(SHOTS, name);
		await editor.screenshot(file, selector);
		if (update) fs.copyFileSync(file, path.join(DOC_SHOTS, name));
		return `${name} (${Math.round(fs.statSync(file).size / 1024)} KB)`;
	};

	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-ui-'));
	// The pack is not preinstalled: the first check installs it the way users do.
	const env = await startEnvironment({ version: CI_VERSION, folder, tarball, communityNodes: true, step: (text) => console.log(`· ${text}`) });
	const results = [];
	let browser;
	let page;
	const check = checker(results, () => page, only);
	try {
		browser = await launch();
		page = await browser.newPage();
		// "Leave without saving?" (beforeunload) when a test moves on to a new workflow: a native
		// dialog left open would block every later step.
		page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
		const editor = new Editor(page, env.n8n.baseUrl);
		const { sandbox } = env;
		console.log(`== the editor of n8n ${env.install.version} in ${execFileSync(CHROMIUM, ['--version']).toString().trim()}`);

		await check('Sign in', () => editor.signIn(env.owner));

		const packNodes = async () => (await env.n8n.nodeTypes()).map((type) => type.name).filter((name) => name.startsWith(`${PACKAGE}.`));
		await check(INSTALL, async () => {
			assert.deepEqual(await packNodes(), [], 'not installed before');
			const pid = env.n8n.server.pid;
			await editor.openCommunityNodes();
			await editor.fillCommunityInstall(PACKAGE);
			const modal = await shot(editor, 'community-install.png');
			const started = Date.now();
			const card = await editor.confirmCommunityInstall(PACKAGE);
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			assert.ok(env.registry.requests.some((entry) => entry.path.endsWith('.tgz')), 'the tarball came from the loopback registry');
			// n8n writes the editor's list of node types again after the install, not in the same request.
			const wanted = ['billOver', 'billOverTrigger', 'billOverTool'].map((name) => `${PACKAGE}.${name}`);
			await waitFor('the node types n8n lists to include the pack\'s', async () => {
				const names = await packNodes();
				return wanted.every((name) => names.includes(name));
			}, { timeoutMs: 30_000, intervalMs: 500 });
			assert.equal(env.n8n.server.pid, pid, 'the same n8n process');
			return `installed in ${seconds} s: "${card.replace(PACKAGE, `${PACKAGE}: `).slice(0, 90)}"; ${modal}, ${await shot(editor, 'community-installed.png')}`;
		});
		// Without the pack nothing else can be checked: when the page failed, install it as the page would have.
		if (!(await packNodes()).length) await env.n8n.httpOk('POST', '/rest/community-packages', { name: PACKAGE });

		// An invoice of the sandbox to pick: waiting, processed, with items.
		const invoices = await sandbox.listAll();
		const details = await Promise.all(invoices.map((invoice) => sandbox.expectOk('GET', `/v1/invoices/${invoice.uid}`)));
		const target = details.find((invoice) => invoice.approvement_status === 'waiting' && invoice.processing_status === 'finished' && invoice.items.length >= 2);

		await check('The node panel finds BillOver by name and by topic (invoice, accounting, approve invoice, receipt, OCR, bill)', async () => {
			const found = [];
			for (const term of ['BillOver', 'invoice', 'accounting', 'approve invoice', 'receipt', 'OCR', 'bill']) {
				await editor.newWorkflow();
				await editor.openNodePanel(term);
				const names = await editor.panelNames();
				assert.ok(names.includes('BillOver'), `"${term}" → ${names.join(' | ')}`);
				found.push(`"${term}": #${names.indexOf('BillOver') + 1}`);
			}
			return found.join(', ');
		});

		await check('The app shows its five triggers and fifteen actions, under a description of both nodes; the icons load', async () => {
			await editor.newWorkflow();
			await editor.openBillOverApp();
			const items = await editor.appItems();
			const triggers = ['On invoice approved', 'On invoice created', 'On invoice approval removed', 'On invoice rejected', 'On invoice deleted'];
			for (const trigger of triggers) assert.ok(items.includes(trigger), `${trigger}: ${items.join(' | ')}`);
			const panel = await editor.visibleText(id('node-creator'));
			assert.match(panel, /Triggers \(5\)/);
			assert.match(panel, /Actions \(15\)/);
			assert.match(panel, /start workflows when they are created, approved, un-approved, rejected or deleted, and read, upload, approve and export them/);
			const icons = await editor.icons(id('node-creator'));
			assert.ok(icons.length >= 2 && icons.every((icon) => icon.loaded && icon.src.endsWith('/billover.svg')), JSON.stringify(icons));
			return `${await shot(editor, 'node-panel.png')}; icons: ${[...new Set(icons.map((icon) => icon.src))].join(', ')}`;
		});

		await check('Dark theme: the dark icons load', async () => {
			await editor.newWorkflow('theme=dark');
			await editor.openBillOverApp();
			const icons = await editor.icons(id('node-creator'));
			assert.ok(icons.length >= 2 && icons.every((icon) => icon.loaded && icon.src.endsWith('/billover.dark.svg')), JSON.stringify(icons));
			return [...new Set(icons.map((icon) => icon.src))].join(', ');
		});

		// Every action, from the panel, filled as a user fills it: no issue marker left. All fifteen
		// in one workflow, each added after the one before (as a user builds a flow): one page load
		// instead of fifteen. The picker's search has a check of its own (below); here the invoice is
		// picked from the list.
		let actions = [];
		await check('Every action\'s panel is free of issue markers once its required fields are filled', async () => {
			await editor.newWorkflow();
			await editor.openBillOverApp();
			const items = await editor.appItems();
			// After the triggers: the actions, grouped under "Invoice Actions" and "Invoice Item Actions".
			actions = items.slice(items.indexOf('On invoice deleted') + 1).filter((text) => !text.endsWith(' Actions'));
			assert.equal(actions.length, 15, actions.join(' | '));
			const report = [];
			await editor.newWorkflow();
			await editor.addManualTrigger();
			for (const action of actions) {
				await editor.addBillOverAction(action);
				const filled = [];
				if (await page.$(id('resource-locator-invoiceId'))) {
					await editor.openPicker('invoiceId');
					await editor.pick(target.hf_id);
					filled.push('invoice');
				}
				if (await page.$(id('resource-locator-itemId'))) {
					await editor.openPicker('itemId');
					await editor.pick(target.items[0].name);
					filled.push('item');
				}
				await sleep(800);
				const markers = await editor.issueMarkers();
				assert.deepEqual(markers, [], `${action}: ${markers.join(', ')}`);
				if (action === 'Update an invoice') {
					await editor.addCollectionOption('Invoice Date');
					report.push(await shot(editor, 'operation.png'));
				}
				report.push(`${action}${filled.length ? ` (${filled.join(' + ')})` : ''}`);
				console.log(`      · ${action}: no issue markers`);
				await editor.closePanel();
			}
			return `${actions.length} actions in one workflow: ${report.join('; ')}`;
		});

		await check('The Invoice resource\'s operations offer n8n\'s own "Custom API Call"', async () => {
			await editor.newWorkflow();
			await editor.addManualTrigger();
			await editor.addBillOverAction('Get an invoice');
			assert.equal(await editor.parameterValue('resource'), 'Invoice');
			const operations = await editor.dropdownOptions('operation');
			// n8n appends it to a node's resource and operation lists when the node's credential has an
			// `authenticate` (an own field) and the node's version is its default one (or it has no default).
			assert.ok(operations.some((text) => text.startsWith('Custom API Call')), `operations: ${operations.join(' | ')}`);
			return operations.map((text) => text.split('\n')[0].trim()).join(', ');
		});

		await check('The invoice assistant example: an AI Agent with its BillOver tools; a tool\'s Tool Description says what it needs and returns', async () => {
			await editor.openWorkflow('billoverExAgent1');
			const names = await editor.canvasNodeNames();
			for (const name of ['Chat', 'Invoice assistant', 'OpenAI Chat Model', 'Search invoices', 'Get invoice', 'Approve invoice', 'Reject invoice']) assert.ok(names.includes(name), `${name} on the canvas: ${names.join(', ')}`);
			const canvas = await shot(editor, 'agent-tools.png');
			await editor.openCanvasNode('Approve invoice');
			const description = await editor.parameterText('toolDescription');
			assert.match(description, /^Approves one BillOver invoice\. Needs the invoice's UID/);
			const panel = await shot(editor, 'tool-description.png');
			await editor.closePanel();
			return `${canvas}, ${panel}; "${description.slice(0, 70)}…"`;
		});

		await check('The invoice picker lists the invoices and searches them; the item picker lists the chosen invoice\'s lines', async () => {
			await editor.newWorkflow();
			await editor.addManualTrigger();
			await editor.addBillOverAction('Update an invoice item');
			const listed = await editor.openPicker('invoiceId');
			assert.equal(listed.length, invoices.length, `${listed.length} listed`);
			assert.ok(listed[0].startsWith(`${invoices[0].hf_id} · ${invoices[0].approvement_status}`), listed[0]);
			const searched = await editor.searchPicker(target.hf_id);
			assert.ok(searched.length >= 1 && searched.every((text) => text.includes(target.hf_id) || !text.includes(' · ')), searched.join(' | '));
			const picture = await shot(editor, 'picker.png');
			await editor.pick(target.hf_id);
			const lines = await editor.openPicker('itemId');
			assert.equal(lines.length, target.items.length, lines.join(' | '));
			assert.ok(lines[0].includes(target.items[0].name), lines[0]);
			return `${listed.length} invoices; "${target.hf_id}" → ${searched.length}; ${lines.length} lines; ${picture}`;
		});

		await check('Get Many with an added but empty "Card UIDs" filter runs and shows its rows', async () => {
			await editor.newWorkflow();
			await editor.addManualTrigger();
			await editor.addBillOverAction('Get many invoices');
			await editor.addCollectionOption('Card UIDs');
			await editor.executeStep();
			assert.equal(await editor.outputError(), undefined);
			assert.equal(await editor.outputItemCount(), invoices.length);
			const rows = await editor.outputTableRows();
			assert.ok(rows.length >= 10 && rows[0].includes(invoices[0].hf_id), rows[0]);
			return `${invoices.length} items, ${rows.length} rows on the table's first page; ${await shot(editor, 'get-many.png')}`;
		});

		await check('Fetch Test Event returns an approved invoice with its event id; with nothing to show it says why', async () => {
			await editor.newWorkflow();
			await editor.openBillOverApp();
			await editor.clickPanelItem('On invoice approved');
			await page.waitForSelector(id('node-parameters'), { timeout: 15_000 });
			await editor.executeStep();
			assert.equal(await editor.outputError(), undefined);
			const json = await editor.outputJson();
			const newestApproved = invoices.find((invoice) => invoice.approvement_status === 'approved');
			assert.match(json, /"event": "invoice\.approved"/);
			assert.ok(json.includes(newestApproved.uid), json.slice(0, 300));
			const picture = await shot(editor, 'trigger.png');

			await editor.newWorkflow();
			await editor.openBillOverApp();
			await editor.clickPanelItem('On invoice deleted');
			await page.waitForSelector(id('node-parameters'), { timeout: 15_000 });
			await editor.executeStep();
			assert.match((await editor.outputError()) || '', /No sample for Invoice Deleted/);
			return `${newestApproved.hf_id}; ${picture}`;
		});
		await check('The credential test: the right key passes; a wrong key fails, saying the authorization failed', async () => {
			await editor.newWorkflow();
			await editor.addManualTrigger();
			await editor.addBillOverAction('Get an invoice');
			const good = await editor.openCredential();
			assert.ok(good.ok, good.text);
			await editor.setCredentialField('apiKey', 'wrong-key');
			let bad;
			try {
				bad = await editor.saveCredential('failed');
			} finally {
				await editor.setCredentialField('apiKey', sandbox.apiKey);
			}
			const again = await editor.saveCredential('ok');
			assert.ok(!bad.ok, bad.text);
			// n8n 2.8.4 answers a 401 with its own message: the credential's `rules` do not apply
			// there (README, Credentials).
			const said = /BillOver rejected the API key \(401\)[^.]*\.|Authorization failed - please check your credentials/.exec(bad.text);
			assert.ok(said, bad.text);
			assert.ok(again.ok, again.text);
			await editor.closeModal();
			return `"${good.text}"; wrong key: "${said[0]}"`;
		});

	} finally {
		if (browser) await browser.close().catch(() => {});
		await env.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	}
	const failed = results.filter((entry) => !entry.ok);
	console.log(`== UI: ${failed.length ? `FAILED (${failed.length} of ${results.length})` : `passed (${results.length} checks)`} in ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${path.relative(ROOT, update ? DOC_SHOTS : SHOTS)}`);
	process.exitCode = failed.length ? 1 : 0;
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
