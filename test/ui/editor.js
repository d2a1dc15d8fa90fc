'use strict';

/**
 * Steps a user takes in n8n's editor, driven with puppeteer-core in Debian's
 * Chromium. The editor marks its elements with `data-test-id`; these helpers
 * use nothing else but visible texts.
 */
const fs = require('node:fs');

const { sleep } = require('../support/util');
const id = (name) => `[data-test-id="${name}"]`;

/** Debian's Chromium, installed by the caller when missing (./run.js). */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => fs.existsSync(file)) || '/usr/bin/chromium';

async function launch() {
	const puppeteer = require('puppeteer-core');
	return puppeteer.launch({
		executablePath: CHROMIUM,
		headless: true,
		// As root, without a sandbox; no background traffic (the machine has no network beyond loopback).
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1440,900'],
		defaultViewport: { width: 1440, height: 900 },
	});
}

class Editor {
	constructor(page, baseUrl) {
		this.page = page;
		this.baseUrl = baseUrl;
	}

	async signIn({ email, password }) {
		await this.page.goto(`${this.baseUrl}/signin`, { waitUntil: 'networkidle2' });
		await this.page.waitForSelector(`${id('emailOrLdapLoginId')} input`, { timeout: 30_000 });
		await this.page.type(`${id('emailOrLdapLoginId')} input`, email);
		await this.page.type(`${id('password')} input`, password);
		await this.page.click(id('form-submit-button'));
		await this.page.waitForFunction(() => !location.pathname.startsWith('/signin'), { timeout: 30_000 });
	}

	/** An empty new workflow on the canvas; `query` e.g. "theme=dark". */
	async newWorkflow(query = '') {
		await this.page.goto(`${this.baseUrl}/workflow/new${query ? `?${query}` : ''}`, { waitUntil: 'networkidle2' });
		await this.page.waitForSelector(id('node-creator-plus-button'), { timeout: 30_000 });
		await sleep(500);
	}

	/** Opens the node panel and types `term` into its search. */
	async openNodePanel(term) {
		await this.page.click(id('node-creator-plus-button'));
		await this.page.waitForSelector(id('node-creator-search-bar'), { timeout: 10_000 });
		if (term) {
			await this.page.keyboard.type(term);
			await sleep(1000);
		}
	}

	/** The names the node panel lists. */
	async panelNames() {
		return this.page.$$eval(`${id('node-creator')} ${id('node-creator-item-name')}`, (elements) => elements.map((element) => element.textContent.trim()));
	}

	async panelHeader() {
		return this.page.$eval(`${id('node-creator')} ${id('nodes-list-header')}`, (element) => element.textContent.replace(/\s+/g, ' ').trim());
	}

	/** Clicks the panel item whose text is `text` (exactly, or the first that contains it with `{ contains: true }`). */
	async clickPanelItem(text, { contains = false } = {}) {
		for (let attempt = 0; attempt < 20; attempt++) {
			for (const item of await this.page.$$(`${id('node-creator')} ${id('item-iterator-item')}`)) {
				const itemText = await item.evaluate((element) => element.textContent.replace(/\s+/g, ' ').trim());
				if (contains ? itemText.toLowerCase().includes(text.toLowerCase()) : itemText === text) {
					await item.click();
					await sleep(1200);
					return itemText;
				}
			}
			await sleep(250);
		}
		throw new Error(`The node panel has no item "${text}"; it shows: ${(await this.panelNames()).join(' | ')}`);
	}

	/** A Manual Trigger on an empty canvas, so that actions can be added after it. */
	async addManualTrigger() {
		await this.openNodePanel('manual');
		await this.page.keyboard.press('Enter');
		await sleep(1200);
		await this.page.keyboard.press('Escape');
		await sleep(600);
	}

	/** The BillOver app's panel (its triggers and actions, both sections open), from a search. */
	async openBillOverApp() {
		await this.openNodePanel('BillOver');
		await this.clickPanelItem('BillOver');
		await this.page.waitForFunction(() => document.querySelector('[data-test-id="node-creator"]')?.textContent.includes('Actions ('), { timeout: 10_000 });
		// The Actions section may be folded (the panel remembers it): open it when no action shows.
		if (!(await this.appItems()).some((text) => text.endsWith(' Actions'))) {
			for (const category of await this.page.$$(`${id('node-creator')} ${id('node-creator-category-item')}`)) {
				if ((await category.evaluate((element) => element.textContent.trim())).startsWith('Actions')) {
					await category.click();
					await sleep(800);
				}
			}
		}
	}

