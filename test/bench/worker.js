'use strict';

/**
 * One measured client in its own process. On n8n-core's engine, through the
 * test harness: "node" runs the built BillOver nodes (dist/), "floor" the
 * minimal node of floorNode.js, "httpRequest" n8n's HTTP Request node (with
 * Split Out after it for a list) as httpRequestNode.js loads it. "raw" is
 * the undici client of raw.js. The benchmark calls `run` with a scenario and
 * gets back the time and the peak memory growth of that run.
 *
 *   node --expose-gc worker.js '{"client":"node","sim":{...},"binaryMode":"memory"}'
 *
 * Node time is the measured node's execution time as n8n records it for the
 * run (what the editor shows; for HTTP Request + Split Out, the sum of both);
 * a trigger poll is timed around `poll()`. Every run also answers a digest of
 * its output (digestOf), so the benchmark can check that all clients
 * produced the same results.
 * CPU time: the process's user + system time during the run. Memory: RSS
 * sampled every 5 ms and the process's RSS high-water mark, minus the RSS
 * before the run (after a GC).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { serve } = require('./ipc');
const { profiled, attribute } = require('./profile');
const { UPLOAD } = require('./data');

const { DIST, ROOT, TRANSPORT } = require('../support/dist');

const config = JSON.parse(process.argv[2]);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-bench-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
// n8n-core's settings folder (see test/harness/engine.js), removed with the rest.
process.env.N8N_USER_FOLDER = path.join(scratch, 'n8n');
fs.mkdirSync(process.env.N8N_USER_FOLDER);

/** Time, CPU time and peak RSS growth of `fn`. */
async function measure(fn) {
	if (global.gc) global.gc();
	const before = process.memoryUsage.rss();
	const highWaterBefore = process.resourceUsage().maxRSS * 1024;
	let peak = before;
	const sample = () => {
		peak = Math.max(peak, process.memoryUsage.rss());
	};
	const timer = setInterval(sample, 5);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	let value;
	try {
		value = await fn();
	} finally {
		clearInterval(timer);
	}
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	sample();
	const highWater = process.resourceUsage().maxRSS * 1024;
	if (highWater > highWaterBefore) peak = Math.max(peak, highWater);
	return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rssGrowth: peak - before, value };
}

/**
 * What a run produced, in a few characters: the uids in order (lists), uid and
 * status of each answer (state actions), the statuses of each new invoice
 * (uploads: their uids are new every run). Equal digests, equal results.
 */
function digestOf(op, jsons) {
	const key = {
		getMany: (json) => json.uid,
		stateAction: (json) => `${json.uid}:${json.approvement_status}`,
		create: (json) => `${json.processing_status}:${json.approvement_status}`,
	}[op];
	if (!key) return undefined;
	const hash = crypto.createHash('sha1');
	for (const json of jsons) hash.update(`${key(json)}\n`);
	return `${jsons.length}:${hash.digest('hex').slice(0, 12)}`;
}

