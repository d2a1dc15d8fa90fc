'use strict';

/**
 * One measured client in its own process: "node" runs the built BillOver
 * nodes (dist/) on n8n-core's engine through the test harness; "raw" is the
 * undici client of raw.js. The benchmark calls `run` with a scenario and gets
 * back the time and the peak memory growth of that run.
 *
 *   node --expose-gc worker.js '{"client":"node","sim":{...},"binaryMode":"memory"}'
 *
 * Node time is the BillOver node's execution time as n8n records it for the
 * run (what the editor shows); a trigger poll is timed around `poll()`.
 * CPU time: the process's user + system time during the run. Memory: RSS
 * sampled every 5 ms and the process's RSS high-water mark, minus the RSS
 * before the run (after a GC).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { serve } = require('./ipc');
const { profiled, attribute } = require('./profile');
const { UPLOAD } = require('./data');

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
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

function nodeClient() {
	const { createEngine } = require('../harness/engine');
	if (config.keepAlive) {
		// Diagnostic only: one keep-alive agent for every request, patched into
		// n8n-core, to show what the per-request agents of n8n's helper cost.
		const http = require('node:http');
		const shared = new http.Agent({ keepAlive: true });
		require(path.join(path.dirname(require.resolve('n8n-core')), 'http-proxy.js')).createHttpProxyAgent = () => shared;
	}
	const transport = require(path.join(DIST, 'nodes/BillOver/transport'));
	const { sim } = config;
	const engine = createEngine({ packDir: DIST, credentials: { billOverApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } } });
	const byJsonUid = { __rl: true, mode: 'id', value: '={{ $json.uid }}' };
	let poller;

	/** Runs the BillOver node; answers its execution time (ms), output count and file size. */
	async function runNode(parameters, items) {
		const { items: output, error, run } = await engine.runNode({ type: 'billOver', parameters, items });
		if (error) throw new Error(`BillOver node failed: ${error.message}`);
		const [task] = run.data.resultData.runData.BillOver;
		return { ms: task.executionTime, count: output.length, fileSize: output[0] && output[0].json.fileSize };
	}

	const options = (parallel) => (parallel > 1 ? { options: { itemsInParallel: parallel } } : {});
	return {
		async getMany({ limit, pageConcurrency = transport.DEFAULT_PAGE_CONCURRENCY }) {
			const previous = transport.configurePageConcurrency(pageConcurrency);
			try {
				return await runNode({ resource: 'invoice', operation: 'getMany', ...(limit === undefined ? { returnAll: true } : { returnAll: false, limit }) });
			} finally {
				transport.configurePageConcurrency(previous);
			}
		},
		stateAction: ({ uids, operation, parallel = 1 }) =>
			runNode({ resource: 'invoice', operation, invoiceId: byJsonUid, ...options(parallel) }, uids.map((uid) => ({ json: { uid } }))),
		create: ({ count, parallel = 1 }) =>
			runNode(
				{ resource: 'invoice', operation: 'create', ...options(parallel) },
				Array.from({ length: count }, () => ({ json: {}, binary: { data: { buffer: UPLOAD.bytes, fileName: UPLOAD.fileName, mimeType: UPLOAD.mimeType } } })),
			),
		exportXlsx: () => runNode({ resource: 'invoice', operation: 'exportXlsx' }),
		download: ({ uid }) => runNode({ resource: 'invoice', operation: 'downloadFile', invoiceId: { __rl: true, mode: 'id', value: uid } }),
		/** A new trigger, activated (its first poll starts from "now"; not measured). */
		async triggerActivate({ parameters }) {
			poller = engine.poller({ type: 'billOverTrigger', parameters });
			await poller.poll();
			return { ms: 0, stateBytes: Buffer.byteLength(JSON.stringify(poller.memory())) };
		},
		async triggerPoll() {
			const started = performance.now();
			const { items } = await poller.poll();
			return { ms: performance.now() - started, count: items.length, stateBytes: Buffer.byteLength(JSON.stringify(poller.memory())) };
		},
	};
}

function rawClient() {
	const { createRawClient } = require('./raw');
	const raw = createRawClient(config.sim);
	const timed = (fn) => async (args) => {
		const started = performance.now();
		const value = await fn(args);
		return { ms: performance.now() - started, count: typeof value === 'number' ? value : undefined, fileSize: args && args.file ? value : undefined };
	};
	const file = () => path.join(scratch, `file-${process.hrtime.bigint()}`);
	return {
		getMany: timed(raw.getMany),
		stateAction: timed(raw.stateAction),
		create: timed(raw.create),
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
		if (config.client === 'node') {
			if (config.binaryMode === 'filesystem') {
				const { useFilesystemBinaryData } = require('../harness/binaryData');
				await useFilesystemBinaryData(path.join(scratch, 'n8n-binary-data'));
			}
			client = nodeClient();
		} else {
			client = rawClient();
		}
		return { pid: process.pid };
	})(),
);
