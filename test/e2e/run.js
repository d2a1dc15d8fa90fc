#!/usr/bin/env node
'use strict';

/**
 * End-to-end test in real n8n:
 *
 *   npm run test:e2e                    # the CI version (n8n 2.8.4 on this Node)
 *   npm run test:e2e -- --all           # every version of the matrix (n8n-install.js RECIPES)
 *   npm run test:e2e -- 1.123.81 2.8.4  # the versions named
 *   npm run test:e2e -- --keep          # keep the temporary n8n folders
 *   npm run test:e2e -- 2.41.1 --durable   # with n8n's durable poll scheduler (2.32+)
 *   npm run test:e2e -- --no-restarts   # without the restart scenario (./restarts.js)
 *   npm run test:e2e -- --restarts-only # only the restart scenario
 *   npm run test:e2e -- --no-community  # without the Community Nodes install/update scenario (./community.js)
 *   npm run test:e2e -- --community-only   # only that one
 *   npm run test:e2e -- --upgrade 2.8.4 2.41.1   # n8n upgraded under an active trigger (./upgrade.js)
 *   npm run test:e2e -- --queue         # only queue mode (./queue.js): Redis, Postgres, main + 2 workers
 *   npm run test:e2e -- --tarball .cache/pack/n8n-nodes-billover-0.1.0.tgz   # a tarball packed already (or $BILLOVER_TARBALL)
 *
 * Builds the pack and `npm pack`s it (unless given a tarball), installs n8n into .cache/n8n/<version>/
 * (once; reused afterwards), installs the tarball into a fresh n8n user
 * folder's nodes folder and runs ./scenarios.js. Results go to the console
 * and to .cache/e2e/results.json (for the README's Compatibility table).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startAccountingServer } = require('../support/accounting-server');
const { startModelServer } = require('../support/model-server');
const { CI_VERSION, RECIPES, ensureN8n } = require('../support/n8n-install');
const { N8n } = require('../support/n8n');
const { packedTarball } = require('../support/pack');
const { startSandbox } = require('../support/sandbox');
const { parseArgs } = require('../support/util');
const { DURABLE_ENV, restartScenario } = require('./restarts');
const { communityScenario } = require('./community');
const { upgradeScenario } = require('./upgrade');
const { queueScenario } = require('./queue');
const { cliScenarios, serverScenarios } = require('./scenarios');
const { script: modelScript } = require('./agents');

const ROOT = path.join(__dirname, '..', '..');
const RESULTS = path.join(ROOT, '.cache', 'e2e', 'results.json');

function parseOptions(argv) {
	const parsed = parseArgs(
		argv,
		{
			all: { type: 'boolean' },
			keep: { type: 'boolean' },
			durable: { type: 'boolean' },
			'no-restarts': { type: 'boolean' },
			'restarts-only': { type: 'boolean' },
			'no-community': { type: 'boolean' },
			'community-only': { type: 'boolean' },
			upgrade: { type: 'boolean' },
			queue: { type: 'boolean' },
			tarball: { type: 'string' },
		},
		{
			positionals: (value) => /^\d+\.\d+\.\d+$/.test(value),
			usage: `Use --all, --keep, --durable, --no-restarts, --restarts-only, --no-community, --community-only, --upgrade <from> <to>, --queue, --tarball <file> or n8n versions (${Object.keys(RECIPES).join(', ')}).`,
		},
	);
	const versions = [...(parsed.all ? Object.keys(RECIPES) : []), ...parsed.positionals];
	return { ...parsed, restarts: !parsed.noRestarts && !parsed.communityOnly, community: !parsed.noCommunity && !parsed.restartsOnly, versions: [...new Set(versions.length ? versions : [CI_VERSION])] };
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** A recorder of named checks; a failing check is recorded and the run goes on. */
function checker(report, label) {
	return async (name, fn) => {
		const started = Date.now();
		try {
			const detail = await fn();
			report.checks.push({ phase: label, name, ok: true, ms: Date.now() - started, detail: detail === undefined ? undefined : String(detail) });
			console.log(`  ✓ [${report.version} ${label}] ${name} (${seconds(Date.now() - started)})${detail ? `\n      ${detail}` : ''}`);
		} catch (error) {
			report.checks.push({ phase: label, name, ok: false, ms: Date.now() - started, error: error.message });
			console.log(`  ✗ [${report.version} ${label}] ${name} (${seconds(Date.now() - started)})\n      ${String(error.message).split('\n').join('\n      ')}`);
		}
	};
}

