'use strict';

/**
 * What the end-to-end test checks inside one real n8n, in two parts that run
 * at the same time (each with its own simulator and n8n user folder):
 *
 * - `cliScenarios`: workflows run with `n8n execute` (Get Many with filters,
 *   the upload example, Update, Approve, Export XLSX, item create/update/
 *   delete, a wrong API key); each result is checked against the workflow's
 *   output items and the simulator's request log and state.
 * - `serverScenarios`: a started n8n (`n8n start`): the node list, n8n's
 *   credential test, and the two examples that start by themselves, activated:
 *   the BillOver Trigger → accounting (one approval → exactly one execution,
 *   checked after one more poll) and the weekly XLSX export (on a cron of every
 *   minute); and in the same n8n, BillOver as an AI agent's tools and behind
 *   the MCP Server Trigger (./agents.js).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { renderPdf } = require('../sandbox/pdf');
const { nodeItems } = require('../support/n8n');
const { waitFor } = require('../support/processes');
const wf = require('../support/workflows');
const { agentScenarios, prepareAgents } = require('./agents');

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The bytes of a binary field in `n8n execute` output, wherever n8n kept them. */
function binaryBytes(n8n, binary) {
	if (binary.data && binary.data !== 'filesystem' && !binary.id) return Buffer.from(binary.data, 'base64');
	if (binary.id) {
		// "filesystem-v2:<path>" or "filesystem:<path>" below the user folder's binaryData
		const [, location] = binary.id.split(/:(.+)/);
		const candidates = [
			path.join(n8n.folder, '.n8n', 'storage', location),
			path.join(n8n.folder, '.n8n', 'binaryData', location),
			path.join(n8n.folder, '.n8n', location),
		];
		const file = candidates.find((candidate) => fs.existsSync(candidate));
		if (file) return fs.readFileSync(file);
		throw new Error(`binary ${binary.id}: not found under ${n8n.folder}`);
	}
	throw new Error(`binary without data: ${JSON.stringify(binary)}`);
}

async function readXlsx(bytes) {
	const { readSheet } = require('read-excel-file/node');
	return readSheet(bytes);
}

/** Entries of the simulator's log for one method and path (RegExp or exact). */
function requests(log, method, pathMatch) {
	return log.filter((entry) => entry.method === method && (pathMatch instanceof RegExp ? pathMatch.test(entry.path) : entry.path === pathMatch));
}

function runError(run) {
	return run.data.resultData.error;
}

function assertRunOk(result) {
	const error = runError(result.run);
	assert.equal(error, undefined, `the execution failed: ${error && error.message} ${error && error.description ? `(${error.description})` : ''}`);
}

/** Invoices of the simulator that operations may change: waiting, processed, updatable. */
async function pickInvoices(sandbox) {
	const all = await sandbox.listAll();
	const open = all.filter((invoice) => invoice.approvement_status === 'waiting' && invoice.processing_status === 'finished' && invoice.permissions.can_update);
	assert.ok(open.length >= 3, 'the simulator has at least 3 open invoices');
	return { all, open };
}

/**
 * @param {import('../support/n8n').N8n} n8n   user folder with credentials imported by `prepareCli`
 * @param {import('../support/sandbox').Sandbox} sandbox
 * @param {(name: string, fn: () => Promise<unknown>) => Promise<void>} check
 */
