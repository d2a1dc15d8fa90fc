'use strict';

/**
 * Calls between the benchmark's processes over Node's IPC channel:
 *   parent: const sim = connect(fork('simProcess.js')); await sim.call('latency', { ms: 20 });
 *   child:  serve({ latency: async ({ ms }) => ..., ... });
 */
const { fork } = require('node:child_process');

/** The parent's side: `call(op, args)` resolves with the child's answer or rejects with its error. */
function connect(child) {
	let nextId = 0;
	const pending = new Map();
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	child.on('message', (message) => {
		const waiting = pending.get(message.id);
		if (!waiting) return;
		pending.delete(message.id);
		if (message.error) waiting.reject(new Error(`${message.op}: ${message.error}`));
		else waiting.resolve(message.result);
	});
	exited.then(({ code, signal }) => {
		for (const { reject } of pending.values()) reject(new Error(`child exited (${code ?? signal}) during a call`));
		pending.clear();
	});
	return {
		child,
		exited,
		call(op, args = {}) {
			return new Promise((resolve, reject) => {
				const id = ++nextId;
				pending.set(id, { resolve, reject });
				child.send({ id, op, args });
			});
		},
		/** Disconnects (the child exits and cleans up), and kills it if it has not after 10 s. */
		async close() {
			if (child.exitCode === null && child.signalCode === null) {
				if (child.connected) child.disconnect();
				const timer = setTimeout(() => child.kill(), 10_000);
				await exited;
				clearTimeout(timer);
			}
			await exited;
		},
	};
}

/** Forks a bench script and connects to it; `ready` resolves with its first message's result. */
function start(script, args = [], execArgv = []) {
	const child = fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const connection = connect(child);
	connection.ready = new Promise((resolve, reject) => {
		child.once('message', (message) => (message.ready ? resolve(message.result) : reject(new Error(message.error))));
		connection.exited.then(({ code, signal }) => reject(new Error(`${script} exited (${code ?? signal}) before it was ready`)));
	});
	return connection;
}

/** The child's side: answers each call with `handlers[op](args)`. */
function serve(handlers, ready) {
	process.on('message', async ({ id, op, args }) => {
		try {
			const handler = handlers[op];
			if (!handler) throw new Error(`unknown call ${op}`);
			process.send({ id, op, result: await handler(args) });
		} catch (error) {
			process.send({ id, op, error: error && error.stack ? error.stack : String(error) });
		}
	});
	process.on('disconnect', () => process.exit(0));
	Promise.resolve(ready).then(
		(result) => process.send({ ready: true, result }),
		(error) => process.send({ ready: false, error: error && error.stack ? error.stack : String(error) }),
	);
}

module.exports = { connect, start, serve };
