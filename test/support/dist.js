'use strict';

/**
 * The one place that names files of the build (dist/) for the tests,
 * scripts and benchmarks that load them by path. The node and credential
 * files come from package.json's `n8n` section; what it does not name
 * (the trigger's tracker, the transport) is derived from them or listed
 * here.
 *
 * Every path is relative to a package root: the repository (its dist/, from
 * `npm run build`) or an installed pack (`<nodes folder>/node_modules/
 * n8n-nodes-billover`, the code of the tarball n8n runs).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const pkg = require('../../package.json');

/** The trigger's tracker folder, beside BillOverTrigger.node.js. */
const TRACKER_DIRS = ['dist/nodes/BillOver/trigger/tracker'];

/** The built node files package.json names, e.g. dist/nodes/BillOver/BillOver.node.js. */
const NODE_FILES = pkg.n8n.nodes;
const CREDENTIAL_FILES = pkg.n8n.credentials;

/** The node file whose class is `className` (BillOver, BillOverTrigger). */
function nodeFile(className) {
	const file = NODE_FILES.find((entry) => path.basename(entry) === `${className}.node.js`);
	if (!file) throw new Error(`package.json's n8n.nodes names no ${className}.node.js: ${NODE_FILES.join(', ')}`);
	return file;
}

/** The action node's transport (configureRetryTiming, configurePageConcurrency): beside BillOver.node.js. */
const TRANSPORT = path.join(path.dirname(nodeFile('BillOver')), 'transport');

/** The tracker module `name` (e.g. 'time': toUtcIso) of the build under `root`. */
function trackerModule(name, root = ROOT) {
	const dir = TRACKER_DIRS.find((candidate) => fs.existsSync(path.join(root, candidate)));
	if (!dir) throw new Error(`No tracker in ${root}: looked for ${TRACKER_DIRS.join(', ')}`);
	return require(path.join(root, dir, name));
}

/** The root of the pack installed in an n8n nodes folder. */
function installedPack(nodesDir) {
	return path.join(nodesDir, 'node_modules', pkg.name);
}

module.exports = { ROOT, DIST: path.join(ROOT, 'dist'), NODE_FILES, CREDENTIAL_FILES, TRANSPORT, nodeFile, trackerModule, installedPack };