async function prepareCli(n8n, sandbox, filesDir) {
	const { all, open } = await pickInvoices(sandbox);
	const counts = new Map();
	for (const invoice of all) {
		if (!invoice.company || !['waiting', 'rejected'].includes(invoice.approvement_status)) continue;
		counts.set(invoice.company.uid, (counts.get(invoice.company.uid) || 0) + 1);
	}
	const company = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
	const [toUpdate, toApprove, forItems] = open;
	const inbox = path.join(filesDir, 'inbox');
	fs.mkdirSync(inbox, { recursive: true });
	const uploads = ['e2e-invoice-1.pdf', 'e2e-invoice-2.pdf'];
	for (const name of uploads) fs.writeFileSync(path.join(inbox, name), renderPdf([`Invoice ${name}`, 'Total 100.00 EUR']));

	const ids = {
		getMany: 'e2eGetMany000001',
		upload: 'e2eUploadOcr0001',
		update: 'e2eUpdate0000001',
		approve: 'e2eApprove000001',
		exportXlsx: 'e2eExportXlsx001',
		items: 'e2eItems00000001',
		wrongKey: 'e2eWrongKey00001',
	};
	const workflows = [
		wf.manualWorkflow(ids.getMany, 'e2e: Get Many with filters', [
			wf.billOver('BillOver', { resource: 'invoice', operation: 'getMany', returnAll: true, filters: { approvement_status: ['waiting', 'rejected'], company__uid: [company] }, simplify: true }),
		]),
		wf.uploadExample({ id: ids.upload, inboxDir: inbox }),
		wf.manualWorkflow(ids.update, 'e2e: Update', [
			wf.billOver('BillOver', {
				resource: 'invoice',
				operation: 'update',
				invoiceId: wf.byId(toUpdate.uid),
				updateFields: { invoice_number: 'E2E-2026-001', total_price: 1234.5, total_vat: '205.75', currency: 'EUR', invoice_date: '2026-11-02', payment_type: 'credit_card' },
			}),
		]),
		wf.manualWorkflow(ids.approve, 'e2e: Approve', [
			wf.billOver('BillOver', { resource: 'invoice', operation: 'approve', invoiceId: wf.byUrl(`https://app.billover.com/invoices/${toApprove.uid}`) }),
		]),
		wf.manualWorkflow(ids.exportXlsx, 'e2e: Export XLSX', [
			wf.billOver('BillOver', { resource: 'invoice', operation: 'exportXlsx', filters: { approvement_status: ['approved'] }, binaryPropertyName: 'sheet' }),
		]),
		wf.manualWorkflow(ids.items, 'e2e: item create, update, delete', [
			wf.billOver('Add item', {
				resource: 'invoiceItem',
				operation: 'create',
				invoiceId: wf.byId(forItems.uid),
				itemFields: { name: 'E2E widget', description: 'added by the end-to-end test', quantity: 2, unit: 'p', total_price: 24.5, vat_rate: 20 },
			}),
			wf.billOver('Change item', { resource: 'invoiceItem', operation: 'update', invoiceId: wf.byId(forItems.uid), itemId: wf.byId('={{ $json.uid }}'), updateFields: { quantity: 3, total_price: 36.75 } }),
			wf.billOver('Remove item', { resource: 'invoiceItem', operation: 'delete', invoiceId: wf.byId(forItems.uid), itemId: wf.byId('={{ $json.uid }}') }),
		]),
		wf.manualWorkflow(ids.wrongKey, 'e2e: wrong API key', [
			wf.billOver('BillOver', { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 1 }, wf.WRONG_KEY_CREDENTIAL),
		]),
	];
	await n8n.importCredentials([
		wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox),
		wf.credentialFile(wf.WRONG_KEY_CREDENTIAL, { apiKey: 'wrong-key', baseUrl: sandbox.baseUrl }),
	]);
	await n8n.importWorkflows(workflows);
	return { ids, company, toUpdate, toApprove, forItems, uploads };
}

