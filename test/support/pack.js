'use strict';

/**
 * The tarball users would install: either one already built and packed
 * (`--tarball <path>` or $BILLOVER_TARBALL; .ci/run packs once into
 * .cache/pack/ for every step) or `npm run build` and `npm pack` here.
 * Either way it is checked to hold only dist/ and the usual top-level files.
 *
 *   node test/support/pack.js <folder>     # build, pack into <folder>, print the tarball's path
 */
const fs = require('node:fs');
const path = require('node:path');

const { runCommand, tail } = require('./processes');

const ROOT = path.join(__dirname, '..', '..');
const TOP_LEVEL = ['LICENSE', 'README.md', 'package.json'];
/** The environment variable that names a tarball built and packed already. */
const TARBALL_ENV = 'BILLOVER_TARBALL';

function checkContents(files, tarball) {
	const outside = files.filter((file) => !file.startsWith('dist/') && !TOP_LEVEL.includes(file));
	if (outside.length) throw new Error(`${path.basename(tarball)} holds files outside dist/: ${outside.join(', ')}`);
}

/** Answers { tarball, files, built: true } with the tarball written into `dir`. */
async function buildAndPack(dir) {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const build = await runCommand(npm, ['run', 'build', '--silent'], { cwd: ROOT, timeoutMs: 5 * 60_000 });
	if (build.code !== 0) throw new Error(`npm run build failed:\n${tail(build.stdout + build.stderr)}`);
	const pack = await runCommand(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, timeoutMs: 2 * 60_000 });
	if (pack.code !== 0) throw new Error(`npm pack failed:\n${tail(pack.stdout + pack.stderr)}`);
	const [{ filename, files }] = JSON.parse(pack.stdout);
	const tarball = path.join(dir, filename);
	checkContents(files.map((file) => file.path), tarball);
	return { tarball, files: files.length, built: true };
}

/** A tarball packed earlier: checked like a fresh one. Answers { tarball, files, built: false }. */
async function givenTarball(file) {
	const tarball = path.resolve(file);
	if (!fs.existsSync(tarball)) throw new Error(`No tarball at ${tarball}`);
	const list = await runCommand('tar', ['-tzf', tarball], { timeoutMs: 60_000 });
	if (list.code !== 0) throw new Error(`tar -tzf ${tarball} failed: ${list.stderr}`);
	const files = list.stdout.split('\n').filter((entry) => entry && !entry.endsWith('/')).map((entry) => entry.replace(/^package\//, ''));
	checkContents(files, tarball);
	return { tarball, files: files.length, built: false };
}

/**
 * The tarball to test: `tarball` (a --tarball flag) or $BILLOVER_TARBALL
 * when given, else a build packed into `dir`.
 */
function packedTarball(tarball, dir) {
	const given = tarball || process.env[TARBALL_ENV];
	return given ? givenTarball(given) : buildAndPack(dir);
}

module.exports = { buildAndPack, givenTarball, packedTarball, TARBALL_ENV };

if (require.main === module) {
	const dir = path.resolve(process.argv[2] || path.join(ROOT, '.cache', 'pack'));
	fs.mkdirSync(dir, { recursive: true });
	buildAndPack(dir).then(
		({ tarball }) => console.log(tarball),
		(error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