/** What the pack's `require`s resolved to in every n8n process (./resolve-probe.js). */
function resolutions(install, instances) {
	const found = {};
	// The probe records real paths; .cache may be reached through a symbolic link.
	const dir = fs.realpathSync(install.dir);
	for (const instance of instances) {
		for (const entry of instance.packResolutions()) {
			const where = path.relative(dir, entry.resolved);
			const key = `${entry.version || entry.resolved}${where.startsWith('..') ? ` (outside n8n: ${entry.resolved})` : ` (${where.split(path.sep).slice(0, 3).join('/')})`}`;
			(found[entry.request] = found[entry.request] || new Set()).add(key);
		}
	}
	return Object.fromEntries(Object.entries(found).map(([request, set]) => [request, [...set]]));
}

async function runVersion(version, pack, options) {
	const report = { version, configuration: [options.queue && 'queue', options.durable && 'durable'].filter(Boolean).join(' + ') || 'classic', date: new Date().toISOString().slice(0, 10), node: undefined, checks: [], timings: {} };
	const check = checker(report, 'setup');
	const started = Date.now();
	let install;
	await check(`n8n ${version} installed in .cache/n8n/${version}`, async () => {
		install = await ensureN8n(version);
		report.node = install.nodeVersion;
		report.timings.installSeconds = install.seconds;
		report.timings.installedNow = install.installedNow;
		return `${install.installedNow ? `installed in ${install.seconds} s` : 'cached'}; runs on node ${install.nodeVersion}`;
	});
	if (!install) return report;

	const root = fs.mkdtempSync(path.join(os.tmpdir(), `billover-e2e-${version}-`));
	const stops = [];
	try {
		const [cliSandbox, serverSandbox, accounting, syncSandbox, syncAccounting, agentsSandbox, model] = await Promise.all([
			startSandbox({ apiKey: 'e2e-cli-key', seed: 1, ocrDelayMs: 2000 }),
			startSandbox({ apiKey: 'e2e-server-key', seed: 2, ocrDelayMs: 1000 }),
			startAccountingServer(),
			startSandbox({ apiKey: 'e2e-sync-key', seed: 4, ocrDelayMs: 1000 }),
			startAccountingServer(),
			startSandbox({ apiKey: 'e2e-agents-key', seed: 6, ocrDelayMs: 1000 }),
			startModelServer(modelScript),
		]);
		stops.push(() => cliSandbox.stop(), () => serverSandbox.stop(), () => accounting.close(), () => syncSandbox.stop(), () => syncAccounting.close(), () => agentsSandbox.stop(), () => model.close());
		const env = options.durable ? DURABLE_ENV : {};
		const cli = new N8n(install, { folder: path.join(root, 'cli'), filesDir: path.join(root, 'files-cli'), env });
		const server = new N8n(install, { folder: path.join(root, 'server'), filesDir: path.join(root, 'files-server'), env });
		stops.push(() => server.stop());

		let packed = false;
		await check('npm install <tarball> in <user folder>/.n8n/nodes', async () => {
			const result = await cli.installPack(pack.tarball);
			fs.cpSync(cli.nodesDir, server.nodesDir, { recursive: true });
			packed = true;
			return `n8n-nodes-billover@${result.version} in ${seconds(result.ms)}; node_modules: ${result.packages.join(', ')}`;
		});
		if (packed && options.queue) {
			const [queueSandbox, queueAccounting] = await Promise.all([startSandbox({ apiKey: 'e2e-queue-key', seed: 5, ocrDelayMs: 1000 }), startAccountingServer()]);
			stops.push(() => queueSandbox.stop(), () => queueAccounting.close());
			const phaseStarted = Date.now();
			report.queue = await queueScenario({ install, nodesDir: cli.nodesDir, root, sandbox: queueSandbox, accounting: queueAccounting, env, check: checker(report, 'queue') });
			report.timings.queueSeconds = Math.round((Date.now() - phaseStarted) / 1000);
		} else if (packed) {
			const phaseStarted = Date.now();
			if (!options.restartsOnly && !options.communityOnly) await Promise.all([
				cliScenarios(cli, cliSandbox, cli.filesDir, checker(report, 'execute')).catch((error) => checker(report, 'execute')('CLI scenarios', () => Promise.reject(error))),
				serverScenarios(server, serverSandbox, accounting, server.filesDir, checker(report, 'server'), { sandbox: syncSandbox, accounting: syncAccounting }, { sandbox: agentsSandbox, model }).catch((error) =>
					checker(report, 'server')('server scenarios', () => Promise.reject(error)),
				),
			]);
			report.timings.scenariosSeconds = Math.round((Date.now() - phaseStarted) / 1000);
			await server.stop();
			// The restart and Community Nodes scenarios mostly wait for the triggers' polls: side by side.
			const restartsRun = async () => {
				const restartsStarted = Date.now();
				const [sandbox, restartAccounting] = await Promise.all([startSandbox({ apiKey: 'e2e-restart-key', seed: 3, ocrDelayMs: 2000 }), startAccountingServer()]);
				stops.push(() => sandbox.stop(), () => restartAccounting.close());
				const restarts = new N8n(install, { folder: path.join(root, 'restarts'), filesDir: path.join(root, 'files-restarts'), env, probe: false });
				stops.push(() => restarts.stop());
				fs.cpSync(cli.nodesDir, restarts.nodesDir, { recursive: true });
				report.restarts = await restartScenario({ n8n: restarts, sandbox, accounting: restartAccounting, check: checker(report, 'restarts') }).catch((error) =>
					checker(report, 'restarts')('restart scenario', () => Promise.reject(error)),
				);
				report.timings.restartsSeconds = Math.round((Date.now() - restartsStarted) / 1000);
			};
			const communityRun = async () => {
				const communityStarted = Date.now();
				const [sandbox, communityAccounting] = await Promise.all([startSandbox({ apiKey: 'e2e-community-key', seed: 8, ocrDelayMs: 1000 }), startAccountingServer()]);
				stops.push(() => sandbox.stop(), () => communityAccounting.close());
				report.community = await communityScenario({ install, root, tarball: pack.tarball, sandbox, accounting: communityAccounting, env, check: checker(report, 'community') }).catch((error) =>
					checker(report, 'community')('Community Nodes scenario', () => Promise.reject(error)),
				);
				report.timings.communitySeconds = Math.round((Date.now() - communityStarted) / 1000);
			};
			await Promise.all([options.restarts && restartsRun(), options.community && communityRun()]);
			if (!options.restartsOnly && !options.communityOnly) await check('The pack\'s require("zod") and require("n8n-workflow") resolve to n8n\'s own copies', async () => {
				const found = resolutions(install, [cli, server]);
				report.resolutions = found;
				for (const request of ['zod', 'n8n-workflow']) {
					if (!found[request]) throw new Error(`no record of require("${request}") from the pack`);
					if (found[request].some((entry) => entry.includes('outside n8n'))) throw new Error(`${request}: ${found[request].join('; ')}`);
				}
				return Object.entries(found)
					.map(([request, list]) => `${request} → ${list.join('; ')}`)
					.join('\n      ');
			});
		}
	} catch (error) {
		await check('run', () => Promise.reject(error));
	} finally {
		for (const stop of stops.reverse()) await stop().catch(() => {});
		report.timings.totalSeconds = Math.round((Date.now() - started) / 1000);
		report.passed = report.checks.every((entry) => entry.ok);
		if (report.passed && !options.keep) fs.rmSync(root, { recursive: true, force: true });
		else console.log(`  n8n folders kept in ${root}`);
	}
	return report;
}

