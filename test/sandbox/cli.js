#!/usr/bin/env node
'use strict';

/**
 * Run the BillOver simulator as a sandbox to try workflows against:
 *
 *   node test/sandbox/cli.js [--port 8787] [--storage-port 0] [--host 127.0.0.1]
 *     [--seed 1] [--invoices 40] [--api-key sandbox-key] [--ocr-delay-ms 3000]
 *     [--latency-ms 0] [--utc-offset +03:00]
 *     [--rate-limit 0] [--burst <rate>] [--max-in-flight 0]   (rate limits, 0 = none: ./limits.js)
 *
 * Prints the base URL, the storage URL and the API key; stops on SIGINT/SIGTERM.
 */

const { startSimulator } = require('./index');

const OPTIONS = {
	'--port': ['port', Number, 8787],
	'--storage-port': ['storagePort', Number, 0],
	'--host': ['host', String, '127.0.0.1'],
	'--seed': ['seed', Number, 1],
	'--invoices': ['invoices', Number, 40],
	'--api-key': ['apiKey', String, 'sandbox-key'],
	'--ocr-delay-ms': ['ocrDelayMs', Number, 3000],
	'--latency-ms': ['latencyMs', Number, 0],
	'--utc-offset': ['utcOffset', String, '+03:00'],
	'--rate-limit': ['rate', Number, 0],
	'--burst': ['burst', Number, undefined],
	'--max-in-flight': ['maxInFlight', Number, 0],
};

/** The options of startSimulator, with the rate limits as `limits`. */
function simulatorOptions({ rate, burst, maxInFlight, ...rest }) {
	return { ...rest, limits: { rate, burst, maxInFlight } };
}

function parseArgs(argv) {
	const options = Object.fromEntries(
		Object.values(OPTIONS).map(([name, , fallback]) => [name, fallback]),
	);
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--help' || flag === '-h') {
			console.log(`Options: ${Object.keys(OPTIONS).join(' ')}`);
			process.exit(0);
		}
		const spec = OPTIONS[flag];
		if (!spec) throw new Error(`Unknown option ${flag}`);
		const raw = inline !== undefined ? inline : argv[++i];
		if (raw === undefined) throw new Error(`Missing value for ${flag}`);
		const value = spec[1](raw);
		if (spec[1] === Number && !Number.isFinite(value)) throw new Error(`${flag} needs a number`);
		options[spec[0]] = value;
	}
	return options;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const sim = await startSimulator(simulatorOptions(options));
	console.log('BillOver simulator running');
	console.log(`  Base URL:    ${sim.baseUrl}`);
	console.log(`  Storage URL: ${sim.storageBaseUrl}`);
	console.log(`  API key:     ${sim.apiKey}`);
	console.log(`  Invoices:    ${sim.store.count()} (seed ${options.seed})`);
	if (options.rate || options.maxInFlight) console.log(`  Limits:      ${options.rate || 'no'} requests/s (burst ${sim.limits.burst}), ${options.maxInFlight || 'any number'} in flight; over them: 429 with Retry-After`);
	console.log(`  Try: curl -H 'Api-Key: ${sim.apiKey}' ${sim.baseUrl}/v1/invoices/`);
	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping`);
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
