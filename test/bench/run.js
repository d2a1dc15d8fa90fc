'use strict';

/**
 * `npm run bench`: the BillOver nodes against a raw undici client, side by
 * side, and BENCHMARKS.md rewritten with the figures.
 *
 * Processes: the simulator (simProcess.js) and each measured client
 * (worker.js: "node" = the built nodes on n8n-core's engine, "raw" = undici)
 * run in processes of their own; this one only steers and records. Runs of
 * the clients alternate (node, raw, node, raw, ...), at 0 ms and at 20 ms of
 * added latency per request. Set-up between runs (undoing approvals, removing
 * uploads, seeding new invoices) is done on the simulator's store and is not
 * measured.
 *
 * Environment: BENCH_RUNS (default and minimum 5) runs per figure;
 * BENCH_SMOKE=1 runs everything small and twice, into a temporary file
 * instead of BENCHMARKS.md (to try changes to the benchmark quickly).
 * The raw results are kept in <tmp>/billover-bench-results.json;
 * `node test/bench/run.js --render <that file>` writes BENCHMARKS.md from
 * them again (after a change to report.js) without measuring.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { start } = require('./ipc');
const { watch } = require('./machineLoad');
const { summarize } = require('./stats');
const { renderReport } = require('./report');

const ROOT = path.join(__dirname, '..', '..');
const SIM = path.join(__dirname, 'simProcess.js');
const WORKER = path.join(__dirname, 'worker.js');
const COLD_LOAD = path.join(__dirname, 'coldLoad.js');
const SMOKE = process.env.BENCH_SMOKE === '1';
const OUTPUT = SMOKE ? path.join(os.tmpdir(), 'BENCHMARKS.smoke.md') : path.join(ROOT, 'BENCHMARKS.md');

const RUNS = SMOKE ? 2 : Math.max(5, Number(process.env.BENCH_RUNS) || 5);
const LATENCIES = [0, 20];
const INVOICES = SMOKE ? 1_000 : 10_000;
const ITEMS = SMOKE ? 60 : 1_000;
const PARALLEL = 4;
const FILE_BYTES = (SMOKE ? 5 : 50) * 1024 * 1024;
const TRIGGER_INVOICES = SMOKE ? 5_000 : 100_000;
const UNDECIDED = 50;
const NEW_INVOICES = SMOKE ? 150 : 1_000;
const COLD_LOAD_RUNS = SMOKE ? 2 : 7;

const log = (...parts) => process.stdout.write(`${parts.join(' ')}\n`);

function checkBuilt() {
	for (const file of ['dist/nodes/BillOver/BillOver.node.js', 'dist/nodes/BillOverTrigger/BillOverTrigger.node.js', 'dist/credentials/BillOverApi.credentials.js']) {
		if (!fs.existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run "npm run build" first (npm run bench does)`);
	}
}

function version(name) {
	return require(require.resolve(`${name}/package.json`, { paths: [ROOT] })).version;
}

function machine() {
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'nodes', 'credentials', 'test/bench', 'test/harness'], { cwd: ROOT, encoding: 'utf8' }).trim();
		if (dirty) commit += ' (with uncommitted changes)';
	} catch {
		// not a git checkout
	}
	const cpus = os.cpus();
	return {
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		cores: cpus.length,
		memoryGb: os.totalmem() / 1024 ** 3,
		os: `${os.type()} ${os.release()} (${os.arch()})`,
		node: process.version,
		n8nCore: version('n8n-core'),
		n8nWorkflow: version('n8n-workflow'),
		undici: version('undici'),
		pack: require(path.join(ROOT, 'package.json')).version,
		commit,
	};
}

/** A measured series: one client doing one scenario at one latency. */
function series(fields) {
	return { runs: [], ...fields };
}

/**
 * Other work (cores busy) above which a run of 0.2 s or more is measured again: at most
 * RETRIES times per run and TOTAL_RETRIES in all, so the time stays bounded.
 */
const BUSY = 0.3;
const RETRIES = 2;
const TOTAL_RETRIES = 12;
const retried = { runs: 0, kept: 0 };
const nothing = async () => {};