async function cliScenarios(n8n, sandbox, filesDir, check) {
	const ctx = await prepareCli(n8n, sandbox, filesDir);
	const { ids } = ctx;

	await check('The examples import into n8n as committed (n8n import:workflow --input=examples/<file>)', async () => {
		for (const file of Object.values(wf.EXAMPLE_FILES)) await n8n.cliOk(['import:workflow', `--input=${wf.examplePath(file)}`]);
		return Object.values(wf.EXAMPLE_FILES).join(', ');
	});

	/** Execute a workflow; answer its run and the simulator requests it made. */
	const execute = async (id) => {
		const mark = await sandbox.logMark();
		const result = await n8n.execute(id);
		return { ...result, log: await sandbox.log(mark) };
	};

	await check('Get Many with filters (returnAll, approval status, company)', async () => {
		const result = await execute(ids.getMany);
		assertRunOk(result);
		const items = nodeItems(result.run, 'BillOver');
		const expected = await sandbox.listAll(`approvement_status=waiting&approvement_status=rejected&company__uid=${ctx.company}`);
		assert.ok(expected.length >= 1);
		assert.deepEqual(
			items.map((item) => item.json.uid),
			expected.map((invoice) => invoice.uid),
		);
		assert.ok(items.every((item) => item.json.company_uid === ctx.company && !('permissions' in item.json)), 'simplified items of that company');
		const [request] = requests(result.log, 'GET', '/v1/invoices/');
		assert.deepEqual(request.query.approvement_status, ['waiting', 'rejected']);
		assert.deepEqual(request.query.company__uid, [ctx.company]);
		return `${items.length} invoices, ${requests(result.log, 'GET', '/v1/invoices/').length} request(s)`;
	});

	await check('Example "Upload invoices and wait for OCR" (Read Files from Disk → Create, Wait for Processing)', async () => {
		const result = await execute(ids.upload);
		assertRunOk(result);
		const items = nodeItems(result.run, 'Upload and wait for OCR');
		assert.equal(items.length, ctx.uploads.length);
		const posts = requests(result.log, 'POST', '/v1/invoices/');
		assert.deepEqual(posts.map((entry) => entry.body.file.filename).sort(), [...ctx.uploads].sort());
		assert.ok(posts.every((entry) => entry.body.file.type === 'application/pdf'));
		for (const item of items) {
			assert.equal(item.json.processing_status, 'finished', 'the output is the processed invoice');
			const polls = requests(result.log, 'GET', `/v1/invoices/${item.json.uid}`);
			assert.ok(polls.length >= 1, 'polled until processed');
			const detail = await sandbox.expectOk('GET', `/v1/invoices/${item.json.uid}`);
			assert.equal(detail.processing_status, 'finished');
		}
		return `${items.length} invoices uploaded and processed in ${(result.ms / 1000).toFixed(1)} s`;
	});

	await check('Update (By ID): fields sent as the API wants them, invoice changed', async () => {
		const result = await execute(ids.update);
		assertRunOk(result);
		const [item] = nodeItems(result.run, 'BillOver');
		const [put] = requests(result.log, 'PUT', `/v1/invoices/${ctx.toUpdate.uid}`);
		assert.deepEqual(put.body, { invoice_number: 'E2E-2026-001', total_price: '1234.50', total_vat: '205.75', currency: 'EUR', invoice_date: '2026-11-02', payment_type: 'credit_card' });
		const detail = await sandbox.expectOk('GET', `/v1/invoices/${ctx.toUpdate.uid}`);
		for (const field of ['invoice_number', 'total_price', 'total_vat', 'currency', 'invoice_date', 'payment_type']) {
			assert.equal(item.json[field], detail[field], field);
		}
		assert.equal(detail.total_price, '1234.50');
		return `invoice ${ctx.toUpdate.hf_id} updated`;
	});

	await check('Approve (By URL): approved in the simulator', async () => {
		const before = (await sandbox.transitions()).length;
		const result = await execute(ids.approve);
		assertRunOk(result);
		const [item] = nodeItems(result.run, 'BillOver');
		assert.equal(item.json.uid, ctx.toApprove.uid);
		assert.equal(item.json.approvement_status, 'approved');
		assert.equal(requests(result.log, 'POST', `/v1/invoices/${ctx.toApprove.uid}/approve`).length, 1);
		const transitions = (await sandbox.transitions()).slice(before);
		assert.ok(transitions.some((entry) => entry.uid === ctx.toApprove.uid && /approv/.test(JSON.stringify(entry))), 'the simulator recorded the approval');
		return `invoice ${ctx.toApprove.hf_id} approved`;
	});

	await check('Export XLSX: a workbook with every approved invoice', async () => {
		const result = await execute(ids.exportXlsx);
		assertRunOk(result);
		const [item] = nodeItems(result.run, 'BillOver');
		const binary = item.binary.sheet;
		assert.equal(binary.mimeType, XLSX);
		assert.match(binary.fileName, /\.xlsx$/);
		const [post] = requests(result.log, 'POST', '/v1/invoices/export-xlsx');
		assert.deepEqual(post.body, { approvement_status: ['approved'] });
		const rows = await readXlsx(binaryBytes(n8n, binary));
		const expected = await sandbox.listAll('approvement_status=approved');
		assert.deepEqual(
			rows
				.slice(1)
				.map((row) => row[1])
				.sort(),
			expected.map((invoice) => invoice.uid).sort(),
		);
		return `${binary.fileName}: ${rows.length - 1} rows (binary data: ${binary.id ? binary.id.split(':')[0] : 'in the item'})`;
	});

	await check('Invoice Item: create → update → delete, chained by expression', async () => {
		const result = await execute(ids.items);
		assertRunOk(result);
		const [created] = nodeItems(result.run, 'Add item');
		const [changed] = nodeItems(result.run, 'Change item');
		const [removed] = nodeItems(result.run, 'Remove item');
		const uid = created.json.uid;
		assert.equal(created.json.name, 'E2E widget');
		assert.equal(created.json.quantity, '2.000');
		assert.equal(created.json.total_price, '24.50');
		assert.equal(changed.json.uid, uid);
		assert.equal(changed.json.quantity, '3.000');
		assert.equal(changed.json.total_price, '36.75');
		assert.deepEqual(removed.json, { deleted: true, uid, invoice_uid: ctx.forItems.uid });
		const base = `/v1/invoices/${ctx.forItems.uid}/items`;
		assert.deepEqual(requests(result.log, 'POST', `${base}/`)[0].body, { name: 'E2E widget', description: 'added by the end-to-end test', quantity: '2.000', unit: 'p', total_price: '24.50', vat_rate: '20.00' });
		assert.deepEqual(requests(result.log, 'PUT', `${base}/${uid}`)[0].body, { quantity: '3.000', total_price: '36.75' });
		assert.equal(requests(result.log, 'DELETE', `${base}/${uid}`).length, 1);
		const detail = await sandbox.expectOk('GET', `/v1/invoices/${ctx.forItems.uid}`);
		assert.ok(!detail.items.some((entry) => entry.uid === uid), 'the item is gone');
		return `item ${uid} created, updated, deleted`;
	});

	await check('Wrong API key: the node fails with the 401 message (the credential\'s header, applied by n8n)', async () => {
		const result = await execute(ids.wrongKey);
		const error = runError(result.run);
		assert.ok(error, 'the execution failed');
		assert.match(`${error.message} ${error.description || ''}`, /401|Authorization|API key/i);
		const sent = requests(result.log, 'GET', '/v1/invoices/');
		assert.ok(sent.length >= 1 && sent.every((entry) => entry.headers['api-key'] === 'wrong-key' && entry.status === 401), JSON.stringify(sent.map((entry) => entry.status)));
		return `"${error.message}"; ${sent.length} request(s) answered 401; n8n execute exit code ${result.code}`;
	});
}

