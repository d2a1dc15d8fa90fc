'use strict';

/**
 * The usual setup of an engine test: a simulator on loopback and an engine
 * whose BillOver credential points at it. Retries wait milliseconds, not
 * seconds (the policy is the same; only the clock is faster).
 *
 *   const fx = useSimulator({ invoices: 30 });     // in a describe block
 *   test('…', async () => { const { items } = await fx.engine.runNode({...}); fx.sim.log … });
 */
const { startSimulator } = require('../sandbox');
const { createEngine } = require('./engine');

const FAST_RETRIES = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 60_000 };

function configureFastRetries() {
	const { configureRetryTiming } = require('../../nodes/BillOver/transport');
	return configureRetryTiming(FAST_RETRIES);
}

/**
 * Starts one simulator for the enclosing describe block (beforeAll/afterAll),
 * clears its log and faults before each test.
 * @param {import('../sandbox').SimulatorOptions & { credentials?: object }} options
 */
function useSimulator(options = {}) {
	const fx = { sim: undefined, engine: undefined, credentials: undefined };
	let previousTiming;
	beforeAll(async () => {
		previousTiming = configureFastRetries();
		fx.sim = await startSimulator({ seed: 7, invoices: 30, ...options });
		fx.credentials = { apiKey: fx.sim.apiKey, baseUrl: fx.sim.baseUrl, ...(options.credentials || {}) };
		fx.engine = createEngine({ credentials: { billOverApi: fx.credentials } });
	});
	beforeEach(() => {
		fx.sim.clearLog();
		fx.sim.faults.clear();
	});
	afterAll(async () => {
		if (fx.sim) await fx.sim.close();
		const { configureRetryTiming } = require('../../nodes/BillOver/transport');
		if (previousTiming) configureRetryTiming(previousTiming);
	});
	return fx;
}

/** The API requests (not storage) in the simulator's log, as `METHOD /path?query`. */
function apiCalls(sim) {
	return sim.requests({ origin: 'api' }).map((entry) => {
		const query = Object.entries(entry.query)
			.flatMap(([key, values]) => values.map((value) => `${key}=${value}`))
			.join('&');
		return `${entry.method} ${entry.path}${query ? `?${query}` : ''}`;
	});
}

module.exports = { useSimulator, apiCalls, configureFastRetries, FAST_RETRIES };