	/** Adds a BillOver node for the action named `action` and waits for its panel (NDV). */
	async addBillOverAction(action) {
		await this.openBillOverApp();
		await this.clickPanelItem(action);
		await this.page.waitForSelector(id('node-parameters'), { timeout: 15_000 });
		await sleep(800);
	}

	/** The texts of the panel items under a category header ("Triggers (5)", "Actions (15)"). */
	async appItems() {
		return this.page.$$eval(`${id('node-creator')} ${id('item-iterator-item')}`, (elements) => elements.map((element) => element.textContent.replace(/\s+/g, ' ').trim()));
	}

	async visibleText(selector) {
		return this.page.$eval(selector, (element) => element.textContent.replace(/\s+/g, ' ').trim());
	}

	/** Issue markers: the canvas node's warning and any parameter's issue list in the open panel. */
	async issueMarkers() {
		return this.page.$$eval('[data-test-id="node-issues"], [data-test-id="parameter-issues"]', (elements) =>
			elements.filter((element) => element.offsetWidth || element.offsetHeight || element.getClientRects().length).map((element) => element.getAttribute('data-test-id')),
		);
	}

	/** Opens the resource locator `name` (From List) and answers the items it lists. */
	async openPicker(name) {
		await this.page.click(`${id(`resource-locator-${name}`)} ${id('rlc-input')}`);
		await this.page.waitForSelector(id('rlc-item'), { timeout: 15_000 });
		await sleep(500);
		return this.pickerItems();
	}

	async pickerItems() {
		return this.page.$$eval(id('rlc-item'), (elements) => elements.filter((element) => element.offsetWidth || element.offsetHeight).map((element) => element.textContent.trim()));
	}

	async searchPicker(term) {
		const input = (await this.page.$(`${id('rlc-search')} input`)) || (await this.page.$(id('rlc-search')));
		await input.type(term);
		await sleep(1500);
		return this.pickerItems();
	}

	/** Picks the first listed item that contains `text` (or the first). */
	async pick(text) {
		for (const item of await this.page.$$(id('rlc-item'))) {
			const itemText = await item.evaluate((element) => element.textContent.trim());
			if (!text || itemText.includes(text)) {
				await item.click();
				await sleep(800);
				return itemText;
			}
		}
		throw new Error(`No picker item with "${text}"`);
	}

	/** Picks `text` in the dropdown that is open (element-plus). */
	async chooseOption(text) {
		await sleep(400);
		for (const option of await this.page.$$('.el-select-dropdown__item, .el-dropdown-menu__item, [role="option"]')) {
			const visible = await option.evaluate((element) => Boolean(element.offsetWidth || element.offsetHeight));
			const optionText = await option.evaluate((element) => element.textContent.trim());
			if (visible && optionText === text) {
				await option.click();
				await sleep(600);
				return;
			}
		}
		throw new Error(`No option "${text}" in the open dropdown`);
	}

	/** "Add Filter" / "Add Option" of a collection, then the option named `option`. */
	async addCollectionOption(option, nth = 0) {
		const buttons = await this.page.$$(`${id('node-parameters')} ${id('collection-parameter-add')}`);
		await buttons[nth].click();
		await this.chooseOption(option);
	}

	/** Runs the open node ("Execute step" / "Fetch Test Event") and waits for its output. */
	async executeStep() {
		await this.page.click(id('node-execute-button'));
		await this.page.waitForFunction(
			() => {
				const panel = document.querySelector('[data-test-id="output-panel"]');
				return panel && (panel.querySelector('[data-test-id="ndv-items-count"], [data-test-id="run-data-item-count"], [data-test-id="node-error-message"]') || /No output data returned/.test(panel.textContent));
			},
			{ timeout: 60_000 },
		);
		await sleep(800);
	}

	/** "40 items" → 40 (the output panel's count). */
	async outputItemCount() {
		const text = await this.visibleText(`${id('output-panel')} ${id('ndv-items-count')}`);
		return Number(text.replace(/[^\d]/g, ''));
	}

