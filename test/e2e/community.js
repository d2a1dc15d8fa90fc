'use strict';

/**
 * The pack as users get it: installed and updated from n8n's Community
 * Nodes page, here through the REST calls the Settings page makes, from an
 * npm registry on loopback (test/support/npm-registry.js) that serves the
 * packed tarball; then the next version published, shown by n8n as an
 * update, and installed in place **while the trigger is active and the
 * account keeps changing**; then uninstalled.
 *
 * n8n allows a registry other than npm's only with a licence feature
 * (`feat:communityNodes:customRegistry`); its own end-to-end test mode
 * (`E2E_TESTS=true`) lets `PATCH /rest/e2e/feature` switch it on. n8n
 * installs with `npm pack` / `npm install --registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>`
 * and looks for updates with `npm outdated` in its nodes folder, which reads
 * npm's own registry setting; n8n 1.x runs it with only PATH and NODE_PATH of
 * its environment, so the setting goes where npm finds it then too: an
 * `.npmrc` in the nodes folder (what a self-hoster with a private registry
 * writes). Both point at the loopback registry.
 *
 * Checked against the sandbox's own record and the accounting ledger, as
 * the restart scenario does (./restarts.js): every approval a poll saw,
 * before and after the update, booked once by its event id; none emitted
 * twice; the same n8n process throughout.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { PROFILES, sandboxAccount, startActor } = require('../support/actor');
const { installedPack } = require('../support/dist');
const { N8n } = require('../support/n8n');
const { repackAs, startRegistry } = require('../support/npm-registry');
const { waitFor } = require('../support/processes');
const { sleep } = require('../support/util');
const wf = require('../support/workflows');
const { bookings, isWRead, polls } = require('./restarts');

const PACKAGE = 'n8n-nodes-billover';
const WORKFLOW_ID = 'e2eCommunity0001';
const TRIGGER = 'Invoice approved';
const CUSTOM_REGISTRY = 'feat:communityNodes:customRegistry';

/** The installed packages as the Settings page lists them. */
async function listed(n8n) {
	const body = await n8n.httpOk('GET', '/rest/community-packages');
	return (body.data || body).find((entry) => entry.packageName === PACKAGE);
}

async function timed(fn) {
	const started = Date.now();
	const value = await fn();
	return { value, ms: Date.now() - started };
}

