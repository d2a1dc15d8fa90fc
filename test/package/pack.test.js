'use strict';

/**
 * What `npm pack` ships: the compiled nodes and credential the package.json
 * `n8n` section names, their icons and codex, and nothing else (no sources,
 * tests or simulator). Builds first, so it checks the real build.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const pkg = require('../../package.json');

describe('npm pack', () => {
	let files;
	beforeAll(() => {
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		files = JSON.parse(out.toString())[0].files.map((file) => file.path);
	}, 120_000);

	test('the package is an n8n community node package', () => {
		expect(pkg.name).toBe('n8n-nodes-billover');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});

	test('every node and credential named in the n8n section is in the tarball and loads', () => {
		for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			expect(files).toContain(entry);
			const exported = require(path.join(root, entry));
			const [Class] = Object.values(exported);
			const instance = new Class();
			expect(instance.name || instance.description.name).toBeTruthy();
		}
	});

	test('icons (light and dark) sit beside the files that reference them, and the codex ships', () => {
		const referenced = [];
		for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			const [Class] = Object.values(require(path.join(root, entry)));
			const instance = new Class();
			const icon = instance.icon || instance.description.icon;
			for (const variant of ['light', 'dark']) {
				expect(icon[variant]).toMatch(/^file:.+\.svg$/);
				referenced.push(path.posix.join(path.posix.dirname(entry), icon[variant].slice('file:'.length)));
			}
		}
		for (const file of referenced) expect(files).toContain(file);
		for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
	});

	test('nothing but dist/ and the usual top-level files', () => {
		const outside = files.filter((file) => !file.startsWith('dist/'));
		expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(files.some((file) => /(^|\/)test\/|simulator|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toBe(false);
	});
});