	async outputError() {
		const element = await this.page.$(`${id('output-panel')} ${id('node-error-message')}`);
		return element ? element.evaluate((node) => node.textContent.trim()) : undefined;
	}

	/** The output panel as a table: its rows (the Table view). */
	async outputTableRows() {
		const table = await this.page.$(`${id('output-panel')} ${id('radio-button-table')}`);
		if (table) {
			await table.click();
			await sleep(800);
		}
		return this.page.$$eval(`${id('output-panel')} table tbody tr`, (rows) => rows.map((row) => row.textContent.replace(/\s+/g, ' ').trim()));
	}

	async outputJson() {
		await this.page.click(`${id('output-panel')} ${id('radio-button-json')}`);
		await sleep(800);
		return this.visibleText(`${id('output-panel')} ${id('ndv-data-container')}`);
	}

	/** Opens the credential of the open node ("edit" pencil) and waits for its test result. */
	async openCredential() {
		await this.page.click(id('credential-edit-button'));
		await this.page.waitForSelector(id('credential-edit-dialog'), { timeout: 15_000 });
		return this.credentialTestResult();
	}

	/** "Connection tested successfully", or the failure's own message (behind "More details"). */
	async credentialTestResult() {
		const result = await this.page.waitForFunction(
			() => {
				const dialog = document.querySelector('[data-test-id="credential-edit-dialog"]');
				if (!dialog) return null;
				// The banner of the latest test: a failure replaces the success banner, which may stay in the DOM hidden.
				if (/Couldn.t connect with these settings/.test(dialog.textContent)) return 'failed';
				const success = dialog.querySelector('[data-test-id="credentials-config-container-test-success"]');
				if (success && (success.offsetWidth || success.offsetHeight)) return 'ok';
				return null;
			},
			{ timeout: 30_000 },
		);
		const outcome = await result.jsonValue();
		if (outcome === 'ok') return { ok: true, text: await this.visibleText(id('credentials-config-container-test-success')) };
		const [more] = await this.page.$$('xpath/.//*[@data-test-id="credential-edit-dialog"]//*[contains(text(), "More details")]');
		if (more) {
			await more.click();
			await sleep(800);
		}
		return { ok: false, text: await this.visibleText(id('credential-edit-dialog')) };
	}

	/** Replaces a credential field's value as a user does (select all, type); checks the field holds it. */
	async setCredentialField(name, value) {
		const input = await this.page.$(`${id(`parameter-input-${name}`)} input`);
		await input.click();
		await this.page.keyboard.down('Control');
		await this.page.keyboard.press('KeyA');
		await this.page.keyboard.up('Control');
		await this.page.keyboard.press('Backspace');
		await input.type(value);
		await sleep(300);
		const now = await input.evaluate((element) => element.value);
		if (now !== value) throw new Error(`the credential field "${name}" holds ${JSON.stringify(now)} after typing`);
	}

	/** Saves the credential (n8n tests it then) and waits until the test shows `expected` ('ok' | 'failed'). */
	async saveCredential(expected) {
		await this.page.click(id('credential-save-button'));
		const deadline = Date.now() + 30_000;
		for (;;) {
			await sleep(1000);
			const result = await this.credentialTestResult();
			if ((result.ok ? 'ok' : 'failed') === expected || Date.now() > deadline) return result;
		}
	}

	/** Closes the open node panel (NDV); the node stays selected, so the next one is added after it. */
	async closePanel() {
		// Escape, as a user does; when a field holds the focus and keeps it, the panel's close button.
		await this.page.keyboard.press('Escape');
		await sleep(600);
		for (let attempt = 0; attempt < 3 && (await this.page.$(id('node-parameters'))); attempt++) {
			const close = (await this.page.$(id('ndv-close-button'))) || (await this.page.$(id('back-to-canvas')));
			if (close) await close.evaluate((element) => element.click());
			await sleep(600);
		}
		if (await this.page.$(id('node-parameters'))) throw new Error('the node panel stays open (Escape, its close button)');
	}

	/** The value a parameter's input shows (a dropdown: its selected option's name). */
	async parameterValue(name) {
		return this.page.$eval(`${id('node-parameters')} ${id(`parameter-input-${name}`)} input`, (element) => element.value);
	}

