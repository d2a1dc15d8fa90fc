#!/usr/bin/env node
'use strict';

/**
 * Installs a real n8n (and, when it needs one, a Node.js from the npm package
 * `node`) into the ignored cache folder `.cache/`, outside the pack, so the
 * end-to-end test and `npm run dev` can run our tarball inside it.
 *
 *   node test/support/n8n-install.js [version ...]     # default: the CI version
 *   node test/support/n8n-install.js --node 24         # just a Node.js 24 (npm package node@24)
 *   node test/support/n8n-install.js --cache-key 2.8.4 # CI's cache key for that version's install
 *   node test/support/n8n-install.js --node-major 2.41.1   # the Node.js major that version runs on
 *
 * Each n8n gets a small harness package.json of its own in .cache/n8n/<version>/
 * (never the published one): n8n as a dependency plus the pins this machine
 * needs (./n8n-recipes.json). An install whose package.json is unchanged and whose
 * n8n is complete is reused.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.cache');

/**
 * The recipes (./n8n-recipes.json): for each version the Node.js major it
 * runs on, its pins (overrides of packages n8n's own nodes use, never ours),
 * the native modules to build and any n8n settings it needs on that Node;
 * `base` applies to all. Each entry says why.
 */
const RECIPE_FILE = path.join(__dirname, 'n8n-recipes.json');
const { base: BASE, versions: RECIPES, ciVersion: CI_VERSION, devVersion: DEV_VERSION } = JSON.parse(fs.readFileSync(RECIPE_FILE, 'utf8'));

function recipe(version) {
	const entry = RECIPES[version];
	if (!entry) throw new Error(`No install recipe for n8n ${version}; known: ${Object.keys(RECIPES).join(', ')}`);
	return entry;
}

/** The harness package.json for one n8n version. */
function harnessPackageJson(version) {
	const { dependencies = {}, overrides = {} } = recipe(version);
	return {
		name: `billover-e2e-n8n-${version.replace(/\./g, '-')}`,
		private: true,
		dependencies: { n8n: version, ...BASE.dependencies, ...dependencies },
		overrides: { ...BASE.overrides, ...overrides },
	};
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Same JSON value, key order aside. */
function sameJson(a, b) {
	const canonical = (value) =>
		value && typeof value === 'object' && !Array.isArray(value)
			? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]))
			: value;
	return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function run(command, args, { cwd, env, logFile, timeoutMs }) {
	return new Promise((resolve, reject) => {
		const log = fs.openSync(logFile, 'a');
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log], detached: true });
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
			reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs / 1000} s (log: ${logFile})`));
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			fs.closeSync(log);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			fs.closeSync(log);
			if (code === 0) resolve();
			else reject(new Error(`${command} ${args.join(' ')} failed (${signal || `exit ${code}`}); see ${logFile}`));
		});
	});
}

/** npm's own CLI script, to run it with another node binary. */
function npmCli() {
	const candidates = [
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		process.env.npm_execpath,
	].filter(Boolean);
	const found = candidates.find((file) => file.endsWith('npm-cli.js') && fs.existsSync(file));
	if (!found) throw new Error('Cannot find npm-cli.js next to this node');
	return found;
}

/**
 * A node binary of the given major: this process's when it matches, else
 * one installed from the npm package `node@<major>` into .cache/node/<major>/.
 * Returns { node, nodedir } (nodedir: the headers native modules build against).
 */
async function ensureNode(major, { quiet = false } = {}) {
	if (Number(process.versions.node.split('.')[0]) === major) {
		return { node: process.execPath, nodedir: undefined, version: process.version };
	}
	const dir = path.join(CACHE, 'node', String(major));
	const node = path.join(dir, 'node_modules', 'node', 'bin', 'node');
	const nodedir = path.join(dir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
	if (!fs.existsSync(node) || !fs.existsSync(path.join(nodedir, 'include', 'node'))) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `billover-node-${major}`, private: true }, null, 2)}\n`);
		if (!quiet) console.log(`Installing Node.js ${major} from the npm package node@${major} into ${path.relative(ROOT, dir)}`);
		// `--ignore-scripts=false`: the package's postinstall puts the binary in
		// place, and under `npm run` npm hands the project's ignore-scripts=true
		// down through npm_config_ignore_scripts.
		await run(process.execPath, [npmCli(), 'install', `node@${major}`, '--no-audit', '--no-fund', '--foreground-scripts', '--ignore-scripts=false'], {
			cwd: dir,
			env: process.env,
			logFile: path.join(dir, 'install.log'),
			timeoutMs: 5 * 60_000,
		});
	}
	const { execFileSync } = require('node:child_process');
	const version = execFileSync(node, ['--version']).toString().trim();
	return { node, nodedir, version };
}

function n8nPaths(version) {
	const dir = path.join(CACHE, 'n8n', version);
	return {
		dir,
		main: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		packageJson: path.join(dir, 'package.json'),
		log: path.join(dir, 'install.log'),
	};
}

/** Whether .cache/n8n/<version> holds a complete install of this recipe. */
function isInstalled(version) {
	const paths = n8nPaths(version);
	return (
		sameJson(readJson(paths.packageJson), harnessPackageJson(version)) &&
		readJson(path.join(paths.dir, 'node_modules', 'n8n', 'package.json'))?.version === version &&
		fs.existsSync(path.join(paths.dir, 'node_modules', '.package-lock.json')) &&
		fs.existsSync(paths.main)
	);
}

/**
 * Installs n8n <version> unless the cache holds it. Returns
 * { version, dir, main, node, nodeVersion, installedNow, seconds }:
 * run n8n as `<node> <main> <command>`.
 */