/**
 * @param {import('../support/n8n').N8n} n8n
 * @param {import('../support/sandbox').Sandbox} sandbox
 * @param {{ url: string, received: object[] }} accounting
 */
async function prepareServer(n8n, sandbox, accounting, filesDir, sync) {
	const exportDir = path.join(filesDir, 'exports');
	fs.mkdirSync(exportDir, { recursive: true });
	// A fresh approved invoice, for the weekly export (the seed's are older);
	// approved before the trigger starts, so the trigger must not emit it.
	const fresh = await sandbox.expectOk('POST', '/_simulator/invoices', { fileName: 'e2e-fresh.pdf', mimeType: 'application/pdf', processing: false });
	await sandbox.expectOk('POST', `/v1/invoices/${fresh.uid}/approve`);
	const ids = { accounting: 'e2eAccounting001', weeklyExport: 'e2eWeeklyExport1', sync: 'e2eApprovalSync1' };
	await n8n.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox), wf.credentialFile(wf.SECOND_SANDBOX_CREDENTIAL, sync.sandbox)]);
	await n8n.importWorkflows([
		wf.accountingExample({ id: ids.accounting, accountingUrl: accounting.url, everyMinute: true }),
		wf.weeklyExportExample({ id: ids.weeklyExport, exportDir, everyMinute: true }),
		wf.syncExample({ id: ids.sync, accountingUrl: sync.accounting.url, everyMinute: true, credential: wf.SECOND_SANDBOX_CREDENTIAL }),
	]);
	await n8n.activate(ids.accounting);
	await n8n.activate(ids.weeklyExport);
	await n8n.activate(ids.sync);
	return { ids, exportDir, fresh };
}