/** `--upgrade <from> <to>`: one user folder, n8n upgraded under an active trigger (./upgrade.js). */
async function runUpgrade([fromVersion, toVersion], pack, options) {
	const report = { version: `${fromVersion} → ${toVersion}`, configuration: 'upgrade', date: new Date().toISOString().slice(0, 10), checks: [], timings: {} };
	const check = checker(report, 'upgrade');
	const started = Date.now();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), `billover-e2e-upgrade-`));
	const stops = [];
	try {
		const from = await ensureN8n(fromVersion);
		const to = await ensureN8n(toVersion);
		report.node = `${from.nodeVersion} → ${to.nodeVersion}`;
		const holder = new N8n(from, { folder: path.join(root, 'pack'), probe: false });
		await holder.installPack(pack.tarball);
		const [sandbox, accounting] = await Promise.all([startSandbox({ apiKey: 'e2e-upgrade-key', seed: 12, ocrDelayMs: 1000 }), startAccountingServer()]);
		stops.push(() => sandbox.stop(), () => accounting.close());
		report.upgrade = await upgradeScenario({ from, to, root, packNodesDir: holder.nodesDir, sandbox, accounting, check }).catch((error) => check('upgrade scenario', () => Promise.reject(error)));
	} finally {
		for (const stop of stops.reverse()) await stop().catch(() => {});
		report.timings.totalSeconds = Math.round((Date.now() - started) / 1000);
		report.passed = report.checks.length > 0 && report.checks.every((entry) => entry.ok);
		if (report.passed && !options.keep) fs.rmSync(root, { recursive: true, force: true });
		else console.log(`  n8n folder kept in ${root}`);
	}
	return report;
}

