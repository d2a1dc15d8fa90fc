'use strict';

/**
 * Small helpers every script and test of test/ and scripts/ uses: one
 * `sleep`, one command-line parser, one loop that repeats a step until told
 * to stop. Nothing here starts a process or touches the machine.
 */
const util = require('node:util');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Node's own util.parseArgs, with what our scripts need on top: `number`
 * options, camelCase keys (`--sandbox-port` → `sandboxPort`), defaults, and
 * an error that names every option.
 *
 *   parseArgs(process.argv.slice(2), { port: { type: 'number', default: 5678 }, check: { type: 'boolean' } })
 *
 * @param {string[]} argv
 * @param {Record<string, { type: 'string' | 'boolean' | 'number', default?: unknown, multiple?: boolean, short?: string }>} spec  keyed by the flag without its dashes
 * @param {{ positionals?: (value: string) => boolean, usage?: string }} [options]
 *        positionals: which bare arguments are allowed (none when not given)
 * @returns {Record<string, unknown> & { positionals: string[] }}
 */
function parseArgs(argv, spec, { positionals: allowed, usage } = {}) {
	const known = Object.entries(spec).map(([flag, { type }]) => `--${flag}${type === 'boolean' ? '' : ` <${type === 'number' ? 'n' : 'value'}>`}`);
	const fail = (message) => {
		throw new Error(`${message}. ${usage || `Options: ${known.join(' ')}`}`);
	};
	const options = Object.fromEntries(Object.entries(spec).map(([flag, entry]) => [flag, { type: entry.type === 'boolean' ? 'boolean' : 'string', ...(entry.multiple ? { multiple: true } : {}), ...(entry.short ? { short: entry.short } : {}) }]));
	let parsed;
	try {
		parsed = util.parseArgs({ args: argv, options, allowPositionals: true, strict: true });
	} catch (error) {
		fail(error.message.split('\n')[0].replace(/\. To specify.*$/, ''));
	}
	const result = { positionals: parsed.positionals };
	for (const value of parsed.positionals) if (!allowed || !allowed(value)) fail(`Unknown argument ${value}`);
	for (const [flag, entry] of Object.entries(spec)) {
		const key = flag.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
		let value = parsed.values[flag];
		if (value !== undefined && entry.type === 'number') {
			value = Number(value);
			if (!Number.isFinite(value)) fail(`--${flag} takes a number, not ${parsed.values[flag]}`);
		}
		result[key] = value === undefined ? (entry.default ?? (entry.type === 'boolean' ? false : undefined)) : value;
	}
	return result;
}

/**
 * Runs `step` again and again, `pauseMs()` apart, until `stop()` (which
 * waits for the step under way); a step that throws counts in `done.failed`.
 * @returns {{ done: object, stop: () => Promise<void> }}
 */
function repeatUntilStopped(step, pauseMs, done = { failed: 0 }) {
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			await Promise.resolve()
				.then(step)
				.catch(() => done.failed++);
			if (!stopped) await sleep(pauseMs());
		}
	})();
	return {
		done,
		async stop() {
			stopped = true;
			await loop;
		},
	};
}

module.exports = { sleep, parseArgs, repeatUntilStopped };