/** The trigger's poll of the watched set: GET /v1/invoices/?approvement_status=waiting&approvement_status=rejected. */
function watchPolls(log) {
	return log.filter((entry) => entry.method === 'GET' && entry.path === '/v1/invoices/' && (entry.query.approvement_status || []).includes('rejected'));
}

/**
 * @param {{ sandbox: import('../support/sandbox').Sandbox, accounting: object }} sync  the approval sync example's own sandbox and accounting system
 * @param {{ sandbox: import('../support/sandbox').Sandbox, model: object }} [agents]  for ./agents.js: its own sandbox and the scripted model
 */
async function serverScenarios(n8n, sandbox, accounting, filesDir, check, sync, agents) {
	const ctx = await prepareServer(n8n, sandbox, accounting, filesDir, sync);
	const agentsReady = agents ? { ...agents, ...(await prepareAgents(n8n, agents)) } : undefined;
	const minute = 75_000;

	let started = false;
	await check('n8n starts with the pack loaded', async () => {
		await n8n.start();
		await n8n.setupOwner();
		started = true;
		return n8n.baseUrl;
	});
	if (!started) return;

	await check('Both BillOver nodes are in n8n\'s node list (/types/nodes.json)', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-billover.billOver'), 'billOver');
		assert.ok(names.includes('n8n-nodes-billover.billOverTrigger'), 'billOverTrigger');
		return names.filter((name) => name.startsWith('n8n-nodes-billover.')).join(', ');
	});

	await check('Credential test in n8n (REST /rest/credentials/test): the right key passes, a wrong one fails', async () => {
		const mark = await sandbox.logMark();
		const good = await n8n.testCredential(wf.SANDBOX_CREDENTIAL, 'billOverApi', { apiKey: sandbox.apiKey, baseUrl: `${sandbox.baseUrl}/` });
		const bad = await n8n.testCredential(wf.SANDBOX_CREDENTIAL, 'billOverApi', { apiKey: 'wrong-key', baseUrl: sandbox.baseUrl });
		assert.equal(good.status, 'OK', JSON.stringify(good));
		assert.equal(bad.status, 'Error', JSON.stringify(bad));
		const tests = requests(await sandbox.log(mark), 'GET', '/v1/invoices/').filter((entry) => entry.query.page_size && entry.query.page_size[0] === '1');
		const seen = tests.map((entry) => [entry.headers['api-key'], entry.status]);
		// n8n-core's httpRequestWithAuthentication repeats a request answered 401 once.
		const wrong = seen.slice(1);
		assert.deepEqual(seen[0], [sandbox.apiKey, 200], JSON.stringify(seen));
		assert.ok(wrong.length >= 1 && wrong.length <= 2 && wrong.every(([key, status]) => key === 'wrong-key' && status === 401), JSON.stringify(seen));
		return `OK: "${good.message}"; wrong key: "${bad.message}" (${wrong.length} requests answered 401)`;
	});

	if (agentsReady) await agentScenarios(n8n, agentsReady, check);

	// The triggers poll once when n8n activates them: that sets their "now".
	await waitFor('the triggers\' activation polls', async () => watchPolls(await sandbox.log()).length >= 1 && watchPolls(await sync.sandbox.log()).length >= 1, { timeoutMs: minute });
	const syncDone = syncScenario(n8n, sync.sandbox, sync.accounting, ctx.ids.sync, check);

	let approved;
	await check('Example "Approved invoice → accounting" (activated): one approval → exactly one execution and one POST, with details and file', async () => {
		approved = (await sandbox.listAll('approvement_status=waiting')).find((invoice) => invoice.processing_status === 'finished');
		await sandbox.expectOk('POST', `/v1/invoices/${approved.uid}/approve`);
		const approvedAt = Date.now();
		await waitFor('the accounting system to receive the approved invoice', () => accounting.received.length >= 1, { timeoutMs: minute });
		const latency = Math.round((Date.now() - approvedAt) / 1000);
		// One more poll after the one that emitted: it must not emit again.
		const pollsSoFar = watchPolls(await sandbox.log()).length;
		await waitFor('one more poll of the trigger', async () => watchPolls(await sandbox.log()).length > pollsSoFar, { timeoutMs: minute });
		await new Promise((resolve) => setTimeout(resolve, 5000));

		assert.equal(accounting.received.length, 1, 'exactly one POST to accounting');
		const executions = await n8n.executions(ctx.ids.accounting);
		assert.equal(executions.length, 1, `exactly one execution (got ${executions.length})`);
		assert.equal(executions[0].status, 'success');

		const detail = await sandbox.expectOk('GET', `/v1/invoices/${approved.uid}`);
		const execution = await n8n.execution(executions[0].id);
		const runData = execution.data.resultData.runData;
		const triggerItems = runData['Invoice approved'][0].data.main[0];
		assert.equal(triggerItems.length, 1);
		assert.equal(triggerItems[0].json.uid, approved.uid);
		assert.equal(triggerItems[0].json.approvement_status, 'approved');
		assert.deepEqual(
			triggerItems[0].json.items.map((entry) => entry.uid),
			detail.items.map((entry) => entry.uid),
			'Include Details: the items',
		);
		assert.ok(triggerItems[0].binary && triggerItems[0].binary.data, 'Download File: binary "data"');

		const [post] = accounting.received;
		assert.equal(post.method, 'POST');
		assert.equal(post.path, '/api/purchase-invoices');
		assert.match(triggerItems[0].json.event_id, new RegExp(`^invoice\\.approved:${approved.uid}:`));
		assert.equal(post.headers['idempotency-key'], triggerItems[0].json.event_id, 'the event id is the idempotency key');
		assert.equal(post.fields.event_id, triggerItems[0].json.event_id);
		assert.equal(post.fields.billover_uid, approved.uid);
		assert.equal(post.fields.reference, detail.hf_id);
		assert.equal(post.fields.total, detail.total_price);
		assert.equal(post.fields.supplier, detail.company ? detail.company.name : '');
		assert.deepEqual(
			JSON.parse(post.fields.lines).map((entry) => entry.uid),
			detail.items.map((entry) => entry.uid),
		);
		const original = Buffer.from(await (await fetch(detail.file, { signal: AbortSignal.timeout(10_000) })).arrayBuffer());
		assert.ok(post.files.file, 'the file part');
		assert.ok(post.files.file.bytes.equals(original), 'the file is the invoice\'s original');
		return `invoice ${detail.hf_id} reached accounting ${latency} s after approval; ${watchPolls(await sandbox.log()).length} polls, 1 execution`;
	});

	await syncDone;

	await check('Example "Weekly XLSX export" (activated, cron every minute): the file written holds the week\'s approved invoices', async () => {
		const file = await waitFor(
			'the weekly export file',
			() => {
				const files = fs.readdirSync(ctx.exportDir).filter((name) => name.endsWith('.xlsx'));
				return files.length ? path.join(ctx.exportDir, files[0]) : null;
			},
			{ timeoutMs: minute },
		);
		await waitFor('the export execution to finish', async () => (await n8n.executions(ctx.ids.weeklyExport)).some((entry) => entry.status === 'success'), { timeoutMs: 30_000 });
		const rows = await readXlsx(fs.readFileSync(file));
		const [post] = requests(await sandbox.log(), 'POST', '/v1/invoices/export-xlsx');
		assert.deepEqual(Object.keys(post.body).sort(), ['approvement_status', 'from_date', 'to_date']);
		assert.match(post.body.from_date, /^\d{4}-\d{2}-\d{2}$/);
		const query = `approvement_status=approved&from_date=${post.body.from_date}&to_date=${post.body.to_date}`;
		const expected = await sandbox.listAll(query);
		const exportedUids = rows.slice(1).map((row) => row[1]);
		assert.ok(exportedUids.includes(ctx.fresh.uid), 'the invoice approved today is in the export');
		assert.deepEqual([...exportedUids].sort(), expected.map((invoice) => invoice.uid).sort());
		return `${path.basename(file)}: ${exportedUids.length} invoice(s) from ${post.body.from_date} to ${post.body.to_date}`;
	});
}

