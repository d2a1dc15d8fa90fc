'use strict';

/**
 * Cold load, in a fresh process: the time to `require` n8n-workflow (n8n has
 * it loaded before it loads community nodes) and then the built credential
 * and node modules from dist/. Prints one JSON line.
 */
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist');
const started = performance.now();
require('n8n-workflow');
const workflowLoaded = performance.now();
const modules = [
	'credentials/BillOverApi.credentials.js',
	'nodes/BillOver/BillOver.node.js',
	'nodes/BillOverTrigger/BillOverTrigger.node.js',
];
const before = new Set(Object.keys(require.cache));
const { BillOverApi } = require(path.join(DIST, modules[0]));
const { BillOver } = require(path.join(DIST, modules[1]));
const { BillOverTrigger } = require(path.join(DIST, modules[2]));
const loaded = performance.now();
// n8n instantiates the classes when it loads the package.
new BillOverApi();
new BillOver();
new BillOverTrigger();
const instantiated = performance.now();
const files = Object.keys(require.cache).filter((file) => !before.has(file));
process.stdout.write(
	`${JSON.stringify({
		workflowMs: workflowLoaded - started,
		packMs: loaded - workflowLoaded,
		instantiateMs: instantiated - loaded,
		files: files.length,
		ownFiles: files.filter((file) => file.startsWith(DIST)).length,
	})}\n`,
);
