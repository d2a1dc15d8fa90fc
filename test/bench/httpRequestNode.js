'use strict';

/**
 * n8n's own HTTP Request node (and the Split Out node a user puts after it),
 * from n8n-nodes-base of the n8n version CI uses, loaded into the harness's
 * engine so that it runs on exactly the engine our node runs on.
 *
 * Where it comes from: .cache/n8n/<CI version>/node_modules/n8n-nodes-base,
 * the n8n the e2e test installs (test/support/n8n-install.js). `ensureNodesBase()`
 * installs that n8n when it is missing (about 4 minutes, once).
 *
 * Why a resolve hook: required from .cache, the node's `require('n8n-workflow')`
 * would load .cache's copy of n8n-workflow next to the harness's, so its
 * `instanceof NodeApiError` checks, its expression code and its error classes
 * would not be those of the engine that runs it. The engine must be the same
 * for every client (the point of the comparison), so the other choice —
 * running the HTTP Request node on .cache's n8n-core — would put it on a
 * different engine than our node. Instead, the packages whose identity the
 * node and the engine share resolve, when required from inside .cache, to the
 * copies the harness's engine uses: `n8n-workflow` and `n8n-core` (the repo's
 * dev dependencies), and `form-data` (n8n-core's own copy: the node builds
 * its multipart body with it and n8n-core checks `instanceof FormData`; in
 * n8n both are the one hoisted package). The node's own code and its other
 * dependencies (lodash, ...) stay n8n's. The versions are checked to be the
 * ones that n8n release ships (n8n 2.8.4: n8n-core 2.8.1, n8n-workflow
 * 2.8.0, form-data 4.0.4, the same as the harness's), and are reported.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const { CI_VERSION, n8nPaths } = require('../support/n8n-install');

/** The typeVersion measured: the newest the HTTP Request node of that n8n offers (its default for new nodes). */
const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const SPLIT_OUT_TYPE = 'n8n-nodes-base.splitOut';

function nodeModules(version = CI_VERSION) {
	return path.join(n8nPaths(version).dir, 'node_modules');
}

function readVersion(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')).version;
	} catch {
		return undefined;
	}
}

/** Whether n8n-nodes-base of `version` is in .cache. */
function isPresent(version = CI_VERSION) {
	return readVersion(path.join(nodeModules(version), 'n8n-nodes-base', 'package.json')) !== undefined;
}

/**
 * Makes sure n8n-nodes-base of the CI's n8n is in .cache: installs that n8n
 * (test/support/n8n-install.js) only when it is missing, so a complete install is
 * never touched.
 */
async function ensureNodesBase(log = () => {}) {
	if (isPresent()) return;
	log(`n8n ${CI_VERSION} (for its HTTP Request node) is not in .cache: installing it (about 4 minutes, once)`);
	const { ensureN8n } = require('../support/n8n-install');
	await ensureN8n(CI_VERSION, { progress: (line) => log(`  ${line}`) });
	if (!isPresent()) throw new Error(`n8n ${CI_VERSION} was installed but ${nodeModules()}/n8n-nodes-base is missing`);
}

/** The directory the harness's n8n-core resolves its own dependencies from. */
const coreDir = () => path.dirname(require.resolve('n8n-core', { paths: [ROOT] }));

/**
 * Packages shared by identity between the node and the engine, and where the
 * harness's copy is resolved from.
 */
const SHARED = [
	[/^(n8n-workflow|n8n-core)(\/|$)/, () => ROOT],
	[/^form-data(\/|$)/, coreDir],
];

/** Versions: n8n, its n8n-nodes-base, and the shared packages as that release ships them and as the harness has them. */
function versions(version = CI_VERSION) {
	const modules = nodeModules(version);
	const harness = (name, from) => readVersion(require.resolve(`${name}/package.json`, { paths: [from] }));
	return {
		n8n: readVersion(path.join(modules, 'n8n', 'package.json')) || version,
		nodesBase: readVersion(path.join(modules, 'n8n-nodes-base', 'package.json')),
		shipped: {
			'n8n-core': readVersion(path.join(modules, 'n8n-core', 'package.json')),
			'n8n-workflow': readVersion(path.join(modules, 'n8n-workflow', 'package.json')),
			'form-data': readVersion(path.join(modules, 'form-data', 'package.json')),
		},
		harness: { 'n8n-core': harness('n8n-core', ROOT), 'n8n-workflow': harness('n8n-workflow', ROOT), 'form-data': harness('form-data', coreDir()) },
	};
}

/**
 * From now on in this process, the SHARED packages required by any module
 * under .cache/n8n/<version>/ resolve to the harness's copies.
 */
function shareEngine(version = CI_VERSION) {
	const cacheDir = n8nPaths(version).dir + path.sep;
	const resolve = Module._resolveFilename;
	Module._resolveFilename = function resolveToHarness(request, parent, isMain, options) {
		if (parent && parent.filename && parent.filename.startsWith(cacheDir)) {
			const shared = SHARED.find(([pattern]) => pattern.test(request));
			if (shared) return resolve.call(this, request, parent, isMain, { paths: [shared[1]()] });
		}
		return resolve.call(this, request, parent, isMain, options);
	};
}

/**
 * The HTTP Request and Split Out node types, keyed by their n8n type names,
 * loaded on the harness's engine. Throws when the n8n-core / n8n-workflow that
 * n8n release ships differ from the harness's: then the HTTP Request node
 * would run on an engine it was not released with.
 */
function loadHttpRequestNodes(version = CI_VERSION) {
	const found = versions(version);
	const differ = Object.keys(found.shipped).filter((name) => found.shipped[name] !== found.harness[name]);
	if (differ.length) {
		throw new Error(
			`n8n ${found.n8n} ships ${differ.map((name) => `${name} ${found.shipped[name]}`).join(', ')}; the harness has ${differ.map((name) => found.harness[name]).join(', ')}: ` +
				'the HTTP Request node would run on an engine it was not released with',
		);
	}
	shareEngine(version);
	const dist = path.join(nodeModules(version), 'n8n-nodes-base', 'dist', 'nodes');
	const { HttpRequest } = require(path.join(dist, 'HttpRequest', 'HttpRequest.node.js'));
	const { SplitOut } = require(path.join(dist, 'Transform', 'SplitOut', 'SplitOut.node.js'));
	const httpRequest = new HttpRequest();
	// The hook worked: none of the shared packages was loaded from .cache.
	const cacheDir = n8nPaths(version).dir + path.sep;
	const strays = Object.keys(require.cache).filter((file) => file.startsWith(cacheDir) && /node_modules\/(n8n-workflow|n8n-core|form-data)\//.test(file));
	if (strays.length) throw new Error(`the HTTP Request node loaded its own copy of a shared package: ${strays[0]}`);
	const typeVersion = Math.max(...Object.keys(httpRequest.nodeVersions).map(Number));
	return { types: { [HTTP_REQUEST_TYPE]: httpRequest, [SPLIT_OUT_TYPE]: new SplitOut() }, typeVersion, versions: found };
}

module.exports = { ensureNodesBase, loadHttpRequestNodes, versions, isPresent, HTTP_REQUEST_TYPE, SPLIT_OUT_TYPE, CI_VERSION };
