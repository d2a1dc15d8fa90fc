'use strict';

/**
 * Debian packages the tests need (Chromium for the UI test, Redis and
 * PostgreSQL for queue mode), installed with apt-get when a file they ship
 * is missing, so that a fresh machine needs nothing by hand. `apt-get
 * update` runs only when the first install finds no package lists.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

/**
 * @param {Record<string, string | (() => boolean)>} wanted  package → a file it installs (or a test)
 */
function ensureDebianPackages(wanted) {
	const missing = Object.entries(wanted)
		.filter(([, probe]) => (typeof probe === 'function' ? !probe() : !fs.existsSync(probe)))
		.map(([name]) => name);
	if (!missing.length) return [];
	console.log(`· installing Debian packages: apt-get install -y ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
	try {
		install();
	} catch {
		execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
		install();
	}
	return missing;
}

module.exports = { ensureDebianPackages };
