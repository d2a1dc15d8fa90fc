'use strict';

/**
 * Cold load, in a fresh process: the time to `require` n8n-workflow (n8n has
 * it loaded before it loads community nodes) and then the built credential
 * and node modules from dist/. Prints one JSON line.
 */
const path = require('node:path');

// Loaded before the clock starts: it only names files (package.json's n8n section).
const { CREDENTIAL_FILES, DIST, NODE_FILES, ROOT } = require('../support/dist');

const started = performance.now();
require('n8n-workflow');
const workflowLoaded = performance.now();
// The credential and the nodes, as package.json names them; each module exports its class under the file's name.
const modules = [...CREDENTIAL_FILES, ...NODE_FILES];
const before = new Set(Object.keys(require.cache));
const classes = modules.map((file) => require(path.join(ROOT, file))[path.basename(file).split('.')[0]]);
const loaded = performance.now();
// n8n instantiates the classes when it loads the package.
for (const Class of classes) new Class();
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
