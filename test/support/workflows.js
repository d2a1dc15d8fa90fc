'use strict';

/**
 * The workflows the end-to-end test imports into n8n: small ones that each
 * run one operation from a Manual Trigger (n8n's `execute` starts there), and
 * the committed examples in examples/, adapted only where the test must:
 * paths, the accounting URL, and the triggers' schedules.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The credential the examples name; `npm run dev` and the test import it under this id. */
const SANDBOX_CREDENTIAL = { id: 'billoverSandbox1', name: 'BillOver sandbox' };
const WRONG_KEY_CREDENTIAL = { id: 'billoverWrongKey', name: 'BillOver wrong key' };
/** A second sandbox, so that two activated examples do not see each other's approvals. */
const SECOND_SANDBOX_CREDENTIAL = { id: 'billoverSandbox2', name: 'BillOver second sandbox' };

function credentialFile({ id, name }, { apiKey, baseUrl }) {
	return { id, name, type: 'billOverApi', data: { apiKey, baseUrl } };
}

function node(name, type, parameters, { credential, typeVersion = 1 } = {}) {
	return {
		id: crypto.randomUUID(),
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
		...(credential ? { credentials: { billOverApi: { id: credential.id, name: credential.name } } } : {}),
	};
}

/** A BillOver node (the pack's action node). */
function billOver(name, parameters, credential = SANDBOX_CREDENTIAL) {
	return node(name, 'n8n-nodes-billover.billOver', parameters, { credential });
}

/** `{ id, name }` + a Manual Trigger and the given nodes, connected in a line. */
function manualWorkflow(id, name, nodes) {
	const all = [node('Start', 'n8n-nodes-base.manualTrigger', {}), ...nodes];
	all.forEach((entry, index) => (entry.position = [index * 240, 0]));
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, nodes: all, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

const byId = (value) => ({ __rl: true, mode: 'id', value });
const byUrl = (value) => ({ __rl: true, mode: 'url', value });

const examplePath = (file) => path.join(EXAMPLES, file);

/** A committed example, as it is in examples/ (under another id when given). */
function loadExample(file, id) {
	const workflow = JSON.parse(fs.readFileSync(examplePath(file), 'utf8'));
	return id ? { ...workflow, id } : workflow;
}

function findNode(workflow, type) {
	const found = workflow.nodes.find((entry) => entry.type === type);
	if (!found) throw new Error(`${workflow.name}: no ${type} node`);
	return found;
}

const EXAMPLE_FILES = {
	accounting: 'approved-invoice-to-accounting.json',
	sync: 'approval-sync-to-accounting.json',
	upload: 'upload-invoices-wait-for-ocr.json',
	weeklyExport: 'weekly-xlsx-export.json',
	assistant: 'invoice-assistant.json',
};

/**
 * "Approved invoice → accounting" posting to `accountingUrl`; with
 * `everyMinute`, polling every minute (n8n's minimum) instead of every 5.
 */
function accountingExample({ id, accountingUrl, everyMinute = false } = {}) {
	const workflow = loadExample(EXAMPLE_FILES.accounting, id);
	if (everyMinute) findNode(workflow, 'n8n-nodes-billover.billOverTrigger').parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	if (accountingUrl) findNode(workflow, 'n8n-nodes-base.httpRequest').parameters.url = `${accountingUrl}/api/purchase-invoices`;
	return workflow;
}

/**
 * "Approval sync → accounting": books and reverses at `accountingUrl`; with
 * `everyMinute`, polling every minute; with `credential`, on another one.
 */
function syncExample({ id, accountingUrl, everyMinute = false, credential } = {}) {
	const workflow = loadExample(EXAMPLE_FILES.sync, id);
	if (credential) findNode(workflow, 'n8n-nodes-billover.billOverTrigger').credentials.billOverApi = { id: credential.id, name: credential.name };
	if (everyMinute) findNode(workflow, 'n8n-nodes-billover.billOverTrigger').parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	if (accountingUrl) {
		for (const request of workflow.nodes.filter((entry) => entry.type === 'n8n-nodes-base.httpRequest')) {
			request.parameters.url = request.parameters.url.replace('https://accounting.example.com', accountingUrl);
		}
	}
	return workflow;
}

/** "Upload invoices and wait for OCR", reading the PDFs in `inboxDir`. */
function uploadExample({ id, inboxDir }) {
	const workflow = loadExample(EXAMPLE_FILES.upload, id);
	findNode(workflow, 'n8n-nodes-base.readWriteFile').parameters.fileSelector = `${inboxDir}/*.pdf`;
	return workflow;
}

/** "Weekly XLSX export" writing into `exportDir`; with `everyMinute`, on a cron of every minute. */
function weeklyExportExample({ id, exportDir, everyMinute = false }) {
	const workflow = loadExample(EXAMPLE_FILES.weeklyExport, id);
	if (everyMinute) findNode(workflow, 'n8n-nodes-base.scheduleTrigger').parameters.rule = { interval: [{ field: 'cronExpression', expression: '* * * * *' }] };
	const writer = findNode(workflow, 'n8n-nodes-base.readWriteFile');
	writer.parameters.fileName = writer.parameters.fileName.replace('/home/node/.n8n-files/exports', exportDir);
	return workflow;
}

module.exports = {
	SANDBOX_CREDENTIAL,
	WRONG_KEY_CREDENTIAL,
	SECOND_SANDBOX_CREDENTIAL,
	EXAMPLE_FILES,
	examplePath,
	credentialFile,
	billOver,
	manualWorkflow,
	byId,
	byUrl,
	loadExample,
	accountingExample,
	syncExample,
	uploadExample,
	weeklyExportExample,
};
