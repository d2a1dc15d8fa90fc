'use strict';

/**
 * BillOver simulator: an in-process (or, via ./cli.js, standalone) fake of
 * the BillOver API as docs/API.md describes it, the vendor's documents and
 * the project's reading of what they leave open. Two HTTP origins:
 *   - the API (`sim.baseUrl`): /v1/invoices/... (./routes.js) and the control
 *     API /_simulator/... (./control.js);
 *   - the storage host (`sim.storageBaseUrl`) serving invoice files (./storage.js).
 *
 *   const { startSimulator } = require('./test/sandbox');
 *   const sim = await startSimulator({ seed: 7, invoices: 40 });
 *   await fetch(`${sim.baseUrl}/v1/invoices/`, { headers: { 'Api-Key': sim.apiKey } });
 *   sim.faults.next(1, { type: 'status', status: 429, retryAfter: 2 });
 *   await sim.close();
 *
 * Control API (same Api-Key; not faulted, not logged; details in ./control.js):
 *   GET /_simulator/info · GET /_simulator/transitions · GET|DELETE /_simulator/log ·
 *   POST|DELETE /_simulator/faults · PUT /_simulator/latency · POST /_simulator/invoices ·
 *   POST /_simulator/invoices/{uid}/finish-processing
 *
 * Choices made where the documents are silent: docs/API.md, Assumptions.
 */

const { Store } = require('./store');
const { FaultInjector } = require('./faults');
const { createOriginServer } = require('./pipeline');
const { createApiHandler } = require('./routes');
const { createControlHandler } = require('./control');
const { createStorageHandler } = require('./storage');
const { offsetToMinutes } = require('./time');
const { RateLimits } = require('./limits');
const { Gate } = require('./gate');
const errors = require('./errors');

/**
 * @typedef {Object} SimulatorOptions
 * @property {number} [seed=1]          everything invented derives from it
 * @property {number} [invoices=25]     how many seeded invoices
 * @property {string} [apiKey='test-key']
 * @property {string} [host='127.0.0.1']
 * @property {number} [port=0]          API port (0: any free port)
 * @property {number} [storagePort=0]   storage host port
 * @property {number|null} [ocrDelayMs=50]  upload → processing finished; null: only by finishProcessing()
 * @property {number} [latencyMs=0]     added before every answer (also settable later: sim.latencyMs)
 * @property {{ rate?: number, burst?: number, maxInFlight?: number }} [limits]  rate limits (./limits.js; also sim.limits)
 * @property {() => Date} [now]         the clock
 * @property {string} [utcOffset='+03:00']  the offset datetimes are shown in (as in the vendor's examples)
 */

/**
 * State shared by both origins' request pipelines.
 * @typedef {Object} SimulatorState
 * @property {import('./pipeline').LogEntry[]} log
 * @property {number} logSeq
 * @property {FaultInjector} faults
 * @property {number} latencyMs
 * @property {RateLimits} limits  what the API origin enforces (./limits.js)
 * @property {Gate|null} gate  holds API requests until enough are waiting (./gate.js)
 * @property {Set<NodeJS.Timeout>} timers  pending delays, cleared on close
 */

/** Listen and answer the URL clients should use. */
function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const address = server.address();
			let urlHost = address.address;
			if (urlHost === '0.0.0.0') urlHost = '127.0.0.1';
			if (urlHost === '::') urlHost = '::1';
			if (urlHost.includes(':')) urlHost = `[${urlHost}]`;
			resolve(`http://${urlHost}:${address.port}`);
		});
	});
}