/**
 * One measured run through `worker`, with the simulator's count of the
 * requests it made and how busy the machine was with other work meanwhile.
 * A run during which other programs kept the machine busy is measured again
 * (`undo` restores what it changed first); the last one counts.
 */
async function measured(sim, worker, op, args, undo) {
	for (let attempt = 0; ; attempt++) {
		await sim.call('clearLog');
		const load = watch([process.pid, sim.child.pid, worker.child.pid]);
		const result = await worker.call('run', { op, args });
		const machine = load.stop();
		const requests = await sim.call('log', { calls: op === 'triggerPoll' });
		if (requests.failed || requests.unanswered) throw new Error(`${op}: ${requests.failed} failed and ${requests.unanswered} unanswered requests`);
		const run = { ...result, otherCores: machine && machine.otherCores, api: requests.api, storage: requests.storage, requests: requests.api + requests.storage, calls: requests.calls };
		// /proc/stat counts in 10 ms ticks: runs shorter than 0.2 s are not judged.
		if (!machine || machine.seconds < 0.2 || machine.otherCores <= BUSY || !undo) return run;
		if (attempt === RETRIES || retried.runs >= TOTAL_RETRIES) {
			retried.kept++;
			return run;
		}
		retried.runs++;
		log(`  ${op}: other work kept ${machine.otherCores.toFixed(2)} cores busy; measured again`);
		await undo();
	}
}

function startWorker(config) {
	return start(WORKER, [JSON.stringify(config)], ['--expose-gc']);
}

function coldLoad() {
	const runs = [];
	for (let run = 0; run < COLD_LOAD_RUNS; run++) {
		runs.push(JSON.parse(execFileSync(process.execPath, [COLD_LOAD], { cwd: ROOT, encoding: 'utf8' })));
	}
	return runs;
}

/** Scenarios 1-3 and the profiles, on an account of 10,000 invoices. */
async function mainAccount(results) {
	const sim = start(SIM, [JSON.stringify({ invoices: INVOICES })]);
	const info = await sim.ready;
	const node = startWorker({ client: 'node', sim: info, binaryMode: 'memory' });
	const raw = startWorker({ client: 'raw', sim: info });
	try {
		await Promise.all([node.ready, raw.ready]);
		const uids = await sim.call('waiting', { count: ITEMS });
		if (uids.length < ITEMS) throw new Error(`only ${uids.length} waiting invoices`);

		// Warm-up: every code path once, small (not recorded).
		const few = uids.slice(0, 20);
		for (const worker of [node, raw]) {
			const isNode = worker === node;
			await worker.call('run', { op: 'getMany', args: { limit: 250 } });
			await worker.call('run', { op: 'stateAction', args: isNode ? { uids: few, operation: 'approve' } : { uids: few, path: 'approve' } });
			await worker.call('run', { op: 'stateAction', args: isNode ? { uids: few, operation: 'removeApproval' } : { uids: few, path: 'remove-approval' } });
			await worker.call('run', { op: 'create', args: { count: 20 } });
			await sim.call('dropUploads');
		}

		for (const latency of LATENCIES) {
			await sim.call('latency', { ms: latency });
			await getMany(results, sim, node, raw, latency);
			await stateActions(results, sim, node, raw, uids, latency);
			await creates(results, sim, node, raw, latency);
			if (latency === 0) {
				await profiles(results, sim, node, raw, uids);
				await keepAliveDiagnostic(results, sim, node, info, uids);
			}
		}
		await sim.call('latency', { ms: 0 });
		await largeFiles(results, sim, info);
	} finally {
		await Promise.all([node.close(), raw.close()]);
		await sim.close();
	}
}

/** [client, how, args, pairing]: a node series is compared with the raw series of the same pairing. */
const GET_MANY_CLIENTS = [
	['node', 'one page at a time', { pageConcurrency: 1 }, 'sequential'],
	['raw', 'one page at a time', { concurrency: 1 }, 'sequential'],
	['node', `page 1, then ${PARALLEL} pages at a time (as shipped)`, { pageConcurrency: PARALLEL }, 'concurrent'],
	['raw', `page 1, then ${PARALLEL} pages at a time`, { concurrency: PARALLEL }, 'concurrent'],
];

