'use strict';

/**
 * `npm run bench`: the BillOver node against the floor of what a node can do
 * on n8n (floorNode.js), n8n's own HTTP Request node (httpRequestNode.js) and
 * a raw undici client, side by side, and BENCHMARKS.md rewritten with the
 * figures.
 *
 * Processes: the simulator (simProcess.js) and each measured client
 * (worker.js: "node" = the built nodes on n8n-core's engine, "floor" and
 * "httpRequest" on the same engine, "raw" = undici) run in processes of their
 * own; this one only steers and records. Runs of the clients alternate (node,
 * raw, floor, ..., node, raw, ...), at 0, 20 and 50 ms of added latency per
 * request (ROUNDS). Set-up between runs (undoing approvals, removing uploads,
 * seeding new invoices) is done on the simulator's store and is not measured.
 *
 * Environment: BENCH_RUNS (default and minimum 5) runs per figure at 0 ms
 * (LONG_RUNS behind latency); BENCH_SMOKE=1 (or BENCH_QUICK=1) runs
 * everything small and twice, into a temporary file instead of BENCHMARKS.md
 * (to try changes to the benchmark quickly: the same code with smaller
 * numbers). The raw results are kept in <tmp>/billover-bench-results.json;
 * `node test/bench/run.js --render <that file>` writes BENCHMARKS.md from
 * them again (after a change to report.js) without measuring.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { start } = require('./ipc');
const { watch } = require('./machineLoad');
const { summarize, median } = require('./stats');
const { renderReport } = require('./report');
const httpRequestNode = require('./httpRequestNode');
const { CREDENTIAL_FILES, NODE_FILES } = require('../support/dist');
const { parseArgs } = require('../support/util');

const ROOT = path.join(__dirname, '..', '..');
const SIM = path.join(__dirname, 'simProcess.js');
const WORKER = path.join(__dirname, 'worker.js');
const COLD_LOAD = path.join(__dirname, 'coldLoad.js');
const SMOKE = process.env.BENCH_SMOKE === '1' || process.env.BENCH_QUICK === '1';
const OUTPUT = SMOKE ? path.join(os.tmpdir(), 'BENCHMARKS.smoke.md') : path.join(ROOT, 'BENCHMARKS.md');

const RUNS = SMOKE ? 2 : Math.max(5, Number(process.env.BENCH_RUNS) || 5);
/**
 * Runs of the long series behind latency (Return All, the items and uploads
 * at 20 and 50 ms) and of the keep-alive diagnostic: a run behind latency is
 * a hundred or more requests that each wait the same time, and from run to
 * run they spread by 1-5 % (min to max, last full run; 10 % for Return All 4
 * pages at a time); 3 runs give the median as well as 5 here, and keep the
 * whole run within 15 minutes.
 */
const LONG_RUNS = SMOKE ? 2 : Math.max(3, Math.round((RUNS * 3) / 5));
const INVOICES = SMOKE ? 1_000 : 10_000;
const ITEMS = SMOKE ? 60 : 1_000;
/** Approvals at 50 ms: one at a time, 1,000 would take 51 s per series and run. */
const ITEMS_50 = SMOKE ? 20 : 100;
/** Uploads at 20 ms (one at a time; four series): the per-request margin behind latency needs hundreds, not thousands. */
const CREATE_ITEMS_LATENCY = SMOKE ? 30 : 300;
const PARALLEL = 4;
/** Auto's ceiling (DEFAULT_CEILING, nodes/BillOver/transport/limiter.ts): the raw client's concurrency beside Auto. */
const AUTO_CEILING = 1000;
/** BillOver's rate limits in scenario 4: 50 requests a second, 10 in flight; at 20 ms. */
const RATE_LIMIT = { rate: 50, burst: 50, maxInFlight: 10 };
const LIMITED_ITEMS = SMOKE ? 60 : 1_000;
const LIMITED_UPLOADS = SMOKE ? 30 : 300;
const LIMITED_LATENCY = 20;
const FILE_BYTES = (SMOKE ? 5 : 50) * 1024 * 1024;
const TRIGGER_INVOICES = SMOKE ? 5_000 : 100_000;
const UNDECIDED = 50;
/** Scenario 7: an account whose rejected history is large (the trigger's cost must not follow it). */
const SCALE = SMOKE ? { invoices: 3_000, rejected: 1_000, waiting: 20, polls: 30 } : { invoices: 25_000, rejected: 10_000, waiting: 200, polls: 100 };
const SCALE_LATENCY = 20;
const NEW_INVOICES = SMOKE ? 150 : 1_000;
const COLD_LOAD_RUNS = SMOKE ? 2 : 7;
/** Runs of each large-file series (a fresh process each). */
const LARGE_FILE_RUNS = SMOKE ? 1 : RUNS;
/** The whole run must stay within this (the budget on this machine). */
const BUDGET_S = 20 * 60;

