'use strict';

/**
 * Where a run's time goes: a V8 CPU profile of the run (node:inspector),
 * each sample charged to the first owner found walking its stack from the
 * leaf up (so JSON.parse called by our transport is ours, a socket write
 * made by axios is the HTTP client's).
 */
const inspector = require('node:inspector');

/** Owners, first match wins for a frame; a frame that matches none is passed over. */
const OWNERS = [
	['undici (raw client)', /node_modules\/undici\//],
	[
		"n8n's HTTP helper (axios, proxy lookup, request options)",
		/node_modules\/(axios|follow-redirects|proxy-from-env|http-proxy-agent|https-proxy-agent|agent-base|form-data|combined-stream|asynckit|delayed-stream|qs|side-channel[^/]*|get-intrinsic|mime-types|mime-db)\/|n8n-core\/dist\/(http-proxy\.js|execution-engine\/node-execution-context\/utils\/request-helper-functions\.js)/,
	],
	["Node's sockets and HTTP parser (net, http)", /^node:(net|http|https|_http_\w+|dns|tls|internal\/(net|stream_base_commons|dns\/\w+|http))$/],
	["n8n's binary data helpers", /n8n-core\/dist\/(binary-data\/|execution-engine\/node-execution-context\/utils\/binary-helper-functions)/],
	[
		"n8n: node parameters and expressions (getNodeParameter)",
		/node_modules\/(n8n-workflow|luxon|@n8n\/tournament|@n8n\/expression-runtime|ast-types|recast|esprima-next|jmespath|transliteration|lodash|js-base64|@n8n\/errors)\/|n8n-core\/dist\/execution-engine\/node-execution-context\//,
	],
	["n8n's engine (WorkflowExecute)", /n8n-core\/dist\//],
	['our code (dist/, incl. zod validation)', /\/dist\/(nodes|credentials)\/|node_modules\/zod\//],
	['test harness (start node)', /\/test\/harness\//],
];

/**
 * Whole-stack rules, checked first (nearest the leaf wins): what runs inside
 * them belongs to them whatever it calls. `null` leaves the sample out.
 */
const CONTEXTS = [
	[null, /\/test\/bench\/profile\.js|^node:inspector$/],
	[
		"n8n: the credential applied to each request (={{$credentials.apiKey}} resolved)",
		/\/test\/harness\/credentials\.js/,
	],
];

const SPECIAL = {
	'(idle)': 'idle: waiting for the simulator',
	'(garbage collector)': 'garbage collection',
	'(program)': 'V8 / runtime (native)',
};

const OTHER = 'Node runtime (promises, timers, streams)';

/** Runs `fn` under the CPU profiler; answers its result and the profile. */
async function profiled(fn, intervalUs = 200) {
	const session = new inspector.Session();
	session.connect();
	const post = (method, params) =>
		new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: intervalUs });
	await post('Profiler.start');
	let result;
	let failure;
	try {
		result = await fn();
	} catch (error) {
		failure = error;
	}
	const { profile } = await post('Profiler.stop');
	session.disconnect();
	if (failure) throw failure;
	return { result, profile };
}

/** Milliseconds per owner, largest first. */
function attribute(profile) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
	const contexts = new Map();
	/** The context rule the stack of node `id` passes through nearest the leaf, or undefined. */
	const contextOf = (id) => {
		if (contexts.has(id)) return contexts.get(id);
		const { url } = byId.get(id).callFrame;
		const match = CONTEXTS.find(([, pattern]) => url && pattern.test(url));
		const context = match ? match : parent.has(id) ? contextOf(parent.get(id)) : undefined;
		contexts.set(id, context);
		return context;
	};
	const owners = new Map();
	const ownerOf = (id) => {
		if (owners.has(id)) return owners.get(id);
		const { functionName, url } = byId.get(id).callFrame;
		let owner = Object.hasOwn(SPECIAL, functionName) ? SPECIAL[functionName] : undefined;
		if (!owner) {
			const match = OWNERS.find(([, pattern]) => url && pattern.test(url));
			if (match) owner = match[0];
		}
		if (!owner) owner = parent.has(id) ? ownerOf(parent.get(id)) : OTHER;
		owners.set(id, owner);
		return owner;
	};
	const chargeOf = (id) => {
		const context = contextOf(id);
		return context ? context[0] : ownerOf(id);
	};
	const totals = new Map();
	let total = 0;
	profile.samples.forEach((id, index) => {
		const us = profile.timeDeltas[index] || 0;
		const owner = chargeOf(id);
		if (owner === null) return;
		total += us;
		totals.set(owner, (totals.get(owner) || 0) + us);
	});
	return {
		totalMs: total / 1000,
		owners: [...totals].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms),
	};
}

module.exports = { profiled, attribute };