async function getMany(results, sim, node, raw, latency) {
	for (const [variant, limit, minRequests] of [
		['Return All (10,000 invoices)', undefined, Math.ceil(INVOICES / 100)],
		['Limit 250', 250, 3],
	]) {
		const group = { scenario: 'Get Many', variant, latency, series: GET_MANY_CLIENTS.map(([client, how, args, pairing]) => series({ client, how, args: { limit, ...args }, pairing, minRequests })) };
		for (let run = 0; run < RUNS; run++) {
			for (const entry of group.series) entry.runs.push(await measured(sim, entry.client === 'node' ? node : raw, 'getMany', entry.args, nothing));
		}
		report(group);
		results.groups.push(group);
	}
}

/** The four clients of the per-item scenarios; `args(parallel, client)` gives each its arguments. */
const itemClients = (args, minRequests) =>
	[
		['node', 'one item at a time', 1, 'sequential'],
		['raw', 'one at a time', 1, 'sequential'],
		['node', `Items in Parallel = ${PARALLEL}`, PARALLEL, 'concurrent'],
		['raw', `${PARALLEL} at a time`, PARALLEL, 'concurrent'],
	].map(([client, how, parallel, pairing]) => series({ client, how, args: args(parallel, client), pairing, minRequests }));

/**
 * Approve 1,000 invoices, then Remove Approval of the same 1,000. At 20 ms the
 * approvals are undone on the simulator instead: Remove Approval is the same
 * request as Approve, and measuring it too would not fit the time budget.
 */
async function stateActions(results, sim, node, raw, uids, latency) {
	const action = (operation, path) => (parallel, client) =>
		client === 'node' ? { uids, operation, parallel } : { uids, path, concurrency: parallel };
	const approve = { scenario: `${ITEMS.toLocaleString('en')} items`, variant: 'Approve', latency, series: itemClients(action('approve', 'approve'), ITEMS) };
	const remove = { scenario: `${ITEMS.toLocaleString('en')} items`, variant: 'Remove Approval', latency, series: itemClients(action('removeApproval', 'remove-approval'), ITEMS) };
	for (let run = 0; run < RUNS; run++) {
		for (let index = 0; index < approve.series.length; index++) {
			const entry = approve.series[index];
			const worker = entry.client === 'node' ? node : raw;
			entry.runs.push(await measured(sim, worker, 'stateAction', entry.args, () => sim.call('unapprove', { uids })));
			if (latency === 0) remove.series[index].runs.push(await measured(sim, worker, 'stateAction', remove.series[index].args, () => sim.call('approve', { uids })));
			else await sim.call('unapprove', { uids });
		}
	}
	for (const group of latency === 0 ? [approve, remove] : [approve]) {
		report(group);
		results.groups.push(group);
	}
}

/** 1,000 uploads; at 20 ms one at a time only (the speed-up of parallel items is shown with Approve). */
async function creates(results, sim, node, raw, latency) {
	const group = {
		scenario: `${ITEMS.toLocaleString('en')} items`,
		variant: 'Create (upload a 1 KB PDF)',
		latency,
		series: itemClients((parallel, client) => (client === 'node' ? { count: ITEMS, parallel } : { count: ITEMS, concurrency: parallel }), ITEMS).filter(
			(entry) => latency === 0 || entry.pairing === 'sequential',
		),
	};
	for (let run = 0; run < RUNS; run++) {
		for (const entry of group.series) {
			entry.runs.push(await measured(sim, entry.client === 'node' ? node : raw, 'create', entry.args, () => sim.call('dropUploads')));
			await sim.call('dropUploads');
		}
	}
	report(group);
	results.groups.push(group);
}

/** One profiled run each, at 0 ms: where the node's time goes, and the raw client's for comparison. */
async function profiles(results, sim, node, raw, uids) {
	const profile = async (label, worker, op, args, requests, undo) => {
		const { ms, attribution } = await worker.call('profile', { op, args });
		if (undo) await undo();
		results.profiles.push({ label, ms, requests, attribution });
		log(`  profiled ${label}: ${ms.toFixed(0)} ms`);
	};
	const unapprove = () => sim.call('unapprove', { uids });
	const items = ITEMS.toLocaleString('en');
	await profile('node: Get Many, Return All, one page at a time', node, 'getMany', { pageConcurrency: 1 }, Math.ceil(INVOICES / 100));
	await profile('raw: Get Many, Return All, one page at a time', raw, 'getMany', { concurrency: 1 }, Math.ceil(INVOICES / 100));
	await profile(`node: Approve ${items} items, one at a time`, node, 'stateAction', { uids, operation: 'approve' }, ITEMS, unapprove);
	await profile(`raw: Approve ${items}, one at a time`, raw, 'stateAction', { uids, path: 'approve' }, ITEMS, unapprove);
	await profile(`node: Create ${items} items, one at a time`, node, 'create', { count: ITEMS }, ITEMS, () => sim.call('dropUploads'));
}