/**
 * What each latency measures, and how often. 0 ms shows each client's own
 * cost per request (noisy: 5 runs); 20 ms is a nearby server; 50 ms a distant
 * one (Return All and Approve). Remove Approval is measured at 0 ms only
 * (the same kind of request as Approve); uploads at 20 ms one at a time only
 * (the gain of parallel items is shown with Approve). Large files and the
 * trigger run at 0 and 20 ms.
 */
const ROUNDS = [
	{ latency: 0, floor: true, returnAllRuns: RUNS, limitRuns: RUNS, itemRuns: RUNS, limit: true, approveItems: ITEMS, removeApproval: true, createItems: ITEMS, createParallel: true },
	{ latency: 20, floor: false, returnAllRuns: LONG_RUNS, limitRuns: RUNS, itemRuns: LONG_RUNS, limit: true, approveItems: ITEMS, removeApproval: false, createItems: CREATE_ITEMS_LATENCY, createParallel: false },
	{ latency: 50, floor: true, returnAllRuns: LONG_RUNS, limitRuns: 0, itemRuns: LONG_RUNS, limit: false, approveItems: ITEMS_50, removeApproval: false, createItems: 0, createParallel: false },
];
const LATENCIES = ROUNDS.map((round) => round.latency);
const OTHER_LATENCIES = [0, 20];

/**
 * n8n's HTTP Request node at its best: the settings that could change its
 * speed are tried at 0 ms (where a client's own cost shows), alternating, on
 * a Return All, CALIBRATION_ITEMS approvals and as many uploads, before the
 * measured rounds; the fastest of each (median) is then measured. Not tried,
 * by reading its code (n8n-nodes-base 2.8.1, HttpRequestV3): Batching — without
 * it every item's request is sent at once; "Items per Batch" with an interval
 * of 0 is the same code path, and any interval only adds waits (no batch
 * waits for the answers of the one before); the pagination's Interval Between
 * Requests (0, its default, waits not at all) and Max Pages (a limit, checked
 * after each page, not faster); `page_size=100`, the API's maximum, gives the
 * fewest pages. Pagination fetches one page after another: it cannot do
 * otherwise.
 */
const HTTP_REQUEST_CANDIDATES = [
	{ label: 'Header Auth credential, Response Format Autodetect (the defaults)', auth: 'header', settings: {} },
	{ label: 'Header Auth credential, Response Format JSON', auth: 'header', settings: { response: { response: { responseFormat: 'json' } } } },
	{ label: 'BillOver API credential (predefined type), Autodetect', auth: 'predefined', settings: {} },
	{ label: 'BillOver API credential (predefined type), JSON', auth: 'predefined', settings: { response: { response: { responseFormat: 'json' } } } },
];
const CALIBRATION_RUNS = SMOKE ? 1 : 3;
const CALIBRATION_ITEMS = SMOKE ? 20 : 200;

const log = (...parts) => process.stdout.write(`${parts.join(' ')}\n`);