function closeServer(server) {
	return new Promise((resolve) => {
		if (!server.listening) return resolve();
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

class Simulator {
	/** @type {SimulatorState} */
	#state;
	#servers = [];

	/** @param {Required<SimulatorOptions>} options */
	constructor(options) {
		this.seed = options.seed;
		this.apiKey = options.apiKey;
		/** @type {string} e.g. http://127.0.0.1:40123 (no trailing slash) */
		this.baseUrl = '';
		/** @type {string} */
		this.storageBaseUrl = '';
		this.#state = {
			log: [],
			logSeq: 0,
			faults: new FaultInjector(),
			latencyMs: options.latencyMs,
			limits: new RateLimits(options.limits),
			gate: null,
			timers: new Set(),
		};
		this.store = new Store({
			seed: options.seed,
			invoices: options.invoices,
			now: options.now,
			offsetMinutes: offsetToMinutes(options.utcOffset),
			ocrDelayMs: options.ocrDelayMs,
			fileUrl: (record) => `${this.storageBaseUrl}/invoices/${record.uid}.${record.file.ext}`,
		});
	}

	/** The record of events (see store.js Transition). Seeded invoices have none. */
	get transitions() {
		return this.store.transitions;
	}

	/** Every API and storage request, oldest first (see pipeline.js LogEntry). */
	get log() {
		return this.#state.log;
	}

	/** Fault injection (./faults.js). */
	get faults() {
		return this.#state.faults;
	}

	/** Milliseconds added before every answer; may be changed at any time. */
	get latencyMs() {
		return this.#state.latencyMs;
	}

	set latencyMs(value) {
		this.#state.latencyMs = Number(value) || 0;
	}

	/**
	 * The rate limits the API enforces (./limits.js): `{ rate, burst,
	 * maxInFlight }`; assign to change them at any time (what is left out stays).
	 */
	get limits() {
		return this.#state.limits.settings;
	}

	set limits(value) {
		this.#state.limits.set(value ?? {});
	}

	/** Requests admitted and refused (429) by the rate limits, and the most in flight at once. */
	get limitStats() {
		return { ...this.#state.limits.stats, inFlight: this.#state.limits.inFlight };
	}

	resetLimitStats() {
		this.#state.limits.resetStats();
	}

	/**
	 * Holds every API request (before it is handled) until `count` of them
	 * wait, then lets them all go on, and those after it (./gate.js). For tests
	 * of how many requests a client sends at once, without timing: a client
	 * that never has `count` in flight never opens it. `match(logEntry)`
	 * picks the requests it holds (the others pass).
	 */
	gate(count, match) {
		const gate = new Gate(
			count,
			() => {
				if (this.#state.gate === gate) this.#state.gate = null;
			},
			match,
		);
		this.#state.gate = gate;
		return gate;
	}

	/** Empty the request log (the same array object stays in place). */
	clearLog() {
		this.#state.log.length = 0;
	}

	/**
	 * Log entries matching all given criteria.
	 * @param {{ origin?: 'api'|'storage', method?: string, path?: string|RegExp }} [filter]
	 */
	requests({ origin, method, path } = {}) {
		return this.#state.log.filter(
			(entry) =>
				(!origin || entry.origin === origin) &&
				(!method || entry.method === method.toUpperCase()) &&
				(!path || (path instanceof RegExp ? path.test(entry.path) : entry.path === path)),
		);
	}

	/** @param {Required<SimulatorOptions>} options */
	async _listen(options) {
		const storage = createOriginServer({
			origin: 'storage',
			handle: createStorageHandler(this),
			state: this.#state,
		});
		const api = createOriginServer({
			origin: 'api',
			handle: createApiHandler(this),
			handleControl: createControlHandler(this),
			state: this.#state,
		});
		this.#servers = [storage, api];
		this.storageBaseUrl = await listen(storage, options.storagePort, options.host);
		this.baseUrl = await listen(api, options.port, options.host);
	}

	/** Stop both servers, drop open connections, cancel OCR and delay timers. */
	async close() {
		this.store.dispose();
		for (const timer of this.#state.timers) clearTimeout(timer);
		this.#state.timers.clear();
		await Promise.all(this.#servers.map(closeServer));
	}
}

/**
 * Start a simulator.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	/** @type {Required<SimulatorOptions>} */
	const resolved = {
		seed: 1,
		invoices: 25,
		apiKey: 'test-key',
		host: '127.0.0.1',
		port: 0,
		storagePort: 0,
		ocrDelayMs: 50,
		latencyMs: 0,
		limits: {},
		now: () => new Date(),
		utcOffset: '+03:00',
		...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
	};
	const sim = new Simulator(resolved);
	try {
		await sim._listen(resolved);
	} catch (error) {
		await sim.close();
		throw error;
	}
	return sim;
}

const {
	APPROVEMENT_STATUSES,
	PROCESSING_STATUSES,
	PAYMENT_TYPES,
	UNITS,
	CURRENCIES,
} = require('./validation');
const { EXPORT_COLUMNS } = require('./exports');
const { mulberry32, randomUuid } = require('./random');
const { permissionsFor } = require('./serializers');
const { compareInvoices } = require('./store');

module.exports = {
	startSimulator,
	Simulator,
	// Typed errors the store throws (ApiError, NotFoundError, PermissionDeniedError, ...).
	...errors,
	// Vocabulary of the API (docs/API.md, Values).
	APPROVEMENT_STATUSES,
	PROCESSING_STATUSES,
	PAYMENT_TYPES,
	UNITS,
	CURRENCIES,
	EXPORT_COLUMNS,
	// Helpers for tests and random actors.
	permissionsFor,
	compareInvoices,
	mulberry32,
	randomUuid,
	FaultInjector,
};