async function ensureN8n(version, { quiet = false, progress } = {}) {
	const { node: major } = recipe(version);
	const runtime = await ensureNode(major, { quiet });
	const paths = n8nPaths(version);
	const started = Date.now();
	let installedNow = false;
	if (!isInstalled(version)) {
		const free = freeGigabytes(CACHE);
		if (free !== undefined && free < 4) throw new Error(`Only ${free.toFixed(1)} GB free for ${paths.dir}; an n8n install takes about 1.7 GB`);
		// An install of another recipe is updated in place (npm reconciles it).
		fs.mkdirSync(paths.dir, { recursive: true });
		fs.writeFileSync(paths.packageJson, `${JSON.stringify(harnessPackageJson(version), null, 2)}\n`);
		fs.rmSync(path.join(paths.dir, 'node_modules', '.package-lock.json'), { force: true });
		if (!quiet) console.log(`Installing n8n ${version} into ${path.relative(ROOT, paths.dir)} (about 3 minutes, 1.7 GB; log: ${path.relative(ROOT, paths.log)})`);
		// npm runs with the node n8n will run on, against that node's headers.
		const env = { ...process.env, PATH: `${path.dirname(runtime.node)}${path.delimiter}${process.env.PATH}` };
		const common = ['--legacy-peer-deps', '--no-audit', '--no-fund', ...(runtime.nodedir ? [`--nodedir=${runtime.nodedir}`] : [])];
		const npm = (args, timeoutMs) => run(runtime.node, [npmCli(), ...args, ...common], { cwd: paths.dir, env, logFile: paths.log, timeoutMs });
		// No install scripts: most build optional native modules, and
		// isolated-vm (1.123's expression engine) needs Node 22+ to build. Then
		// the recipe's native modules are built: sqlite3 (n8n's database), and
		// on Node 24 isolated-vm.
		const ticker = progress ? reportProgress(paths.dir, started, progress) : undefined;
		try {
			await npm(['install', '--ignore-scripts'], 20 * 60_000);
			for (const name of recipe(version).build || BASE.build) {
				if (!isBuilt(path.join(paths.dir, 'node_modules', name))) {
					progress?.(`building ${name}`);
					await npm(['rebuild', name, '--ignore-scripts=false', '--foreground-scripts'], 15 * 60_000);
				}
			}
		} finally {
			if (ticker) clearInterval(ticker);
		}
		if (!isInstalled(version)) throw new Error(`npm finished but n8n ${version} is not complete in ${paths.dir}; see ${paths.log}`);
		installedNow = true;
	}
	return {
		version,
		dir: paths.dir,
		main: paths.main,
		/** Settings this version needs here (RECIPES). */
		env: recipe(version).env || {},
		node: runtime.node,
		nodeVersion: runtime.version,
		installedNow,
		seconds: Math.round((Date.now() - started) / 1000),
	};
}

/** Every 15 s while n8n installs: how far it is (the size of its node_modules so far). */
function reportProgress(dir, started, progress) {
	const { execFileSync } = require('node:child_process');
	const timer = setInterval(() => {
		let megabytes = '?';
		try {
			megabytes = execFileSync('du', ['-sm', path.join(dir, 'node_modules')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\t')[0];
		} catch {}
		progress(`${Math.round((Date.now() - started) / 1000)} s: ${megabytes} MB of about 1,700 installed`);
	}, 15_000);
	timer.unref();
	return timer;
}

/** Whether a native module has its compiled addon (build/Release/*.node). */
function isBuilt(dir) {
	try {
		return fs.readdirSync(path.join(dir, 'build', 'Release')).some((name) => name.endsWith('.node'));
	} catch {
		return false;
	}
}

function freeGigabytes(dir) {
	try {
		fs.mkdirSync(dir, { recursive: true });
		const stats = fs.statfsSync(dir);
		return (stats.bavail * stats.bsize) / 1e9;
	} catch {
		return undefined;
	}
}

/**
 * CI's cache key for one version's install: what makes it (its harness
 * package.json, the modules built, the Node.js major, the platform) and
 * nothing else, so that a change to another version's recipe keeps it.
 */
function cacheKey(version) {
	const { node, build = BASE.build } = recipe(version);
	const made = JSON.stringify({ harness: harnessPackageJson(version), build, node, platform: `${process.platform}-${process.arch}` });
	const hash = require('node:crypto').createHash('sha256').update(made).digest('hex').slice(0, 16);
	return `n8n-${version}-node${node}-${process.platform}-${process.arch}-${hash}`;
}

module.exports = { RECIPES, CI_VERSION, DEV_VERSION, cacheKey, ensureN8n, ensureNode, isInstalled, harnessPackageJson, n8nPaths, npmCli };

if (require.main === module) {
	// node test/support/n8n-install.js [version ...] | --node <major> | --cache-key <version> | --node-major <version>
	const args = process.argv.slice(2);
	(async () => {
		if (args[0] === '--cache-key') return console.log(cacheKey(args[1] || CI_VERSION));
		if (args[0] === '--node-major') return console.log(recipe(args[1] || CI_VERSION).node);
		if (args[0] === '--node') {
			const runtime = await ensureNode(Number(args[1]));
			console.log(`Node.js ${args[1]}: ${path.relative(ROOT, runtime.node) || runtime.node} (${runtime.version})`);
			return;
		}
		for (const version of args.length ? args : [CI_VERSION]) {
			const n8n = await ensureN8n(version);
			console.log(`n8n ${version}: ${path.relative(ROOT, n8n.dir)} on node ${n8n.nodeVersion}${n8n.installedNow ? ` (installed in ${n8n.seconds} s)` : ' (cached)'}`);
		}
	})().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