/** Activates a workflow over REST as the editor does (2.x publishes a version; 1.x sets `active`). */
async function activate(n8n, id) {
	const workflow = await n8n.httpOk('GET', `/rest/workflows/${id}`);
	const { versionId } = workflow.data || workflow;
	const response = await n8n.http('POST', `/rest/workflows/${id}/activate`, { versionId });
	if (response.status === 404) return n8n.httpOk('PATCH', `/rest/workflows/${id}`, { active: true, versionId });
	if (response.status >= 300) throw new Error(`activate ${id}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
	return response.body;
}

async function deactivate(n8n, id) {
	const response = await n8n.http('POST', `/rest/workflows/${id}/deactivate`, {});
	if (response.status === 404) return n8n.httpOk('PATCH', `/rest/workflows/${id}`, { active: false });
	if (response.status >= 300) throw new Error(`deactivate ${id}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
	return response.body;
}

/**
 * @param {object} args
 * @param {object} args.install        ../support/n8n-install.js ensureN8n()
 * @param {string} args.root           a temporary folder for n8n's user folder and the repacked tarball
 * @param {string} args.tarball        the packed pack (the version "published" first)
 * @param {import('../support/sandbox').Sandbox} args.sandbox
 * @param {object} args.accounting     ../support/accounting-server.js
 * @param {object} [args.env]          n8n settings (the durable scheduler's, when asked)
 * @param {Function} args.check
 */
async function communityScenario({ install, root, tarball, sandbox, accounting, env = {}, check }) {
	const registry = await startRegistry();
	const report = { installMs: undefined, updateMs: undefined };
	const n8n = new N8n(install, {
		folder: path.join(root, 'community'),
		filesDir: path.join(root, 'files-community'),
		probe: false,
		env: {
			...env,
			E2E_TESTS: 'true',
			N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
		},
	});
	// `npm outdated` (the update check) reads npm's own registry setting (see above).
	fs.writeFileSync(path.join(n8n.nodesDir, '.npmrc'), `registry=${registry.url}/\nupdate-notifier=false\n`);
	let actor;
	try {
		const first = registry.publish(tarball);
		const next = repackAs(tarball, nextVersion(first.version), path.join(root, 'next-release'));
		await n8n.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox)]);
		await n8n.importWorkflows([wf.accountingExample({ id: WORKFLOW_ID, accountingUrl: accounting.url, everyMinute: true })]);

		let installed = false;
		await check(`Community Nodes: ${PACKAGE} installed from a registry on loopback as the Settings page does (POST /rest/community-packages), its nodes there without a restart`, async () => {
			await n8n.start();
			await n8n.setupOwner();
			await n8n.httpOk('PATCH', '/rest/e2e/feature', { feature: CUSTOM_REGISTRY, enabled: true });
			const names = async () => (await n8n.nodeTypes()).map((type) => type.name);
			assert.ok(!(await names()).includes(`${PACKAGE}.billOverTrigger`), 'not there before the install');
			const { value, ms } = await timed(() => n8n.httpOk('POST', '/rest/community-packages', { name: PACKAGE }));
			report.installMs = ms;
			const installedNow = value.data || value;
			assert.equal(installedNow.installedVersion, first.version);
			// The editor's list of node types is written again after the install (not in the same request).
			await waitFor('the node types n8n lists to include the pack\'s', async () => {
				const now = await names();
				return ['billOver', 'billOverTrigger', 'billOverTool'].every((name) => now.includes(`${PACKAGE}.${name}`));
			}, { timeoutMs: 30_000, intervalMs: 500 });
			assert.ok(registry.requests.some((entry) => entry.path.endsWith(`${PACKAGE}-${first.version}.tgz`)), 'the tarball came from the loopback registry');
			installed = true;
			return `${PACKAGE}@${first.version} in ${(ms / 1000).toFixed(1)} s; nodes: ${installedNow.installedNodes.map((node) => node.name).join(', ')}`;
		});
		if (!installed) return report;

		const pid = n8n.server.pid;
		const started = Date.now();
		await activate(n8n, WORKFLOW_ID);
		await waitFor('the activation poll', async () => (await sandbox.log()).some(isWRead), { timeoutMs: 60_000 });
		actor = startActor({ account: sandboxAccount(sandbox), seed: 21, ...PROFILES.restarts });
		await polls(sandbox, 1);

		await check(`Community Nodes: the next version (${next.split('-').pop().replace('.tgz', '')}) published is shown as an update`, async () => {
			registry.publish(next);
			const entry = await listed(n8n);
			assert.equal(entry.installedVersion, first.version);
			assert.equal(entry.updateAvailable, nextVersion(first.version), JSON.stringify(entry));
			return `installed ${entry.installedVersion}, update available: ${entry.updateAvailable}`;
		});

		await check('Community Nodes: updated in place (PATCH) while the trigger is active and the account keeps changing: same n8n process, no restart', async () => {
			const { value, ms } = await timed(() => n8n.httpOk('PATCH', '/rest/community-packages', { name: PACKAGE }));
			report.updateMs = ms;
			const updated = value.data || value;
			assert.equal(updated.installedVersion, nextVersion(first.version));
			assert.equal(JSON.parse(fs.readFileSync(path.join(n8n.nodesDir, 'node_modules', PACKAGE, 'package.json'), 'utf8')).version, nextVersion(first.version));
			assert.equal(n8n.server.pid, pid, 'the same n8n process');
			assert.equal(await Promise.race([n8n.server.exited, sleep(0).then(() => null)]), null, 'n8n still running');
			return `${first.version} → ${updated.installedVersion} in ${(ms / 1000).toFixed(1)} s`;
		});

		await check('Community Nodes: across the update, every approval a poll saw is booked once by its event id; none emitted twice; the trigger went on from its state', async () => {
			await polls(sandbox, 2);
			await actor.stop();
			actor = undefined;
			const quietAt = Date.now();
			await waitFor(
				'a poll after the account went quiet, and every execution finished',
				async () => {
					const polled = (await sandbox.log()).some((entry) => entry.receivedAt > quietAt + 5000 && isWRead(entry) && entry.status !== null);
					if (!polled) return false;
					const executions = await n8n.allExecutions(WORKFLOW_ID);
					return executions.every((entry) => !['running', 'new', 'waiting'].includes(entry.status)) && Date.now() > quietAt + 20_000;
				},
				{ timeoutMs: 150_000, intervalMs: 2000 },
			);
			const transitions = await sandbox.transitions();
			const log = await sandbox.log();
			const wReads = log.filter(isWRead).map((entry) => entry.receivedAt);
			Object.assign(report, bookings({ transitions, wReads, packRoot: installedPack(n8n.nodesDir), accounting }));
			const emitted = new Map();
			const executions = await n8n.allExecutions(WORKFLOW_ID);
			for (const summary of executions) {
				const execution = await n8n.execution(summary.id);
				const runs = execution.data.resultData.runData[TRIGGER];
				for (const item of (runs && runs[0].data.main[0]) || []) emitted.set(item.json.event_id, (emitted.get(item.json.event_id) || 0) + 1);
			}
			report.emittedTwice = [...emitted.values()].filter((times) => times > 1).length;
			report.executions = executions.length;
			report.failedExecutions = executions.filter((entry) => entry.status !== 'success').length;
			report.seconds = Math.round((Date.now() - started) / 1000);
			const summary = `${report.approvals} approvals, ${report.expected} seen by a poll, ${report.missed.length} missed, ${report.received} booked, ${report.repeatsAbsorbed} repeats absorbed, ${report.emittedTwice} emitted twice, ${report.executions} executions (${report.failedExecutions} failed), ${report.seconds} s`;
			assert.ok(report.expected >= 3, `enough approvals seen by polls: ${summary}`);
			assert.deepEqual(report.missed, [], summary);
			assert.deepEqual(report.wrongIds, [], summary);
			assert.equal(report.emittedTwice, 0, summary);
			assert.equal(report.failedExecutions, 0, summary);
			assert.equal(n8n.server.pid, pid, 'the same n8n process');
			return summary;
		});

		await check('Community Nodes: uninstalled (DELETE) after the workflow is deactivated: its nodes gone, its folder removed', async () => {
			await deactivate(n8n, WORKFLOW_ID);
			const { ms } = await timed(() => n8n.httpOk('DELETE', `/rest/community-packages?name=${PACKAGE}`));
			const names = (await n8n.nodeTypes()).map((type) => type.name);
			assert.ok(!names.some((name) => name.startsWith(`${PACKAGE}.`)), names.filter((name) => name.startsWith(PACKAGE)).join(', '));
			assert.ok(!fs.existsSync(path.join(n8n.nodesDir, 'node_modules', PACKAGE)), 'the package folder is gone');
			assert.equal(await listed(n8n), undefined);
			return `in ${(ms / 1000).toFixed(1)} s`;
		});
		return report;
	} finally {
		if (actor) await actor.stop();
		await n8n.stop();
		await registry.close();
	}
}

/** 0.1.0 → 0.1.1 */
function nextVersion(version) {
	const [major, minor, patch] = version.split('.').map(Number);
	return `${major}.${minor}.${patch + 1}`;
}

module.exports = { communityScenario };
