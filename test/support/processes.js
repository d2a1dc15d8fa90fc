'use strict';

/**
 * Child processes for the end-to-end test and `npm run dev`: each one in its
 * own process group, so that stopping it stops what it started too (n8n
 * starts task runners); every one still running is killed when this process
 * exits, also on failure, Ctrl-C or SIGTERM. Every wait has a timeout.
 */
const { spawn } = require('node:child_process');

const { sleep } = require('./util');

/** Process groups started here and not yet stopped. */
const running = new Set();

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

let hooked = false;
function hookExit() {
	if (hooked) return;
	hooked = true;
	process.on('exit', () => {
		for (const child of running) killGroup(child.pid, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			for (const child of running) killGroup(child.pid, 'SIGTERM');
			process.exit(130);
		});
	}
}

/**
 * Start a long-running process (as another user with `uid`/`gid`). Output
 * is kept (last 2 MB) and passed to `onOutput` line by line.
 * @returns {{ child, pid: number, output: () => string, exited: Promise<{code, signal}>, stop: (ms?: number) => Promise<void> }}
 */
function startProcess(command, args, { cwd, env, onOutput, uid, gid } = {}) {
	hookExit();
	const child = spawn(command, args, { cwd, env, uid, gid, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	running.add(child);
	let output = '';
	let partial = '';
	const take = (chunk) => {
		const text = chunk.toString();
		output = (output + text).slice(-2_000_000);
		if (!onOutput) return;
		const lines = (partial + text).split('\n');
		partial = lines.pop();
		for (const line of lines) onOutput(line);
	};
	child.stdout.on('data', take);
	child.stderr.on('data', take);
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			running.delete(child);
			resolve({ code, signal });
		});
		child.on('error', (error) => {
			running.delete(child);
			output += `\n${error.message}`;
			resolve({ code: null, signal: null, error });
		});
	});
	return {
		child,
		pid: child.pid,
		output: () => output,
		exited,
		/** SIGKILL to the group at once (a crash); resolves when it is gone. */
		async kill() {
			if (!running.has(child)) return;
			killGroup(child.pid, 'SIGKILL');
			await exited;
		},
		/** SIGTERM to the group, SIGKILL after `ms`. */
		async stop(ms = 10_000) {
			if (!running.has(child)) return;
			killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), ms);
			await exited;
			clearTimeout(timer);
			// Whatever the group started and left behind.
			killGroup(child.pid, 'SIGKILL');
		},
	};
}

/**
 * Run a command to completion (killed with its group after `timeoutMs`).
 * @returns {Promise<{ code: number|null, stdout: string, stderr: string, ms: number }>}
 */
async function runCommand(command, args, { cwd, env, uid, gid, timeoutMs = 120_000 } = {}) {
	hookExit();
	const started = Date.now();
	const child = spawn(command, args, { cwd, env, uid, gid, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	running.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child.pid, 'SIGKILL');
	}, timeoutMs);
	const code = await new Promise((resolve) => {
		child.on('exit', (exitCode) => resolve(exitCode));
		child.on('error', (error) => {
			stderr += error.message;
			resolve(null);
		});
	});
	clearTimeout(timer);
	running.delete(child);
	killGroup(child.pid, 'SIGKILL');
	if (timedOut) throw new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs / 1000} s\n${tail(stdout + stderr)}`);
	return { code, stdout, stderr, ms: Date.now() - started };
}

/** Poll `check` until it returns a truthy value; fail after `timeoutMs` (at once on an error marked `fatal`). */
async function waitFor(what, check, { timeoutMs, intervalMs = 500 }) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			if (error && error.fatal) throw error;
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
		}
		await sleep(intervalMs);
	}
}

/** A free TCP port on loopback. */
function freePort() {
	const net = require('node:net');
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function tail(text, lines = 40) {
	return String(text).trimEnd().split('\n').slice(-lines).join('\n');
}

module.exports = { startProcess, runCommand, waitFor, freePort, tail };
