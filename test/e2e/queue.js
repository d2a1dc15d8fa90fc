'use strict';

/**
 * The pack in n8n's queue mode, with the real components, each a process of
 * its own on loopback started and stopped here by PID: Redis (the queue),
 * PostgreSQL (workflows, executions, the trigger's static data, binary data
 * in n8n's `database` mode), n8n main (editor, webhooks, the trigger's polls)
 * and two `n8n worker`s (the executions), all of them on one shared user
 * folder with the pack installed once into its `.n8n/nodes`, one encryption
 * key, a task-runner broker port each. Then:
 *
 *  1. a Webhook workflow (Get Many → Approve → Export XLSX) called on main:
 *     it runs on a worker and its workbook comes back to the caller through
 *     the binary data store;
 *  2. the "Approved invoice → accounting" example activated (Download File
 *     on): polled on main, executed on the workers, every booking carrying
 *     the invoice's original file;
 *  3. while invoices are approved, one worker is killed (SIGKILL) in the
 *     middle of an execution and started again, and later main is restarted:
 *     every approval must reach the accounting system once by its event id;
 *     what n8n lost is counted from the executions in Postgres.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { mulberry32 } = require('../sandbox/random');
const { PROFILES, sandboxAccount, startActor } = require('../support/actor');
const { installedPack, trackerModule } = require('../support/dist');
const { N8n } = require('../support/n8n');
const { waitFor } = require('../support/processes');
const { ensureQueueServices, startPostgres, startRedis } = require('../support/services');
const { sleep } = require('../support/util');
const wf = require('../support/workflows');

const IDS = { accounting: 'e2eQueueAccount1', webhook: 'e2eQueueWebhook1' };
const TRIGGER = 'Invoice approved';
const WEBHOOK_PATH = 'billover-queue-approve';

/** n8n's settings for queue mode on these services (README, Running in queue mode). */
function queueEnv(redis, postgres) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: 'unused-trust-authentication',
		// Binary data every process can reach: in Postgres (n8n's default in queue mode, said explicitly).
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

/** Webhook (answers with the workbook) → Get Many (3 waiting) → Approve each → Export XLSX (once). */
function webhookWorkflow() {
	const node = (name, type, typeVersion, parameters, extra = {}) => ({ id: crypto.randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra });
	const credentials = { billOverApi: { id: wf.SANDBOX_CREDENTIAL.id, name: wf.SANDBOX_CREDENTIAL.name } };
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'firstEntryBinary', options: { responseBinaryPropertyName: 'data' } }, { webhookId: crypto.randomUUID() }),
		node('Waiting invoices', 'n8n-nodes-billover.billOver', 1, { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 3, filters: { approvement_status: ['waiting'], processing_status: ['finished'] } }, { credentials }),
		node('Approve', 'n8n-nodes-billover.billOver', 1, { resource: 'invoice', operation: 'approve', invoiceId: { __rl: true, mode: 'id', value: '={{ $json.uid }}' } }, { credentials }),
		node('Export XLSX', 'n8n-nodes-billover.billOver', 1, { resource: 'invoice', operation: 'exportXlsx', filters: { approvement_status: ['approved'] }, binaryPropertyName: 'data' }, { credentials, executeOnce: true }),
	];
	nodes.forEach((entry, index) => (entry.position = [index * 240, 0]));
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id: IDS.webhook, name: 'e2e queue: approve three and export', nodes, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

const isWRead = (entry) => entry.method === 'GET' && entry.path === '/v1/invoices/' && (entry.query.approvement_status || []).includes('rejected');

/**
 * @param {object} args
 * @param {object} args.install         ensureN8n()'s answer
 * @param {string} args.nodesDir        a nodes folder with the pack installed (copied into the shared user folder)
 * @param {string} args.root            a temporary folder
 * @param {import('../support/sandbox').Sandbox} args.sandbox
 * @param {object} args.accounting      ../support/accounting-server.js
 * @param {Function} args.check
 * @param {object} [args.env]         more n8n settings (the durable scheduler's)
 */