	/** Opens a parameter's dropdown, answers its options' texts (name, then any description), closes it. */
	async dropdownOptions(name) {
		await this.page.click(`${id('node-parameters')} ${id(`parameter-input-${name}`)}`);
		// Every select's dropdown stays in the page once opened (hidden): the open one's items are the visible ones.
		const visibleItems = () => [...document.querySelectorAll('.el-select-dropdown__item')].filter((element) => element.offsetWidth || element.offsetHeight).map((element) => element.innerText.trim());
		await this.page.waitForFunction(`(${visibleItems})().length > 0`, { timeout: 10_000 });
		await sleep(400);
		const options = await this.page.evaluate(visibleItems);
		await this.page.keyboard.press('Escape');
		await sleep(400);
		return options;
	}

	/** A saved workflow on the canvas. */
	async openWorkflow(workflowId) {
		await this.page.goto(`${this.baseUrl}/workflow/${workflowId}`, { waitUntil: 'networkidle2' });
		await this.page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 30_000 });
		await sleep(800);
	}

	/** The names of the nodes on the canvas. */
	async canvasNodeNames() {
		return this.page.$$eval('[data-test-id="canvas-node"]', (nodes) => nodes.map((node) => node.getAttribute('data-node-name')));
	}

	/** Opens a canvas node's panel (double click). */
	async openCanvasNode(name) {
		const node = await this.page.$(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
		if (!node) throw new Error(`no node "${name}" on the canvas`);
		await node.click({ count: 2 });
		await this.page.waitForSelector(id('node-parameters'), { timeout: 15_000 });
		await sleep(800);
	}

	/** The text of a parameter's text area or input. */
	async parameterText(name) {
		return this.page.$eval(`${id('node-parameters')} ${id(`parameter-input-${name}`)}`, (element) => {
			const field = element.querySelector('textarea, input');
			return field ? field.value : element.innerText;
		});
	}

	/** Settings → Community Nodes. */
	async openCommunityNodes() {
		await this.page.goto(`${this.baseUrl}/settings/community-nodes`, { waitUntil: 'networkidle2' });
		await this.page.waitForFunction(() => [...document.querySelectorAll('button')].some((button) => /^\s*Install/.test(button.textContent)), { timeout: 30_000 });
		await sleep(500);
	}

	/** Its Install button (the empty page's, or the header's once a package is there), then the package name typed and the risks acknowledged. */
	async fillCommunityInstall(packageName) {
		const [button] = await this.page.$$(`${id('action-box')} button`);
		if (button) await button.click();
		else await this.page.$$eval('button', (buttons) => buttons.find((entry) => /^\s*Install/.test(entry.textContent)).click());
		await this.page.waitForSelector(`${id('communityPackageInstall-modal')} input`, { visible: true, timeout: 15_000 });
		await this.page.type(`${id('communityPackageInstall-modal')} input`, packageName);
		await this.page.click(id('user-agreement-checkbox'));
		await sleep(500);
	}

	/** Clicks Install in the modal; waits until the modal is gone and the package's card is listed. */
	async confirmCommunityInstall(packageName) {
		await this.page.click(id('install-community-package-button'));
		await this.page.waitForFunction(
			(name) => !document.querySelector('[data-test-id="communityPackageInstall-modal"] input') && [...document.querySelectorAll('[data-test-id="community-package-card"]')].some((card) => card.textContent.includes(name)),
			{ timeout: 120_000 },
			packageName,
		);
		await sleep(1000);
		return this.visibleText(id('community-package-card'));
	}

	async closeModal() {
		await this.page.keyboard.press('Escape');
		await sleep(800);
	}

	/** The icons an element holds, with whether they loaded. */
	async icons(selector) {
		return this.page.$$eval(`${selector} img`, (images) => images.map((image) => ({ src: image.getAttribute('src'), loaded: image.complete && image.naturalWidth > 0 })));
	}

	async screenshot(file, selector) {
		if (!selector) return this.page.screenshot({ path: file });
		const element = await this.page.$(selector);
		return element.screenshot({ path: file });
	}
}

module.exports = { Editor, launch, sleep, id, CHROMIUM };
