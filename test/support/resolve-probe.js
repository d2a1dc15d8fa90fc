'use strict';

/**
 * Loaded into every n8n process of the end-to-end test (NODE_OPTIONS=--require):
 * records, once per process and module, which file `require` resolved for
 * each bare module name the pack's files ask for (`zod`, `n8n-workflow`) —
 * proof of what the shipped tarball really runs against inside n8n.
 * Writes JSON lines to $BILLOVER_E2E_RESOLVE_LOG. Changes nothing it observes.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const logFile = process.env.BILLOVER_E2E_RESOLVE_LOG;
const MARK = `${path.sep}node_modules${path.sep}n8n-nodes-billover${path.sep}`;

if (logFile) {
	const seen = new Set();
	const original = Module._resolveFilename;
	Module._resolveFilename = function resolveFilename(request, parent, ...rest) {
		const resolved = original.call(this, request, parent, ...rest);
		try {
			const from = parent && parent.filename;
			if (from && from.includes(MARK) && !request.startsWith('.') && !path.isAbsolute(request) && !seen.has(request)) {
				seen.add(request);
				fs.appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, request, from, resolved, version: packageVersion(resolved) })}\n`);
			}
		} catch {}
		return resolved;
	};
}

/** The version of the package a resolved file belongs to. */
function packageVersion(file) {
	if (!path.isAbsolute(file)) return null; // a Node.js builtin
	let dir = path.dirname(file);
	while (dir !== path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest)) {
			const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
			if (pkg.name && pkg.version) return `${pkg.name}@${pkg.version}`;
		}
		dir = path.dirname(dir);
	}
	return null;
}