/**
 * Diagnostic, not a way to run the node: n8n's HTTP helper makes a new agent
 * (so a new TCP connection) per request. Patched into n8n-core in a separate
 * worker, one keep-alive agent shows what that costs.
 */
async function keepAliveDiagnostic(results, sim, node, info, uids) {
	const keepAlive = startWorker({ client: 'node', sim: info, binaryMode: 'memory', keepAlive: true });
	try {
		await keepAlive.ready;
		await keepAlive.call('run', { op: 'getMany', args: { limit: 250 } });
		const cases = [
			['Get Many, Return All, one page at a time', 'getMany', { pageConcurrency: 1 }, nothing],
			[`Approve ${ITEMS.toLocaleString('en')} items, one at a time`, 'stateAction', { uids, operation: 'approve' }, () => sim.call('unapprove', { uids })],
		];
		for (const [label, op, args, undo] of cases) {
			const entry = { label, perRequestAgent: [], keepAliveAgent: [] };
			for (let run = 0; run < RUNS; run++) {
				entry.perRequestAgent.push((await measured(sim, node, op, args, undo)).ms);
				await undo();
				entry.keepAliveAgent.push((await measured(sim, keepAlive, op, args, undo)).ms);
				await undo();
			}
			results.diagnostics.push(entry);
			log(`  keep-alive diagnostic, ${label}: ${summarize(entry.perRequestAgent).median} ms → ${summarize(entry.keepAliveAgent).median} ms`);
		}
	} finally {
		await keepAlive.close();
	}
}

/** Scenario 3: a 50 MB export and a 50 MB download, each run in a fresh process. */
async function largeFiles(results, sim, info) {
	await sim.call('bigExport', { bytes: FILE_BYTES });
	const bigUid = await sim.call('bigFile', { bytes: FILE_BYTES });
	const [smallUid] = await sim.call('waiting', { count: 1 });
	const clients = [
		['node', 'memory', "n8n's default binary mode in this harness (base64 in the item)"],
		['node', 'filesystem', "n8n 2.x's default binary mode (regular mode): files on disk"],
		['raw', 'disk', 'undici, body piped to a file'],
	];
	for (const latency of LATENCIES) {
		await sim.call('latency', { ms: latency });
		for (const [variant, op, args] of [
			['Export XLSX (a 50 MB answer)', 'exportXlsx', {}],
			['Download File (a 50 MB file)', 'download', { uid: bigUid }],
		]) {
			const group = { scenario: 'Large file', variant, latency, series: clients.map(([client, mode, how]) => series({ client, mode, how, pairing: 'file', minRequests: op === 'download' ? 2 : 1 })) };
			for (let run = 0; run < RUNS; run++) {
				for (const entry of group.series) {
					const worker = startWorker({ client: entry.client, sim: info, binaryMode: entry.mode === 'filesystem' ? 'filesystem' : 'memory' });
					try {
						await worker.ready;
						await worker.call('run', { op: 'download', args: { uid: smallUid } });
						const result = await measured(sim, worker, op, args);
						if (result.fileSize !== FILE_BYTES) throw new Error(`${variant}: ${entry.client} ${entry.mode} got ${result.fileSize} bytes`);
						entry.runs.push(result);
					} finally {
						await worker.close();
					}
				}
			}
			report(group);
			results.memory.push(group);
		}
	}
}

