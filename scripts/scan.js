#!/usr/bin/env node
'use strict';

/**
 * n8n's own scanner for community packages (@n8n/scan-community-package,
 * what n8n runs before it lists a package as verified), on both legs it
 * scans a published package: the source (its SOURCE_FILE_PATTERNS) and the
 * unpacked `npm pack` tarball (`**\/*.js` and `package.json`).
 *
 *   npm run scan                        # builds and packs
 *   npm run scan -- --tarball <file>    # a tarball packed already (or $BILLOVER_TARBALL)
 *
 * The scanner is installed into .cache/scanner/ (never into the pack) from
 * a small package.json of its own: its TypeScript 7 has no compiler API, so
 * TypeScript 5.9.3 is pinned there, with n8n-workflow beside it.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { npmCli } = require('../test/support/n8n-install');
const { packedTarball } = require('../test/support/pack');
const { runCommand, tail } = require('../test/support/processes');
const { parseArgs } = require('../test/support/util');

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, '.cache', 'scanner');
const SCANNER = '@n8n/scan-community-package';
const MANIFEST = {
	name: 'billover-scanner',
	private: true,
	dependencies: { [SCANNER]: '0.32.0', typescript: '5.9.3', 'n8n-workflow': '2.8.0' },
	overrides: { typescript: '5.9.3' },
};

async function ensureScanner() {
	const entry = path.join(DIR, 'node_modules', SCANNER, 'scanner', 'scanner.mjs');
	const manifest = path.join(DIR, 'package.json');
	const current = fs.existsSync(manifest) ? fs.readFileSync(manifest, 'utf8') : '';
	const wanted = `${JSON.stringify(MANIFEST, null, 2)}\n`;
	if (current !== wanted || !fs.existsSync(entry)) {
		fs.mkdirSync(DIR, { recursive: true });
		fs.writeFileSync(manifest, wanted);
		console.log(`Installing ${SCANNER} ${MANIFEST.dependencies[SCANNER]} into ${path.relative(ROOT, DIR)}`);
		const args = [npmCli(), 'install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'];
		const result = await runCommand(process.execPath, args, { cwd: DIR, env: process.env, timeoutMs: 10 * 60_000 });
		if (result.code !== 0) throw new Error(`npm install in ${DIR} failed:\n${tail(result.stdout + result.stderr)}`);
	}
	return import(pathToFileURL(entry).href);
}

async function main() {
	const options = parseArgs(process.argv.slice(2), { tarball: { type: 'string' } });
	const scanner = await ensureScanner();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-scan-'));
	try {
		const { tarball } = await packedTarball(options.tarball, work);
		const unpacked = path.join(work, 'unpacked');
		fs.mkdirSync(unpacked);
		const untar = await runCommand('tar', ['-xzf', tarball, '-C', unpacked], { timeoutMs: 60_000 });
		if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
		const legs = [
			['source', ROOT, scanner.SOURCE_FILE_PATTERNS],
			['tarball', path.join(unpacked, 'package'), ['**/*.js', 'package.json']],
		];
		let passed = true;
		for (const [name, dir, patterns] of legs) {
			const result = await scanner.analyzePackage(dir, patterns);
			console.log(`${result.passed ? '✓' : '✗'} n8n scanner, ${name} (${patterns.join(', ')}): ${result.passed ? 'passed' : result.message}`);
			if (!result.passed) {
				passed = false;
				if (result.details) console.log(result.details);
			}
		}
		process.exitCode = passed ? 0 : 1;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error.stack || error.message);
	process.exit(1);
});
