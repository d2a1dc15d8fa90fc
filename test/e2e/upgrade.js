'use strict';

/**
 * n8n itself upgraded under an active trigger, as self-hosters do: one user
 * folder (its SQLite database holds the workflow, its executions and the
 * trigger's stored state) with the "Approved invoice → accounting" example
 * active on the older n8n while a random actor changes the account; n8n
 * stopped and started again on the newer one (its database migrated on
 * start); then again with the durable poll scheduler switched on.
 *
 * Checked against the sandbox's record and the accounting ledger, as the
 * restart scenario does (./restarts.js): every approval a completed poll
 * saw, in any of the three lives, booked once by its event id; none emitted
 * twice by the trigger (redelivery after each restart aside, which the
 * ledger absorbs by key).
 *
 *   npm run test:e2e -- --upgrade 2.8.4 2.41.1
 */
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { PROFILES, sandboxAccount, startActor } = require('../support/actor');
const { installedPack } = require('../support/dist');
const { N8n } = require('../support/n8n');
const { waitFor } = require('../support/processes');
const wf = require('../support/workflows');
const { DURABLE_ENV, bookings, isWRead, polls } = require('./restarts');

const WORKFLOW_ID = 'e2eUpgrade000001';
const TRIGGER = 'Invoice approved';

/**
 * The durable scheduler's rows for the workflow (table `poller_state`, n8n 2.41.1), read with the
 * newer n8n's Node.js (24: `node:sqlite`).
 */
function pollerState(install, folder, workflowId) {
	const script = `const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1], { readOnly: true });
console.log(JSON.stringify(db.prepare('SELECT nodeId, cursor FROM poller_state WHERE workflowId = ?').all(process.argv[2])));`;
	const rows = JSON.parse(execFileSync(install.node, ['-e', script, path.join(folder, '.n8n', 'database.sqlite'), workflowId], { encoding: 'utf8' }));
	return rows.map((row) => ({ nodeId: row.nodeId, cursor: JSON.parse(row.cursor) }));
}

/**
 * @param {object} args
 * @param {object} args.from          ensureN8n() of the older n8n
 * @param {object} args.to            ensureN8n() of the newer n8n
 * @param {string} args.root          a temporary folder
 * @param {string} args.packNodesDir  a nodes folder with the pack installed
 * @param {import('../support/sandbox').Sandbox} args.sandbox
 * @param {object} args.accounting
 * @param {Function} args.check
 */
