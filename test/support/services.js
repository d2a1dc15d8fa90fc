'use strict';

/**
 * The services of n8n's queue mode, as processes of their own on loopback,
 * started and stopped by PID: Debian's redis-server (the queue) and
 * PostgreSQL (n8n's database), each in a temporary folder. PostgreSQL's
 * initdb and postgres refuse to run as root: they run as the `postgres`
 * user (spawned with its uid and gid). Both are installed with apt-get when
 * missing (./debian.js).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { ensureDebianPackages } = require('./debian');
const { freePort, runCommand, startProcess, tail, waitFor } = require('./processes');

const REDIS = '/usr/bin/redis-server';

/** The newest PostgreSQL's bin folder (/usr/lib/postgresql/<major>/bin). */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((name) => fs.existsSync(path.join(root, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

function ensureQueueServices() {
	return ensureDebianPackages({ 'redis-server': REDIS, postgresql: () => Boolean(postgresBin()) });
}

/** One PING answered with +PONG. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
		socket.setTimeout(1000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.on('data', (data) => {
			socket.end();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.on('error', () => resolve(false));
	});
}

/** redis-server on a free loopback port, in-memory only (no RDB, no AOF). */
async function startRedis() {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-redis-'));
	const server = startProcess(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], { cwd: dir });
	await waitFor(`redis-server on 127.0.0.1:${port}`, async () => {
		const exit = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve(null), 0))]);
		if (exit) throw Object.assign(new Error(`redis-server exited:\n${tail(server.output())}`), { fatal: true });
		return redisPing(port);
	}, { timeoutMs: 20_000, intervalMs: 200 });
	return {
		host: '127.0.0.1',
		port,
		pid: server.pid,
		async stop() {
			await server.stop(5000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

function postgresUser() {
	const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
	return { uid, gid };
}

/**
 * A PostgreSQL cluster of its own: initdb in a temporary folder (trust
 * authentication, loopback only), postgres on a free port with its socket in
 * that folder, and a database `database` created in it.
 */
async function startPostgres({ database = 'n8n' } = {}) {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
	const { uid, gid } = postgresUser();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-postgres-'));
	fs.chownSync(dir, uid, gid);
	const data = path.join(dir, 'data');
	const as = { uid, gid, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } };
	const init = await runCommand(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], { ...as, timeoutMs: 120_000 });
	if (init.code !== 0) throw new Error(`initdb failed:\n${tail(init.stdout + init.stderr)}`);
	const port = await freePort();
	// Durability of the database itself is not under test (postgres is never killed): no fsync.
	const server = startProcess(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'], as);
	const psqlArgs = (db, sql) => ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql];
	await waitFor(`postgres on 127.0.0.1:${port}`, async () => {
		const exit = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve(null), 0))]);
		if (exit) throw Object.assign(new Error(`postgres exited:\n${tail(server.output())}`), { fatal: true });
		const ready = await runCommand(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { ...as, timeoutMs: 5000 });
		return ready.code === 0;
	}, { timeoutMs: 60_000, intervalMs: 300 });
	const created = await runCommand(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database], as);
	if (created.code !== 0) throw new Error(`createdb ${database} failed:\n${tail(created.stdout + created.stderr)}`);
	return {
		host: '127.0.0.1',
		port,
		database,
		user: 'postgres',
		pid: server.pid,
		version: path.basename(path.dirname(bin)),
		/** Rows of a query (psql, tab-separated) as arrays of strings. */
		async query(sql) {
			const result = await runCommand(path.join(bin, 'psql'), psqlArgs(database, sql), { ...as, timeoutMs: 30_000 });
			if (result.code !== 0) throw new Error(`psql: ${sql}\n${tail(result.stdout + result.stderr)}`);
			return result.stdout
				.split('\n')
				.filter((line) => line.length)
				.map((line) => line.split('\t'));
		},
		async stop() {
			// SIGINT: postgres's fast shutdown (SIGTERM would wait for every client to leave).
			try {
				process.kill(server.pid, 'SIGINT');
			} catch {}
			await server.stop(10_000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureQueueServices, startRedis, startPostgres };