/**
 * The approval sync example (Approved + Approval Removed → book or reverse),
 * activated: an invoice approved, its approval removed, approved again, one
 * step per poll; the accounting journal must read book, reverse, book, each
 * once and keyed by the event's id, and stay so after one more poll.
 */
async function syncScenario(n8n, sandbox, accounting, workflowId, check) {
	const minute = 75_000;
	await check('Example "Approval sync → accounting" (activated): approve → booked, remove approval → reversed, approve again → booked again, each once by event id', async () => {
		const waiting = (await sandbox.listAll('approvement_status=waiting')).filter((invoice) => invoice.processing_status === 'finished');
		const [target] = waiting;
		const steps = [
			['approve', 'book'],
			['remove-approval', 'reverse'],
			['approve', 'book'],
		];
		for (const [index, [action, op]] of steps.entries()) {
			await sandbox.expectOk('POST', `/v1/invoices/${target.uid}/${action}`);
			await waitFor(`the accounting system to ${op} invoice ${target.hf_id} (step ${index + 1})`, () => accounting.journal(target.uid).length > index, { timeoutMs: minute });
		}
		const polls = watchPolls(await sandbox.log()).length;
		await waitFor('one more poll of the trigger', async () => watchPolls(await sandbox.log()).length > polls, { timeoutMs: minute });
		await new Promise((resolve) => setTimeout(resolve, 5000));

		const journal = accounting.journal(target.uid);
		assert.deepEqual(journal.map((entry) => entry.op), ['book', 'reverse', 'book']);
		const executions = (await n8n.executions(workflowId)).filter((entry) => entry.status === 'success');
		const items = [];
		for (const summary of executions) {
			const execution = await n8n.execution(summary.id);
			items.push(...execution.data.resultData.runData['Approval changed'][0].data.main[0].filter((item) => item.json.uid === target.uid));
		}
		items.sort((a, b) => Date.parse(a.json.occurred_at) - Date.parse(b.json.occurred_at));
		assert.deepEqual(items.map((item) => item.json.event), ['invoice.approved', 'invoice.approval_removed', 'invoice.approved']);
		assert.deepEqual(journal.map((entry) => entry.key), items.map((item) => item.json.event_id), 'each booking is keyed by its event id');
		assert.equal(new Set(journal.map((entry) => entry.key)).size, 3);
		for (const entry of journal) assert.equal(accounting.ledger.get(entry.key).receipts, 1, `${entry.key} received once`);
		const booking = accounting.received.find((request) => request.headers['idempotency-key'] === journal[0].key);
		assert.ok(booking.files.file && booking.files.file.bytes.length > 0, 'the booking carries the file');
		assert.ok(JSON.parse(booking.fields.lines).length >= 1, 'and the lines');
		const reversal = accounting.received.find((request) => request.headers['idempotency-key'] === journal[1].key);
		assert.equal(reversal.json.billover_uid, target.uid);
		return `invoice ${target.hf_id}: ${journal.map((entry) => entry.op).join(' → ')} in ${executions.length} execution(s); keys ${journal.map((entry) => entry.key.split(':').pop()).join(', ')}`;
	});
}

module.exports = { cliScenarios, serverScenarios };