/** The clients that run on n8n's engine: "node", "floor" and "httpRequest". */
function engineClient() {
	const { createEngine } = require('../harness/engine');
	if (config.keepAlive) {
		// Diagnostic only: one keep-alive agent for every request, patched into
		// n8n-core, to show what the per-request agents of n8n's helper cost.
		const http = require('node:http');
		const shared = new http.Agent({ keepAlive: true });
		require(path.join(path.dirname(require.resolve('n8n-core')), 'http-proxy.js')).createHttpProxyAgent = () => shared;
	}
	const { sim } = config;
	let nodeTypes = {};
	let httpRequest;
	if (config.client === 'floor') {
		const { floorNodeType, FLOOR_TYPE } = require('./floorNode');
		nodeTypes = { [FLOOR_TYPE]: floorNodeType() };
	} else if (config.client === 'httpRequest') {
		httpRequest = require('./httpRequestNode').loadHttpRequestNodes();
		nodeTypes = httpRequest.types;
	}
	const engine = createEngine({
		packDir: DIST,
		nodeTypes,
		credentials: {
			billOverApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
			// What a user of the HTTP Request node makes for this API: a Header Auth credential.
			httpHeaderAuth: { name: 'Api-Key', value: sim.apiKey },
		},
	});

	/**
	 * Runs `nodes` after a start node emitting `items`; answers the summed execution
	 * time of the nodes named in `timed`, the last node's output count and digest.
	 */
	async function runFlow(op, nodes, items = [{ json: {} }], timed = nodes.map((node) => node.name), { mayFail = false } = {}) {
		const { startNodeType } = require('../harness/nodes');
		const { run } = await engine.runWorkflow({
			nodes: [{ name: 'Start', type: 'harness.start', parameters: {} }, ...nodes],
			extraTypes: { 'harness.start': startNodeType(items) },
		});
		const last = nodes[nodes.length - 1].name;
		const { items: output, error, runError } = engine.nodeResult(run, last);
		const { runData } = run.data.resultData;
		// Every try of a node (Retry On Fail) counts.
		const ms = timed.reduce((sum, name) => sum + (runData[name] || []).reduce((total, task) => total + task.executionTime, 0), 0);
		if (error || runError) {
			if (!mayFail) throw new Error(`${last} failed: ${(error || runError).message}`);
			// The run failed: every item failed (nothing came out).
			return { ms, count: 0, errors: items.length, runFailed: (error || runError).message };
		}
		const errors = output.filter((item) => item.json.error !== undefined).length;
		return { ms, count: output.length, errors, digest: digestOf(op, output.map((item) => item.json)), fileSize: output[0] && output[0].json.fileSize };
	}
	const uidItems = (uids) => uids.map((uid) => ({ json: { uid } }));
	const uploadItems = (count) =>
		Array.from({ length: count }, () => ({ json: {}, binary: { data: { buffer: UPLOAD.bytes, fileName: UPLOAD.fileName, mimeType: UPLOAD.mimeType } } }));

	if (config.client === 'floor') {
		const { FLOOR_TYPE } = require('./floorNode');
		const floor = (op, parameters, items) => runFlow(op, [{ name: 'Floor', type: FLOOR_TYPE, parameters }], items);
		return {
			getMany: ({ limit }) => floor('getMany', { operation: 'list', limit: limit ?? 0 }),
			stateAction: ({ uids, path }) => floor('stateAction', { operation: 'stateAction', uid: '={{ $json.uid }}', path }, uidItems(uids)),
			create: ({ count }) => floor('create', { operation: 'create' }, uploadItems(count)),
		};
	}

	if (config.client === 'httpRequest') return { ...httpRequestClient(runFlow, uidItems, uploadItems, httpRequest.typeVersion), typeVersion: httpRequest.typeVersion };

	const transport = require(path.join(ROOT, TRANSPORT));
	const byJsonUid = { __rl: true, mode: 'id', value: '={{ $json.uid }}' };
	let poller;
	/** What the trigger keeps: its own static data and the workflow's global (its starting point, until the first poll). */
	const storedBytes = () => Buffer.byteLength(JSON.stringify(poller.memory())) + Buffer.byteLength(JSON.stringify(poller.memoryGlobal()));
	const runNode = (op, parameters, items, continueOnFail = false) => runFlow(op, [{ name: 'BillOver', type: 'billOver', parameters, continueOnFail }], items);
	/** `parallel`: 'auto' is the node's default (Requests in Parallel: Auto); a number, Fixed with that many items; `{ ceiling }`, Auto with that ceiling. */
	const options = (parallel) => {
		if (parallel === 'auto') return {};
		// `{ ceiling }`: Auto with another Max Requests in Parallel.
		if (typeof parallel === 'object') return { options: { parallelRequests: 'auto', maxParallel: parallel.ceiling } };
		return { options: { parallelRequests: 'fixed', itemsInParallel: parallel } };
	};
	return {
		async getMany({ limit, pageConcurrency = transport.DEFAULT_PAGE_CONCURRENCY }) {
			const previous = transport.configurePageConcurrency(pageConcurrency);
			try {
				return await runNode('getMany', { resource: 'invoice', operation: 'getMany', ...(limit === undefined ? { returnAll: true } : { returnAll: false, limit }) });
			} finally {
				transport.configurePageConcurrency(previous);
			}
		},
		stateAction: ({ uids, operation, parallel = 1, continueOnFail }) =>
			runNode('stateAction', { resource: 'invoice', operation, invoiceId: byJsonUid, ...options(parallel) }, uidItems(uids), continueOnFail),
		create: ({ count, parallel = 1, continueOnFail }) => runNode('create', { resource: 'invoice', operation: 'create', ...options(parallel) }, uploadItems(count), continueOnFail),
		exportXlsx: () => runNode('exportXlsx', { resource: 'invoice', operation: 'exportXlsx' }),
		download: ({ uid }) => runNode('download', { resource: 'invoice', operation: 'downloadFile', invoiceId: { __rl: true, mode: 'id', value: uid } }),
		/** A new trigger, activated (its first poll starts from "now"; not measured). */
		async triggerActivate({ parameters }) {
			poller = engine.poller({ type: 'billOverTrigger', parameters });
			await poller.poll();
			return { ms: 0, stateBytes: storedBytes() };
		},
		async triggerPoll() {
			const started = performance.now();
			const { items } = await poller.poll();
			return { ms: performance.now() - started, count: items.length, uids: items.map((item) => `${item.json.event} ${item.json.uid}`), stateBytes: storedBytes() };
		},
	};
}

/**
 * n8n's HTTP Request node, set up as a user would for this API: a Header
 * Auth credential (`Api-Key`), or (`auth: 'predefined'`) our credential type
 * as a predefined credential; Return All through its Pagination option
 * (`page` = `{{ $pageCount + 1 }}` with `page_size=100`, complete when
 * `{{ $pageCount >= $response.body.page_count }}`; the list answer has no
 * `next` link), then Split Out on `results` so that the items are the
 * invoices; one POST per item for a state action; one multipart upload per
 * item (a form-data binary field). `settings` are merged into the node's
 * Options (Batching, Response Format, ...), `pagination` into its
 * pagination settings, to find its fastest settings.
 */
