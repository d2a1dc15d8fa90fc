'use strict';

/** `npm run build` and `npm pack`: the tarball users would install, checked to hold only dist/ and the usual top-level files. */
const path = require('node:path');

const { runCommand, tail } = require('./processes');

const ROOT = path.join(__dirname, '..', '..');
const TOP_LEVEL = ['LICENSE', 'README.md', 'package.json'];

/** Answers { tarball, files } with the tarball written into `dir`. */
async function buildAndPack(dir) {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const build = await runCommand(npm, ['run', 'build', '--silent'], { cwd: ROOT, timeoutMs: 5 * 60_000 });
	if (build.code !== 0) throw new Error(`npm run build failed:\n${tail(build.stdout + build.stderr)}`);
	const pack = await runCommand(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, timeoutMs: 2 * 60_000 });
	if (pack.code !== 0) throw new Error(`npm pack failed:\n${tail(pack.stdout + pack.stderr)}`);
	const [{ filename, files }] = JSON.parse(pack.stdout);
	const outside = files.map((file) => file.path).filter((file) => !file.startsWith('dist/') && !TOP_LEVEL.includes(file));
	if (outside.length) throw new Error(`the tarball holds files outside dist/: ${outside.join(', ')}`);
	return { tarball: path.join(dir, filename), files: files.length };
}

module.exports = { buildAndPack };