async function upgradeScenario({ from, to, root, packNodesDir, sandbox, accounting, check }) {
	const folder = path.join(root, 'upgrade');
	const filesDir = path.join(root, 'files-upgrade');
	const lives = [];
	const report = {};
	let actor;
	let current;
	const live = async (install, env, label) => {
		current = new N8n(install, { folder, filesDir, env, probe: false });
		const startedAt = Date.now();
		// The first start of the newer n8n migrates the database before it answers.
		await current.start({ timeoutMs: 600_000 });
		await current.setupOwner();
		lives.push({ label, startedAt, startSeconds: Math.round((Date.now() - startedAt) / 1000) });
	};
	const end = async () => {
		await current.stop();
		lives[lives.length - 1].endedAt = Date.now();
	};
	try {
		await check(`n8n upgraded under an active trigger: ${from.version} (node ${from.nodeVersion}) → ${to.version} (node ${to.nodeVersion}) → ${to.version} with the durable scheduler; every approval a poll saw booked once`, async () => {
			const first = new N8n(from, { folder, filesDir, probe: false });
			fs.cpSync(packNodesDir, first.nodesDir, { recursive: true });
			await first.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox)]);
			await first.importWorkflows([wf.accountingExample({ id: WORKFLOW_ID, accountingUrl: accounting.url, everyMinute: true })]);
			await first.activate(WORKFLOW_ID);

			await live(from, {}, from.version);
			await waitFor('the activation poll', async () => (await sandbox.log()).some(isWRead), { timeoutMs: 60_000 });
			actor = startActor({ account: sandboxAccount(sandbox), seed: 33, ...PROFILES.restarts });
			await polls(sandbox, 2);
			await end();

			// What the migration does to the trigger's stored state: n8n's own export of the workflow
			// (every n8n command migrates the database first) before and after.
			const before = (await new N8n(from, { folder, filesDir, probe: false }).exportWorkflow(WORKFLOW_ID)).staticData;
			const migrating = Date.now();
			const after = (await new N8n(to, { folder, filesDir, probe: false }).exportWorkflow(WORKFLOW_ID, { timeoutMs: 600_000 })).staticData;
			report.migrationSeconds = Math.round((Date.now() - migrating) / 1000);
			assert.ok(before && Object.keys(before).some((key) => key.startsWith('node:')), `the trigger's state stored by ${from.version}: ${JSON.stringify(before).slice(0, 200)}`);
			assert.deepEqual(after, before, 'the database migration changed the stored static data');
			report.staticData = `kept by the migration (${JSON.stringify(before).length} characters: ${Object.keys(before).join(', ')})`;

			await live(to, {}, `${to.version} (database migrated)`);
			await polls(sandbox, 2);
			await end();

			await live(to, DURABLE_ENV, `${to.version}, durable scheduler`);
			await polls(sandbox, 2);
			await actor.stop();
			actor = undefined;
			await polls(sandbox, 1);
			report.pollerState = pollerState(to, folder, WORKFLOW_ID);
			assert.ok(report.pollerState.length === 1 && Object.keys(report.pollerState[0].cursor).length > 0, `the durable scheduler's cursor: ${JSON.stringify(report.pollerState).slice(0, 300)}`);
			const executions = await current.allExecutions(WORKFLOW_ID);
			const emitted = new Map();
			for (const summary of executions) {
				const execution = await current.execution(summary.id).catch(() => undefined);
				const runs = execution && execution.data && execution.data.resultData.runData[TRIGGER];
				for (const item of (runs && runs[0].data.main[0]) || []) {
					if (!item.json.redelivered) emitted.set(item.json.event_id, (emitted.get(item.json.event_id) || 0) + 1);
				}
			}
			await end();

			const aliveUntil = (at) => {
				const life = lives.find((entry) => entry.startedAt - 15_000 <= at && at <= entry.endedAt);
				return life ? life.endedAt : -Infinity;
			};
			const wReads = (await sandbox.log())
				.filter(isWRead)
				.map((entry) => entry.receivedAt)
				.filter((at) => aliveUntil(at) > at + 15_000);
			Object.assign(report, bookings({ transitions: await sandbox.transitions(), wReads, packRoot: installedPack(path.join(folder, '.n8n', 'nodes')), accounting }));
			report.executions = executions.length;
			report.failed = executions.filter((entry) => entry.status !== 'success').length;
			report.emittedTwice = [...emitted.values()].filter((times) => times > 1).length;
			report.lives = lives.map((entry) => `${entry.label}: up in ${entry.startSeconds} s, ran ${Math.round((entry.endedAt - entry.startedAt) / 1000)} s`);
			const summary = `static data ${report.staticData}, migration ${report.migrationSeconds} s; durable cursor seeded (${JSON.stringify(report.pollerState[0].cursor).length} characters); ${report.approvals} approvals, ${report.expected} seen by a poll (uncertain ${report.uncertain}), ${report.missed.length} missed, ${report.received} booked, ${report.repeatsAbsorbed} repeats absorbed by the event id, ${report.emittedTwice} emitted twice, ${report.executions} executions (${report.failed} not successful); lives: ${report.lives.join('; ')}`;
			assert.ok(report.expected >= 3, `enough approvals seen: ${summary}`);
			assert.deepEqual(report.missed, [], summary);
			assert.deepEqual(report.wrongIds, [], summary);
			assert.equal(report.emittedTwice, 0, summary);
			return summary;
		});
	} finally {
		if (actor) await actor.stop();
		if (current) await current.stop();
	}
	return report;
}

module.exports = { upgradeScenario };