function httpRequestClient(runFlow, uidItems, uploadItems, typeVersion) {
	const { HTTP_REQUEST_TYPE, SPLIT_OUT_TYPE } = require('./httpRequestNode');
	const { sim } = config;
	const authentication = (auth) =>
		auth === 'predefined'
			? { parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: 'billOverApi' }, credentials: { billOverApi: { id: 'billOverApi-1', name: 'BillOver API' } } }
			: { parameters: { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }, credentials: { httpHeaderAuth: { id: 'httpHeaderAuth-1', name: 'BillOver Api-Key' } } };
	/** `settings`: merged into its Options; `nodeSettings`: its Settings tab (Retry On Fail); `continueOnFail`: On Error: Continue. */
	const node = (parameters, { auth, settings = {}, nodeSettings, continueOnFail = false } = {}) => {
		const { parameters: authParameters, credentials } = authentication(auth);
		return { name: 'HTTP Request', type: HTTP_REQUEST_TYPE, typeVersion, credentials, continueOnFail, settings: nodeSettings, parameters: { ...authParameters, ...parameters, options: { ...(parameters.options || {}), ...settings } } };
	};
	return {
		getMany: ({ auth, settings, pagination = {} }) =>
			runFlow('getMany', [
				node(
					{
						method: 'GET',
						url: `${sim.baseUrl}/v1/invoices/`,
						sendQuery: true,
						queryParameters: { parameters: [{ name: 'page_size', value: '100' }] },
						options: {
							pagination: {
								pagination: {
									paginationMode: 'updateAParameterInEachRequest',
									parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
									paginationCompleteWhen: 'other',
									completeExpression: '={{ $pageCount >= $response.body.page_count }}',
									requestInterval: 0,
									...pagination,
								},
							},
						},
					},
					{ auth, settings },
				),
				{ name: 'Split Out', type: SPLIT_OUT_TYPE, typeVersion: 1, parameters: { fieldToSplitOut: 'results', include: 'noOtherFields', options: {} } },
			]),
		stateAction: ({ uids, path, auth, settings, nodeSettings, continueOnFail }) =>
			runFlow('stateAction', [node({ method: 'POST', url: `=${sim.baseUrl}/v1/invoices/{{ $json.uid }}/${path}` }, { auth, settings, nodeSettings, continueOnFail })], uidItems(uids), undefined, { mayFail: true }),
		create: ({ count, auth, settings, nodeSettings, continueOnFail }) =>
			runFlow(
				'create',
				[
					node(
						{
							method: 'POST',
							url: `${sim.baseUrl}/v1/invoices/`,
							sendBody: true,
							contentType: 'multipart-form-data',
							bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'file', inputDataFieldName: 'data' }] },
						},
						{ auth, settings, nodeSettings, continueOnFail },
					),
				],
				uploadItems(count),
				undefined,
				{ mayFail: true },
			),
	};
}

function rawClient() {
	const { createRawClient } = require('./raw');
	const raw = createRawClient(config.sim);
	const timed = (fn, op) => async (args) => {
		const started = performance.now();
		const value = await fn(args);
		const ms = performance.now() - started;
		if (Array.isArray(value)) return { ms, count: value.length, digest: digestOf(op, value) };
		return { ms, count: typeof value === 'number' ? value : undefined, fileSize: args && args.file ? value : undefined };
	};
	const file = () => path.join(scratch, `file-${process.hrtime.bigint()}`);
	return {
		getMany: timed(raw.getMany, 'getMany'),
		stateAction: timed(raw.stateAction, 'stateAction'),
		create: timed(raw.create, 'create'),
		exportXlsx: (args) => timed(raw.exportXlsx)({ ...args, file: file() }),
		download: (args) => timed(raw.download)({ ...args, file: file() }),
		replay: timed(raw.replay),
	};
}

let client;

serve(
	{
		/** One measured run of `op`: its time, peak RSS growth and what it produced. */
		async run({ op, args }) {
			const { rssGrowth, wallMs, cpuMs, value } = await measure(() => client[op](args));
			for (const name of fs.readdirSync(scratch)) if (name.startsWith('file-')) fs.rmSync(path.join(scratch, name), { force: true });
			return { ...value, wallMs, cpuMs, rssGrowth };
		},
		/** `op` under the CPU profiler: where its time went. */
		async profile({ op, args }) {
			const { result, profile } = await profiled(() => client[op](args));
			return { ...result, attribution: attribute(profile) };
		},
	},
	(async () => {
		if (config.client === 'raw') {
			client = rawClient();
		} else {
			if (config.binaryMode === 'filesystem') {
				const { useFilesystemBinaryData } = require('../harness/binaryData');
				await useFilesystemBinaryData(path.join(scratch, 'n8n-binary-data'));
			}
			client = engineClient();
		}
		return { pid: process.pid, typeVersion: client.typeVersion };
	})(),
);
