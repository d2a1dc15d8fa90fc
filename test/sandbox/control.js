'use strict';

/**
 * The simulator's control API, on the API origin under /_simulator/, for
 * tests that run the simulator as a separate process (e.g. next to a real
 * n8n). Same Api-Key as the API; these requests are not faulted, not delayed
 * and not written to the request log.
 *
 *   GET    /_simulator/info             seed, URLs, invoice count, latency and the
 *                                       reference data (companies, cards, workspaceUsers, categories)
 *   GET    /_simulator/transitions      sim.transitions (?since=<seq> for newer ones only)
 *   GET    /_simulator/log              sim.log (?since=<seq>); RegExps are not involved
 *   DELETE /_simulator/log              clear the log → 204
 *   POST   /_simulator/faults           { count, fault, match } → faults.next(count, fault, match)
 *                                       or { random: { probability, seed, faults, match } } → 204
 *                                       (match.path is an exact path; match.pathPattern a RegExp source)
 *   DELETE /_simulator/faults           faults.clear() → 204
 *   PUT    /_simulator/latency          { latencyMs } → 204
 *   GET    /_simulator/limits           { rate, burst, maxInFlight, stats: { admitted, limited, peakInFlight, inFlight } }
 *   PUT    /_simulator/limits           { rate?, burst?, maxInFlight? } (what is left out stays) → 204
 *   DELETE /_simulator/limits/stats     the counters from zero → 204
 *   GET    /_simulator/invoices         every invoice, newest first: { uid, hf_id, created_at,
 *                                       approvement_status, processing_status }
 *   POST   /_simulator/invoices         { fileName, mimeType?, contentBase64?, createdAt?, processing? }
 *                                       → 201 detail (store.createInvoice)
 *   POST   /_simulator/invoices/{uid}/finish-processing  { fail?: boolean }
 *                                       → 200 detail; 404 unknown; 409 not processing
 */

const {
	ApiError,
	NotFoundError,
	NotAuthenticatedError,
	MethodNotAllowedError,
} = require('./errors');
const { json, noContent } = require('./http');

/** Bad control input → 400 `{detail}`. */
function badRequest(message) {
	return new ApiError(400, { detail: message });
}

/** Entries with seq greater than `?since=`. */
function since(list, ctx) {
	const value = ctx.query.since ? Number(ctx.query.since[ctx.query.since.length - 1]) : 0;
	return Number.isFinite(value) && value > 0 ? list.filter((entry) => entry.seq > value) : list;
}

/**
 * @param {import('./index').Simulator} sim
 */
function createControlHandler(sim) {
	const routes = [
		{
			pattern: /^\/_simulator\/info$/,
			methods: {
				GET: () =>
					json(200, {
						seed: sim.seed,
						baseUrl: sim.baseUrl,
						storageBaseUrl: sim.storageBaseUrl,
						invoiceCount: sim.store.count(),
						latencyMs: sim.latencyMs,
						companies: sim.store.companies,
						cards: sim.store.cards,
						workspaceUsers: sim.store.workspaceUsers,
						categories: sim.store.categories,
					}),
			},
		},
		{
			pattern: /^\/_simulator\/transitions$/,
			methods: { GET: (ctx) => json(200, since(sim.transitions, ctx)) },
		},
		{
			pattern: /^\/_simulator\/log$/,
			methods: {
				GET: (ctx) => json(200, since(sim.log, ctx)),
				DELETE() {
					sim.clearLog();
					return noContent();
				},
			},
		},
		{
			pattern: /^\/_simulator\/faults$/,
			methods: {
				POST(ctx) {
					const body = ctx.json();
					try {
						if (body && body.random) sim.faults.random(body.random);
						else sim.faults.next(body.count ?? 1, body.fault, body.match || {});
					} catch (error) {
						if (error instanceof TypeError || error instanceof SyntaxError)
							throw badRequest(error.message);
						throw error;
					}
					return noContent();
				},
				DELETE() {
					sim.faults.clear();
					return noContent();
				},
			},
		},
		{
			pattern: /^\/_simulator\/latency$/,
			methods: {
				PUT(ctx) {
					const { latencyMs } = ctx.json();
					if (typeof latencyMs !== 'number' || !(latencyMs >= 0))
						throw badRequest('latencyMs must be a number >= 0');
					sim.latencyMs = latencyMs;
					return noContent();
				},
			},
		},
		{
			pattern: /^\/_simulator\/limits$/,
			methods: {
				GET: () => json(200, { ...sim.limits, stats: sim.limitStats }),
				PUT(ctx) {
					const body = ctx.json();
					if (!body || typeof body !== 'object') throw badRequest('a JSON object { rate?, burst?, maxInFlight? } is expected');
					try {
						sim.limits = { rate: body.rate, burst: body.burst, maxInFlight: body.maxInFlight };
					} catch (error) {
						if (error instanceof TypeError) throw badRequest(error.message);
						throw error;
					}
					return noContent();
				},
			},
		},
		{
			pattern: /^\/_simulator\/limits\/stats$/,
			methods: {
				DELETE() {
					sim.resetLimitStats();
					return noContent();
				},
			},
		},
		{
			pattern: /^\/_simulator\/invoices$/,
			methods: {
				GET: () =>
					json(
						200,
						sim.store.listInvoices({}).map(({ uid, hf_id, created_at, approvement_status, processing_status }) => ({ uid, hf_id, created_at, approvement_status, processing_status })),
					),
				POST(ctx) {
					const body = ctx.json();
					if (!body || typeof body.fileName !== 'string') throw badRequest('fileName is required');
					let created;
					try {
						created = sim.store.createInvoice({
							fileName: body.fileName,
							mimeType: body.mimeType,
							data: body.contentBase64 ? Buffer.from(body.contentBase64, 'base64') : undefined,
							createdAt: body.createdAt,
							processing: body.processing,
						});
					} catch (error) {
						if (error instanceof TypeError) throw badRequest(error.message);
						throw error;
					}
					return json(201, created);
				},
			},
		},
		{
			pattern: /^\/_simulator\/invoices\/(?<uid>[^/]+)\/finish-processing$/,
			methods: {
				POST(ctx, { uid }) {
					const body = ctx.json();
					return json(200, sim.store.finishProcessing(uid, { fail: Boolean(body && body.fail) }));
				},
			},
		},
	];

	return async function handleControl(ctx) {
		const route = routes.find((candidate) => candidate.pattern.test(ctx.path));
		if (!route) throw new NotFoundError();
		if (ctx.headers['api-key'] !== sim.apiKey) throw new NotAuthenticatedError();
		const handler = route.methods[ctx.method];
		if (!handler) throw new MethodNotAllowedError(ctx.method, Object.keys(route.methods));
		return handler(ctx, route.pattern.exec(ctx.path).groups || {});
	};
}

module.exports = { createControlHandler };