async function queueScenario({ install, nodesDir, root, sandbox, accounting, check, env = {} }) {
	const report = { versions: {}, processes: {}, webhook: {}, trigger: {}, crash: {} };
	const stops = [];
	let main;
	const workers = {};
	let ready = false;
	let approver;
	try {
		await check('Queue mode: Redis, PostgreSQL, n8n main and two workers on one shared user folder, the pack installed once', async () => {
			const installed = ensureQueueServices();
			const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
			stops.push(() => redis.stop(), () => postgres.stop());
			report.postgres = postgres;
			report.versions = { postgres: postgres.version };
			main = new N8n(install, { folder: path.join(root, 'queue'), filesDir: path.join(root, 'files-queue'), env: { ...env, ...queueEnv(redis, postgres) }, probe: false });
			fs.cpSync(nodesDir, main.nodesDir, { recursive: true });
			await main.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox)]);
			await main.importWorkflows([wf.accountingExample({ id: IDS.accounting, accountingUrl: accounting.url, everyMinute: true }), webhookWorkflow()]);
			await main.activate(IDS.accounting);
			await main.activate(IDS.webhook);
			await main.start();
			stops.push(() => main.stop());
			await main.setupOwner();
			for (const name of ['worker-1', 'worker-2']) {
				workers[name] = await main.startWorker({ name });
				stops.push(() => workers[name] && workers[name].stop());
			}
			report.processes = { redis: redis.pid, postgres: postgres.pid, main: main.server.pid, 'worker-1': workers['worker-1'].pid, 'worker-2': workers['worker-2'].pid };
			const tables = (await postgres.query("select count(*) from information_schema.tables where table_schema = 'public'"))[0][0];
			ready = true;
			return `${installed.length ? `apt-get installed ${installed.join(', ')}; ` : ''}PostgreSQL ${postgres.version} (${tables} n8n tables), Redis; PIDs ${Object.entries(report.processes).map(([name, pid]) => `${name} ${pid}`).join(', ')}`;
		});
		if (!ready) return report;
		const { postgres } = report;
		const onWorker = (executionId) => Object.values(workers).find((worker) => worker.executions().started.includes(String(executionId)));
		const executionRows = async (workflowId) =>
			(await postgres.query(`select id, status, mode from execution_entity where "workflowId" = '${workflowId}' order by id`)).map(([id, status, mode]) => ({ id, status, mode }));

		// The activation poll sets the trigger's "now".
		await waitFor('the trigger\'s activation poll', async () => (await sandbox.log()).some((entry) => isWRead(entry) && entry.status !== null), { timeoutMs: 60_000 });
		const activatedAt = Date.now();

		let approvedByWebhook = [];
		await check('A Webhook workflow (Get Many → Approve → Export XLSX) runs on a worker; its workbook comes back through the database binary data store', async () => {
			const response = await fetch(`${main.baseUrl}/webhook/${WEBHOOK_PATH}`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
			const bytes = Buffer.from(await response.arrayBuffer());
			assert.equal(response.status, 200, bytes.toString('utf8').slice(0, 300));
			const { readSheet } = require('read-excel-file/node');
			const rows = await readSheet(bytes);
			const approved = await sandbox.listAll('approvement_status=approved');
			const log = await sandbox.log();
			const approves = log.filter((entry) => entry.method === 'POST' && /\/v1\/invoices\/[^/]+\/approve$/.test(entry.path));
			approvedByWebhook = approves.map((entry) => entry.path.split('/')[3]);
			assert.equal(approvedByWebhook.length, 3, 'three approvals');
			for (const uid of approvedByWebhook) assert.ok(approved.some((invoice) => invoice.uid === uid), `${uid} approved`);
			assert.deepEqual(rows.slice(1).map((row) => row[1]).sort(), approved.map((invoice) => invoice.uid).sort(), 'the workbook lists every approved invoice');
			const [execution] = await executionRows(IDS.webhook);
			assert.ok(execution && execution.status === 'success', JSON.stringify(execution));
			const worker = onWorker(execution.id);
			assert.ok(worker, `execution ${execution.id} started by a worker (their logs)`);
			assert.match(main.serverOutput(), new RegExp(`Enqueued execution ${execution.id} `), 'main enqueued it');
			report.webhook = { execution: execution.id, worker: worker.name, rows: rows.length - 1, bytes: bytes.length };
			return `execution ${execution.id} (mode ${execution.mode}) enqueued by main, run by ${worker.name}; ${bytes.length}-byte workbook with ${rows.length - 1} rows; 3 invoices approved`;
		});

		await check('Example "Approved invoice → accounting" (Download File on): polled on main, executed on the workers, each booking with the invoice\'s file', async () => {
			await waitFor('the three approvals in accounting', () => approvedByWebhook.every((uid) => accounting.journal(uid).length >= 1), { timeoutMs: 150_000, intervalMs: 1000 });
			const rows = (await executionRows(IDS.accounting)).filter((row) => row.status === 'success');
			assert.ok(rows.length >= 1);
			for (const row of rows) {
				assert.equal(row.mode, 'trigger');
				assert.ok(onWorker(row.id), `execution ${row.id} ran on a worker`);
				assert.match(main.serverOutput(), new RegExp(`Enqueued execution ${row.id} `), `main enqueued ${row.id} (its poll)`);
			}
			for (const uid of approvedByWebhook) {
				const detail = await sandbox.expectOk('GET', `/v1/invoices/${uid}`);
				const original = Buffer.from(await (await fetch(detail.file, { signal: AbortSignal.timeout(10_000) })).arrayBuffer());
				const booking = accounting.received.find((request) => request.fields && request.fields.billover_uid === uid);
				assert.ok(booking.files.file && booking.files.file.bytes.equals(original), `${detail.hf_id}: the file is the invoice's original`);
			}
			const binaries = (await postgres.query('select count(*), coalesce(sum("fileSize"), 0) from binary_data'))[0];
			assert.ok(Number(binaries[0]) >= 3, `binary_data rows: ${binaries[0]}`);
			report.trigger = { executions: rows.map((row) => `${row.id}@${onWorker(row.id).name}`), binaryRows: Number(binaries[0]), binaryBytes: Number(binaries[1]) };
			return `executions ${report.trigger.executions.join(', ')} (mode trigger, enqueued by main); 3 bookings with their original files; binary_data in Postgres: ${binaries[0]} files, ${binaries[1]} bytes`;
		});

		await check('A worker killed (SIGKILL) during an execution, main restarted: every approval reaches accounting once by event id; what n8n lost, counted', async () => {
			const rng = mulberry32(17);
			approver = startActor({ account: sandboxAccount(sandbox), seed: 17, ...PROFILES.queue });
			// An execution on a worker, held up by a slow accounting system: kill that worker.
			await sleep(20_000);
			accounting.setDelay(8000);
			const count = accounting.received.length;
			await waitFor('an execution waiting for the accounting system', () => accounting.received.length > count && accounting.pending() > 0, { timeoutMs: 150_000, intervalMs: 100 });
			await sleep(1000);
			const busy = Object.values(workers).filter((worker) => {
				const { started, finished } = worker.executions();
				return started.some((entry) => !finished.includes(entry));
			});
			assert.ok(busy.length >= 1, 'a worker with an execution running');
			const victim = busy[Math.floor(rng() * busy.length)];
			const open = victim.executions().started.filter((entry) => !victim.executions().finished.includes(entry));
			await victim.stop({ kill: true });
			accounting.setDelay(0);
			report.crash.killedWorker = victim.name;
			report.crash.runningOnKilledWorker = open;
			await sleep(5000);
			workers[victim.name] = await main.startWorker({ name: `${victim.name}-restarted` });
			workers[`${victim.name}-killed`] = victim;

			// Main restarted 75 s later: Bull has given up on the killed job by then
			// (lock 60 s, stall check every 30 s), so main's queue recovery at start finds it.
			await sleep(75_000);
			await main.stop();
			await sleep(3000);
			await main.start();
			await main.setupOwner();
			report.crash.mainRestartedAt = new Date().toISOString();
			await sleep(40_000);
			await approver.stop();
			const quietAt = Date.now();
			await waitFor(
				'a poll after the account went quiet, and every execution not lost finished',
				async () => {
					const polled = (await sandbox.log()).some((entry) => entry.receivedAt > quietAt + 3000 && isWRead(entry) && entry.status !== null);
					const rows = await executionRows(IDS.accounting);
					return polled && rows.every((row) => !['new', 'running', 'waiting'].includes(row.status) || open.includes(row.id)) && accounting.pending() === 0;
				},
				{ timeoutMs: 150_000, intervalMs: 2000 },
			);
			await sleep(3000);

			// The truth: every approval since the activation poll (no approval is removed here).
			const { toUtcIso } = trackerModule('time', installedPack(nodesDir));
			const approvals = (await sandbox.transitions()).filter((t) => t.type === 'approved' && Date.parse(t.at) > activatedAt - 1000).map((t) => `invoice.approved:${t.uid}:${toUtcIso(t.historyAt)}`);
			const booked = new Set(accounting.ledger.keys());
			const rows = await executionRows(IDS.accounting);
			const statuses = {};
			for (const row of rows) statuses[row.status] = (statuses[row.status] || 0) + 1;
			const perWorker = {};
			for (const row of rows) {
				const worker = onWorker(row.id);
				const name = worker ? worker.name.replace('-restarted', '') : 'none';
				perWorker[name] = (perWorker[name] || 0) + 1;
			}
			const lost = rows.filter((row) => row.status !== 'success');
			let redelivered = 0;
			const inLost = [];
			for (const row of rows) {
				const execution = await main.execution(row.id).catch(() => undefined);
				const runs = execution && execution.data && execution.data.resultData.runData[TRIGGER];
				const items = (runs && runs[0] && runs[0].data && runs[0].data.main[0]) || [];
				if (row.status === 'success') redelivered += items.filter((item) => item.json.redelivered).length;
				else inLost.push(...items.map((item) => item.json.event_id).filter(Boolean));
			}
			Object.assign(report.crash, {
				approvals: approvals.length,
				approver: approver.done,
				booked: booked.size,
				missed: approvals.filter((id) => !booked.has(id)),
				wrongIds: [...booked].filter((id) => !approvals.includes(id)),
				repeatsAbsorbed: accounting.repeats(),
				executions: rows.length,
				statuses,
				perWorker,
				lostExecutions: lost.map((row) => `${row.id} ${row.status}`),
				eventsInLostExecutions: inLost.length,
				eventsInLostExecutionsBookedLater: inLost.filter((id) => booked.has(id)).length,
				itemsRedelivered: redelivered,
			});
			const c = report.crash;
			const summary = `killed ${c.killedWorker} while it ran execution(s) ${c.runningOnKilledWorker.join(', ')}; main restarted once\n      approvals ${c.approvals} (${c.approver.approve} by the actor, ${c.approver.create} uploads): booked ${c.booked}, missed ${c.missed.length}, wrong ids ${c.wrongIds.length}, repeats absorbed by the event id ${c.repeatsAbsorbed}\n      n8n: ${c.executions} executions ${JSON.stringify(c.statuses)} by worker ${JSON.stringify(c.perWorker)}; lost (not success) ${c.lostExecutions.join(', ') || 'none'}, carrying ${c.eventsInLostExecutions} event(s), ${c.eventsInLostExecutionsBookedLater} of them booked by a later execution; items redelivered after main's restart ${c.itemsRedelivered}`;
			assert.ok(c.approvals >= 8, `${summary}\n      enough approvals`);
			assert.deepEqual(c.wrongIds, [], summary);
			assert.deepEqual(c.missed, [], summary);
			return summary;
		});
	} finally {
		if (approver) await approver.stop().catch(() => {});
		for (const stop of stops.reverse()) await stop().catch(() => {});
	}
	delete report.postgres;
	return report;
}

module.exports = { queueScenario, queueEnv };