/** Scenario 4: the trigger on an account of 100,000 invoices, 50 of them awaiting a decision. */
async function triggerAccount(results) {
	const sim = start(SIM, [JSON.stringify({ invoices: TRIGGER_INVOICES })]);
	const info = await sim.ready;
	const undecided = await sim.call('decideAllBut', { keep: UNDECIDED });
	const node = startWorker({ client: 'node', sim: info, binaryMode: 'memory' });
	const raw = startWorker({ client: 'raw', sim: info });
	const events = {
		invoiceCreated: { events: ['invoiceCreated'], emitWhen: 'processed', filters: {}, options: {} },
		invoiceApproved: { events: ['invoiceApproved'], filters: {}, options: {} },
	};
	try {
		await Promise.all([node.ready, raw.ready]);
		for (const parameters of Object.values(events)) {
			await node.call('run', { op: 'triggerActivate', args: { parameters } });
			await node.call('run', { op: 'triggerPoll' });
		}
		for (const latency of LATENCIES) {
			await sim.call('latency', { ms: latency });
			for (const [name, parameters] of Object.entries(events)) {
				for (const fresh of [0, NEW_INVOICES]) {
					const entry = { event: name, fresh, latency, undecided, node: [], raw: [] };
					if (fresh === 0) await node.call('run', { op: 'triggerActivate', args: { parameters } });
					for (let run = 0; run < RUNS; run++) {
						let created = [];
						if (fresh) {
							await node.call('run', { op: 'triggerActivate', args: { parameters } });
							created = await sim.call('createInvoices', { count: fresh });
						}
						const poll = await measured(sim, node, 'triggerPoll', {});
						entry.node.push(poll);
						entry.raw.push(await measured(sim, raw, 'replay', { calls: poll.calls }, nothing));
						if (fresh) await sim.call('deleteInvoices', { uids: created });
					}
					for (const poll of entry.node) delete poll.calls;
					results.trigger.push(entry);
					const times = summarize(entry.node.map((poll) => poll.ms));
					log(`trigger ${name} +${fresh} @${latency} ms: ${times.median.toFixed(1)} ms, ${entry.node[0].requests} requests, state ${entry.node[0].stateBytes} B`);
				}
			}
		}
	} finally {
		await Promise.all([node.close(), raw.close()]);
		await sim.close();
	}
}

function report(group) {
	const parts = group.series.map((entry) => {
		const times = summarize(entry.runs.map((run) => run.ms));
		return `${entry.client} ${entry.how || entry.mode}: ${times.median.toFixed(1)} ms (${entry.runs[0].requests} req)`;
	});
	log(`${group.scenario} / ${group.variant} @${group.latency} ms: ${parts.join(' | ')}`);
}

async function main() {
	const renderIndex = process.argv.indexOf('--render');
	if (renderIndex !== -1) {
		fs.writeFileSync(OUTPUT, renderReport(JSON.parse(fs.readFileSync(process.argv[renderIndex + 1], 'utf8'))));
		log(`wrote ${path.relative(process.cwd(), OUTPUT)} from ${process.argv[renderIndex + 1]}`);
		return;
	}
	const began = Date.now();
	checkBuilt();
	const results = { machine: machine(), loadBefore: os.loadavg(), date: new Date().toISOString(), runs: RUNS, constants: { INVOICES, ITEMS, PARALLEL, FILE_BYTES, TRIGGER_INVOICES, UNDECIDED, NEW_INVOICES, LATENCIES }, groups: [], memory: [], trigger: [], profiles: [], diagnostics: [] };
	log(`BillOver benchmark: ${RUNS} runs per figure, latencies ${LATENCIES.join(' and ')} ms`);
	results.coldLoad = coldLoad();
	log(`cold load: ${summarize(results.coldLoad.map((run) => run.packMs)).median.toFixed(1)} ms`);
	await mainAccount(results);
	await triggerAccount(results);
	results.durationS = (Date.now() - began) / 1000;
	results.loadAfter = os.loadavg();
	results.retried = { ...retried, busy: BUSY, retries: RETRIES, total: TOTAL_RETRIES };
	const saved = path.join(os.tmpdir(), SMOKE ? 'billover-bench-results.smoke.json' : 'billover-bench-results.json');
	fs.writeFileSync(saved, JSON.stringify(results));
	fs.writeFileSync(OUTPUT, renderReport(results));
	log(`results kept in ${saved}`);
	log(`wrote ${path.relative(process.cwd(), OUTPUT)} after ${results.durationS.toFixed(0)} s`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