function saveResults(reports) {
	fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
	let all = {};
	try {
		all = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
	} catch {}
	for (const report of reports) all[report.configuration === 'classic' ? report.version : `${report.version} ${report.configuration}`] = report;
	fs.writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
}

async function main() {
	const options = parseOptions(process.argv.slice(2));
	const started = Date.now();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-e2e-pack-'));
	console.log(`== e2e: n8n ${options.versions.join(', ')} (node ${process.version})`);
	let pack;
	try {
		pack = await packedTarball(options.tarball, workDir);
		console.log(`== ${pack.built ? 'built and packed' : 'packed already'}: ${pack.built ? path.basename(pack.tarball) : pack.tarball} (${pack.files} files, ${seconds(Date.now() - started)})`);
		const reports = [];
		if (options.upgrade) {
			if (options.positionals.length !== 2) throw new Error('--upgrade takes two n8n versions: from, to');
			console.log(`== n8n ${options.positionals.join(' → ')} (upgrade)`);
			reports.push(await runUpgrade(options.positionals, pack, options));
		} else {
			for (const version of options.versions) {
				console.log(`== n8n ${version}`);
				reports.push(await runVersion(version, pack, options));
			}
		}
		saveResults(reports);
		console.log('\n== Summary');
		for (const report of reports) {
			const failed = report.checks.filter((entry) => !entry.ok);
			console.log(
				`  n8n ${report.version}${report.configuration === 'classic' ? '' : ` (${report.configuration})`} on node ${report.node || '?'}: ${failed.length ? `FAILED (${failed.length} of ${report.checks.length} checks)` : `passed (${report.checks.length} checks)`}, ${report.timings.totalSeconds} s${report.timings.installedNow ? ` (n8n installed in ${report.timings.installSeconds} s)` : ''}`,
			);
			for (const entry of failed) console.log(`    ✗ ${entry.name}`);
		}
		console.log(`== e2e done in ${seconds(Date.now() - started)}; results in ${path.relative(ROOT, RESULTS)}`);
		process.exitCode = reports.every((report) => report.passed) ? 0 : 1;
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