function checkBuilt() {
	for (const file of [...NODE_FILES, ...CREDENTIAL_FILES]) {
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
		httpRequest: httpRequestNode.versions(),
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
const RETRIES = SMOKE ? 0 : 2;
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
	const workers = {
		node: startWorker({ client: 'node', sim: info, binaryMode: 'memory' }),
		raw: startWorker({ client: 'raw', sim: info }),
		floor: startWorker({ client: 'floor', sim: info, binaryMode: 'memory' }),
		httpRequest: startWorker({ client: 'httpRequest', sim: info, binaryMode: 'memory' }),
	};
	try {
		await Promise.all(Object.values(workers).map((worker) => worker.ready));
		results.httpRequest = { typeVersion: (await workers.httpRequest.ready).typeVersion };
		const uids = await sim.call('waiting', { count: ITEMS });
		if (uids.length < ITEMS) throw new Error(`only ${uids.length} waiting invoices`);

		// Warm-up: every code path once, small (not recorded).
		const few = uids.slice(0, 20);
		for (const [client, worker] of Object.entries(workers)) {
			await worker.call('run', { op: 'getMany', args: { limit: 250 } });
			await worker.call('run', { op: 'stateAction', args: stateArgs(client, few, 'approve', 1) });
			await sim.call('unapprove', { uids: few });
			await worker.call('run', { op: 'create', args: createArgs(client, 20, 1) });
			await sim.call('dropUploads');
		}
		await phase(results, 'HTTP Request node: its fastest settings, 0 ms', () => calibrateHttpRequest(results, sim, workers.httpRequest, uids));

		for (const round of ROUNDS) {
			await phase(results, `scenarios 1-2 at ${round.latency} ms`, async () => {
				await sim.call('latency', { ms: round.latency });
				await getMany(results, sim, workers, round);
				await stateActions(results, sim, workers, uids.slice(0, round.approveItems), round);
				if (round.createItems) await creates(results, sim, workers, round);
				if (round.latency === 0) {
					await profiles(results, sim, workers, uids);
					await keepAliveDiagnostic(results, sim, workers.node, info, uids);
				}
			});
		}
		await phase(results, `scenario 6, BillOver's rate limits at ${LIMITED_LATENCY} ms`, () => rateLimited(results, sim, workers, uids.slice(0, LIMITED_ITEMS)));
		await sim.call('latency', { ms: 0 });
		await phase(results, 'scenario 3, large files', () => largeFiles(results, sim, info));
	} finally {
		await Promise.all(Object.values(workers).map((worker) => worker.close()));
		await sim.close();
	}
}

/** Runs `fn`, recording how long it took (results.phases: the time budget, in the report). */
async function phase(results, name, fn) {
	const began = Date.now();
	await fn();
	const seconds = (Date.now() - began) / 1000;
	results.phases.push({ name, seconds });
	log(`  (${name}: ${seconds.toFixed(0)} s)`);
}

/** The HTTP Request node's settings chosen by calibrateHttpRequest, per kind of scenario. */
const chosen = { list: HTTP_REQUEST_CANDIDATES[0], stateAction: HTTP_REQUEST_CANDIDATES[0], create: HTTP_REQUEST_CANDIDATES[0] };
const httpArgs = (kind) => ({ auth: chosen[kind].auth, settings: chosen[kind].settings });

/** Each client's arguments for a state action (`operation` is the node's name for `path`). */
function stateArgs(client, uids, path, parallel, kind = 'stateAction') {
	const operation = { approve: 'approve', 'remove-approval': 'removeApproval' }[path];
	if (client === 'node') return { uids, operation, parallel };
	if (client === 'raw') return { uids, path, concurrency: parallel };
	if (client === 'floor') return { uids, path };
	return { uids, path, ...httpArgs(kind) };
}

function createArgs(client, count, parallel) {
	if (client === 'node') return { count, parallel };
	if (client === 'raw') return { count, concurrency: parallel };
	if (client === 'floor') return { count };
	return { count, ...httpArgs('create') };
}

/**
 * Tries HTTP_REQUEST_CANDIDATES at 0 ms, alternating, and keeps the fastest
 * (median) for each kind of scenario: a list (Return All), a state action, an
 * upload.
 */
async function calibrateHttpRequest(results, sim, worker, uids) {
	await sim.call('latency', { ms: 0 });
	const sample = uids.slice(0, CALIBRATION_ITEMS);
	const unapprove = () => sim.call('unapprove', { uids: sample });
	const dropUploads = () => sim.call('dropUploads');
	const cases = [
		['list', `Return All (${INVOICES.toLocaleString('en')} invoices)`, 'getMany', {}, nothing],
		['stateAction', `Approve (${CALIBRATION_ITEMS} items)`, 'stateAction', { uids: sample, path: 'approve' }, unapprove],
		['create', `Create (${CALIBRATION_ITEMS} uploads)`, 'create', { count: CALIBRATION_ITEMS }, dropUploads],
	];
	const tried = [];
	for (const [kind, scenario, op, args, undo] of cases) {
		const times = HTTP_REQUEST_CANDIDATES.map(() => []);
		// One pass unrecorded, so that no candidate pays for warming up the others' paths.
		for (let run = -1; run < CALIBRATION_RUNS; run++) {
			for (let index = 0; index < HTTP_REQUEST_CANDIDATES.length; index++) {
				const { auth, settings } = HTTP_REQUEST_CANDIDATES[index];
				const result = await measured(sim, worker, op, { ...args, auth, settings }, undo);
				await undo();
				if (run >= 0) times[index].push(result.ms);
			}
		}
		const medians = times.map((list) => median(list));
		const best = medians.indexOf(Math.min(...medians));
		chosen[kind] = HTTP_REQUEST_CANDIDATES[best];
		tried.push({ kind, scenario, candidates: HTTP_REQUEST_CANDIDATES.map((candidate, index) => ({ label: candidate.label, runs: times[index] })), best });
		log(`HTTP Request node, ${scenario} @0 ms: fastest "${chosen[kind].label}" (${medians.map((value) => value.toFixed(0)).join(' / ')} ms)`);
	}
	Object.assign(results.httpRequest, { tried, chosen: { ...chosen }, candidates: HTTP_REQUEST_CANDIDATES });
}

/**
 * The clients of Get Many: [client, how, args, pairing]. A node series is
 * compared with the raw series of the same pairing, the floor's one at a time
 * and the HTTP Request node's.
 */
function getManyClients(limit, round) {
	const clients = [
		['node', 'one page at a time', { pageConcurrency: 1 }, 'sequential'],
		['raw', 'one page at a time', { concurrency: 1 }, 'sequential'],
		['floor', 'one page at a time', {}, 'sequential'],
		['node', `page 1, then ${PARALLEL} pages at a time (as shipped)`, { pageConcurrency: PARALLEL }, 'concurrent'],
		['raw', `page 1, then ${PARALLEL} pages at a time`, { concurrency: PARALLEL }, 'concurrent'],
	];
	// Its Return All: Pagination, then Split Out (a limit would need a Limit node and more pages).
	if (limit === undefined) clients.push(['httpRequest', 'Pagination (one page after another), then Split Out', httpArgs('list'), 'httpRequest']);
	return clients.filter(([client]) => client !== 'floor' || round.floor);
}

async function getMany(results, sim, workers, round) {
	const variants = [
		[`Return All (${INVOICES.toLocaleString('en')} invoices)`, undefined, Math.ceil(INVOICES / 100), round.returnAllRuns],
		round.limit && ['Limit 250', 250, 3, round.limitRuns],
	].filter(Boolean);
	for (const [variant, limit, minRequests, runs] of variants) {
		const group = {
			scenario: 'Get Many',
			variant,
			latency: round.latency,
			series: getManyClients(limit, round).map(([client, how, args, pairing]) => series({ client, how, args: { limit, ...args }, pairing, minRequests, settings: client === 'httpRequest' ? chosen.list.label : undefined })),
		};
		for (let run = 0; run < runs; run++) {
			for (const entry of group.series) entry.runs.push(await measured(sim, workers[entry.client], 'getMany', entry.args, nothing));
		}
		report(group);
		results.groups.push(group);
	}
}

/** The clients of the per-item scenarios: [client, how, parallel, pairing]. */
const ITEM_CLIENTS = [
	['node', 'one item at a time', 1, 'sequential'],
	['raw', 'one at a time', 1, 'sequential'],
	['floor', 'one item at a time', 1, 'sequential'],
	['node', 'Requests in Parallel: Auto (as shipped)', 'auto', 'concurrent'],
	['raw', `up to ${AUTO_CEILING} at a time (Auto's ceiling)`, AUTO_CEILING, 'concurrent'],
	['httpRequest', 'every item at once (no Batching)', 1, 'httpRequest'],
];

function itemSeries(args, minRequests, keep, kind, round) {
	return ITEM_CLIENTS.filter(([client, , , pairing]) => (client !== 'floor' || round.floor) && keep(client, pairing)).map(([client, how, parallel, pairing]) =>
		series({ client, how, args: args(client, parallel), pairing, minRequests, settings: client === 'httpRequest' ? chosen[kind].label : undefined }),
	);
}

/**
 * Approve the invoices, then (at 0 ms) Remove Approval of the same ones,
 * series by series; otherwise the approvals are undone on the simulator:
 * Remove Approval is the same request as Approve, and measuring it at every
 * latency would not fit the time budget.
 */
async function stateActions(results, sim, workers, uids, round) {
	const items = uids.length;
	const scenario = `${items.toLocaleString('en')} items`;
	const approve = { scenario, variant: 'Approve', items, latency: round.latency, series: itemSeries((client, parallel) => stateArgs(client, uids, 'approve', parallel), items, () => true, 'stateAction', round) };
	const remove = round.removeApproval
		? {
				scenario,
				variant: 'Remove Approval',
				items,
				latency: round.latency,
				series: itemSeries((client, parallel) => stateArgs(client, uids, 'remove-approval', parallel), items, (client, pairing) => client === 'node' || client === 'raw', 'stateAction', round),
			}
		: undefined;
	for (let run = 0; run < round.itemRuns; run++) {
		for (const entry of approve.series) {
			const worker = workers[entry.client];
			entry.runs.push(await measured(sim, worker, 'stateAction', entry.args, () => sim.call('unapprove', { uids })));
			const undo = remove && remove.series.find((other) => other.client === entry.client && other.pairing === entry.pairing);
			if (undo) undo.runs.push(await measured(sim, worker, 'stateAction', undo.args, () => sim.call('approve', { uids })));
			await sim.call('unapprove', { uids });
		}
	}
	for (const group of remove ? [approve, remove] : [approve]) {
		report(group);
		results.groups.push(group);
	}
}

/** Uploads; behind latency one at a time only (the speed-up of parallel items is shown with Approve). */
async function creates(results, sim, workers, round) {
	const items = round.createItems;
	const group = {
		scenario: `${items.toLocaleString('en')} items`,
		variant: 'Create (upload a 1 KB PDF)',
		items,
		latency: round.latency,
		series: itemSeries((client, parallel) => createArgs(client, items, parallel), items, (client, pairing) => round.createParallel || pairing !== 'concurrent', 'create', round),
	};
	for (let run = 0; run < round.itemRuns; run++) {
		for (const entry of group.series) {
			entry.runs.push(await measured(sim, workers[entry.client], 'create', entry.args, () => sim.call('dropUploads')));
			await sim.call('dropUploads');
		}
	}
	report(group);
	results.groups.push(group);
}

/**
 * Scenario 4: the sandbox enforces RATE_LIMIT (429 with Retry-After over
 * it): ours at its defaults (Auto) against n8n's HTTP Request node at its
 * defaults, with Retry On Fail, and with Batching set to the limit. Counted
 * from the simulator: failed items, requests, 429s, and for uploads the
 * invoices created (a create repeated after it was done would make two).
 * One run each (a run is a thousand requests at the limit's pace).
 */
async function rateLimited(results, sim, workers, uids) {
	const items = uids.length;
	const approve = (client, extra = {}) => (client === 'node' ? { uids, operation: 'approve', parallel: 'auto', continueOnFail: true } : { uids, path: 'approve', ...httpArgs('stateAction'), ...extra });
	const upload = (client, extra = {}) => (client === 'node' ? { count: LIMITED_UPLOADS, parallel: 'auto', continueOnFail: true } : { count: LIMITED_UPLOADS, ...httpArgs('create'), ...extra });
	const halved = { rate: RATE_LIMIT.rate / 2, burst: RATE_LIMIT.burst / 2, maxInFlight: RATE_LIMIT.maxInFlight / 2 };
	const batching = { batching: { batch: { batchSize: RATE_LIMIT.maxInFlight, batchInterval: Math.round((1000 * RATE_LIMIT.maxInFlight) / RATE_LIMIT.rate) } } };
	const cases = [
		['node', 'Approve', 'Requests in Parallel: Auto (as shipped)', 'stateAction', approve('node')],
		['node', 'Approve', `Auto; the limit halves after ${Math.round(items * 0.4)} requests`, 'stateAction', approve('node'), { halveAfter: Math.round(items * 0.4) }],
		['node', 'Create', `Auto, ${LIMITED_UPLOADS} uploads`, 'create', upload('node')],
		['httpRequest', 'Approve', 'its defaults (On Error: Continue, to count the items)', 'stateAction', approve('httpRequest', { continueOnFail: true })],
		['httpRequest', 'Approve', 'Retry On Fail (3 tries, 1 s apart; the run fails otherwise)', 'stateAction', approve('httpRequest', { nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 } })],
		['httpRequest', 'Approve', `Batching: ${batching.batching.batch.batchSize} items every ${batching.batching.batch.batchInterval} ms (the limit), On Error: Continue`, 'stateAction', approve('httpRequest', { settings: batching, continueOnFail: true })],
		['httpRequest', 'Create', `its defaults, ${LIMITED_UPLOADS} uploads, On Error: Continue`, 'create', upload('httpRequest', { continueOnFail: true })],
	];
	await sim.call('latency', { ms: LIMITED_LATENCY });
	const rows = [];
	try {
		for (const [client, variant, how, op, args, { halveAfter } = {}] of cases) {
			await sim.call('clearLog');
			await sim.call('limits', { limits: RATE_LIMIT });
			if (halveAfter) await sim.call('limitsAfter', { admitted: halveAfter, limits: halved });
			const began = Date.now();
			const result = await workers[client].call('run', { op, args });
			const wallMs = Date.now() - began;
			const requests = await sim.call('log', {});
			const stats = await sim.call('limitStats');
			const created = op === 'create' ? await sim.call('uploads') : undefined;
			const count = op === 'create' ? LIMITED_UPLOADS : items;
			const row = { client, variant, how, items: count, ms: result.ms, wallMs, failed: result.errors ?? 0, runFailed: result.runFailed, requests: requests.api, throttled: requests.throttled, peakInFlight: stats.peakInFlight, created, limitHalved: Boolean(halveAfter) };
			rows.push(row);
			log(`  rate limited, ${client} ${variant} (${how}): ${result.ms.toFixed(0)} ms, ${row.failed} failed, ${row.requests} requests, ${row.throttled} × 429${created === undefined ? '' : `, ${created} invoices created`}`);
			await sim.call('limits', { limits: { rate: 0, burst: null, maxInFlight: 0 } });
			if (op === 'create') await sim.call('dropUploads');
			else await sim.call('unapprove', { uids });
		}
	} finally {
		await sim.call('limits', { limits: { rate: 0, burst: null, maxInFlight: 0 } });
	}
	results.rateLimited = { limit: RATE_LIMIT, halved, latency: LIMITED_LATENCY, items, uploads: LIMITED_UPLOADS, rows };
}

/** One profiled run each, at 0 ms: where the node's time goes, and the floor's and raw client's for comparison. */
async function profiles(results, sim, workers, uids) {
	const profile = async (label, worker, op, args, requests, undo) => {
		const { ms, attribution } = await worker.call('profile', { op, args });
		if (undo) await undo();
		results.profiles.push({ label, ms, requests, attribution });
		log(`  profiled ${label}: ${ms.toFixed(0)} ms`);
	};
	const unapprove = () => sim.call('unapprove', { uids });
	const items = ITEMS.toLocaleString('en');
	await profile('node: Get Many, Return All, one page at a time', workers.node, 'getMany', { pageConcurrency: 1 }, Math.ceil(INVOICES / 100));
	await profile('raw: Get Many, Return All, one page at a time', workers.raw, 'getMany', { concurrency: 1 }, Math.ceil(INVOICES / 100));
	await profile(`node: Approve ${items} items, one at a time`, workers.node, 'stateAction', stateArgs('node', uids, 'approve', 1), ITEMS, unapprove);
	await profile(`floor: Approve ${items} items, one at a time`, workers.floor, 'stateAction', stateArgs('floor', uids, 'approve', 1), ITEMS, unapprove);
	await profile(`raw: Approve ${items}, one at a time`, workers.raw, 'stateAction', stateArgs('raw', uids, 'approve', 1), ITEMS, unapprove);
	await profile(`node: Create ${items} items, one at a time`, workers.node, 'create', { count: ITEMS }, ITEMS, () => sim.call('dropUploads'));
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
			for (let run = 0; run < LONG_RUNS; run++) {
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
	for (const latency of OTHER_LATENCIES) {
		await sim.call('latency', { ms: latency });
		for (const [variant, op, args] of [
			['Export XLSX (a 50 MB answer)', 'exportXlsx', {}],
			['Download File (a 50 MB file)', 'download', { uid: bigUid }],
		]) {
			const group = { scenario: 'Large file', variant, latency, series: clients.map(([client, mode, how]) => series({ client, mode, how, pairing: 'file', minRequests: op === 'download' ? 2 : 1 })) };
			for (let run = 0; run < LARGE_FILE_RUNS; run++) {
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
		for (const latency of OTHER_LATENCIES) {
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

/**
 * Scenario 7: the trigger on an account of 10,000 rejected and 200 waiting
 * invoices (an account's rejected history must not drive every poll's
 * cost). For every event on one node and for the approval sync
 * (Approved + Approval Removed): the activation, 100 idle polls, an
 * old rejected invoice approved, and a change a count cannot tell (one
 * rejected invoice approved while an approved one is un-approved and
 * rejected), polled until both are reported.
 */
async function triggerAtScale(results) {
	const sim = start(SIM, [JSON.stringify({ invoices: SCALE.invoices })]);
	const info = await sim.ready;
	const shape = await sim.call('shapeUndecided', { rejected: SCALE.rejected, waiting: SCALE.waiting });
	const node = startWorker({ client: 'node', sim: info, binaryMode: 'memory' });
	const configs = {
		'every event': { events: ['invoiceCreated', 'invoiceApproved', 'invoiceApprovalRemoved', 'invoiceRejected', 'invoiceDeleted'], emitWhen: 'processed', filters: {}, options: {} },
		'approval sync (Approved + Approval Removed)': { events: ['invoiceApproved', 'invoiceApprovalRemoved'], filters: {}, options: {} },
	};
	results.scale = { ...shape, invoices: SCALE.invoices, latency: SCALE_LATENCY, polls: SCALE.polls, configs: [] };
	try {
		await node.ready;
		await sim.call('latency', { ms: SCALE_LATENCY });
		for (const [name, parameters] of Object.entries(configs)) {
			await sim.call('clearLog');
			const activation = await node.call('run', { op: 'triggerActivate', args: { parameters } });
			const activationRequests = (await sim.call('log', {})).api;
			const idle = [];
			for (let poll = 0; poll < SCALE.polls; poll++) idle.push(await measured(sim, node, 'triggerPoll', {}));
			const emittedIdle = idle.reduce((sum, poll) => sum + poll.count, 0);
			// An old rejected invoice approved: reported at the next poll?
			const old = await sim.call('rejectedAt', { at: shape.rejected - 10 });
			await sim.call('approve', { uids: [old] });
			const approval = await measured(sim, node, 'triggerPoll', {});
			// One approval and one un-approval + rejection between two polls: the count of rejected is unchanged.
			const leaving = await sim.call('rejectedAt', { at: Math.floor(shape.rejected / 2) });
			const joining = await sim.call('approvedAt', { at: 1_000 });
			await sim.call('approve', { uids: [leaving] });
			await sim.call('unapproveAndReject', { uid: joining });
			const wanted = new Set([`invoice.approved ${leaving}`, `invoice.approval_removed ${joining}`].filter((key) => !(key.startsWith('invoice.approved') && !parameters.events.includes('invoiceApproved'))));
			const seenAt = {};
			let masked = 0;
			while (Object.keys(seenAt).length < wanted.size && masked < 4 * SCALE.polls) {
				const poll = await measured(sim, node, 'triggerPoll', {});
				masked++;
				for (const key of poll.uids) if (wanted.has(key) && !seenAt[key]) seenAt[key] = masked;
			}
			const entry = {
				name,
				activation: { requests: activationRequests, stateBytes: activation.stateBytes },
				idle: idle.map((poll) => ({ ms: poll.ms, requests: poll.requests, stateBytes: poll.stateBytes, otherCores: poll.otherCores })),
				emittedIdle,
				approval: { requests: approval.requests, reported: approval.uids.includes(`invoice.approved ${old}`), ms: approval.ms },
				masked: { polls: masked, seenAt, found: Object.keys(seenAt).length === wanted.size },
			};
			for (const poll of [...idle, approval]) delete poll.calls;
			results.scale.configs.push(entry);
			const requests = idle.map((poll) => poll.requests);
			log(`trigger at scale, ${name}: activation ${activationRequests} requests, ${kb(activation.stateBytes)} KB; idle ${Math.min(...requests)}–${Math.max(...requests)} requests (mean ${(requests.reduce((a, b) => a + b, 0) / requests.length).toFixed(2)}), state ≤ ${kb(Math.max(...idle.map((poll) => poll.stateBytes)))} KB; old approval ${approval.requests} requests; masked change found after ${masked} polls`);
		}
	} finally {
		await node.close();
		await sim.close();
	}
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

function report(group) {
	const parts = group.series.map((entry) => {
		const times = summarize(entry.runs.map((run) => run.ms));
		return `${entry.client} ${entry.how || entry.mode}: ${times.median.toFixed(1)} ms (${entry.runs[0].requests} req)`;
	});
	log(`${group.scenario} / ${group.variant} @${group.latency} ms: ${parts.join(' | ')}`);
}

async function main() {
	// --render <results.json>: only write the report from an earlier run's results.
	const { render } = parseArgs(process.argv.slice(2), { render: { type: 'string' } });
	if (render) {
		fs.writeFileSync(OUTPUT, renderReport(JSON.parse(fs.readFileSync(render, 'utf8'))));
		log(`wrote ${path.relative(process.cwd(), OUTPUT)} from ${render}`);
		return;
	}
	checkBuilt();
	await httpRequestNode.ensureNodesBase(log);
	const began = Date.now();
	const results = {
		machine: machine(),
		loadBefore: os.loadavg(),
		date: new Date().toISOString(),
		smoke: SMOKE,
		runs: RUNS,
		longRuns: LONG_RUNS,
		constants: { INVOICES, ITEMS, ITEMS_50, CREATE_ITEMS_LATENCY, PARALLEL, AUTO_CEILING, RATE_LIMIT, FILE_BYTES, TRIGGER_INVOICES, UNDECIDED, SCALE, SCALE_LATENCY, NEW_INVOICES, LATENCIES, OTHER_LATENCIES, ROUNDS, BUDGET_S, CALIBRATION_RUNS, CALIBRATION_ITEMS },
		groups: [],
		memory: [],
		trigger: [],
		profiles: [],
		diagnostics: [],
		phases: [],
	};
	log(`BillOver benchmark: ${RUNS} runs per figure at 0 ms, ${LONG_RUNS} behind latency; latencies ${LATENCIES.join(', ')} ms`);
	await phase(results, 'cold load', async () => {
		results.coldLoad = coldLoad();
	});
	log(`cold load: ${summarize(results.coldLoad.map((run) => run.packMs)).median.toFixed(1)} ms`);
	await mainAccount(results);
	await phase(results, 'scenario 4, trigger', () => triggerAccount(results));
	await phase(results, 'scenario 7, trigger at scale', () => triggerAtScale(results));
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
