'use strict';

/**
 * An npm registry on loopback, the read side of the protocol that
 * `npm install`, `npm view` and `npm outdated` use, for n8n's Community
 * Nodes installer in the end-to-end test: the pack is published here (its
 * tarball, then the next version), and everything else (a peer dependency
 * npm asks about) is fetched from the registry npm is configured with.
 *
 * Why not verdaccio: it would be one more install of about 60 packages into
 * .cache/ for two GET routes; npm needs only these:
 *   GET /<name>                   the packument: every version's manifest with `dist`
 *                                 (tarball URL, sha1 `shasum`, sha512 `integrity`), `dist-tags`
 *   GET /<name>/<version|latest>  one version's manifest (n8n asks for it before `npm pack`)
 *   GET /<name>/-/<file>.tgz      a tarball
 * (scoped names arrive as `@scope%2fname`). Audit requests are answered
 * with no advisories.
 *
 *   const registry = await startRegistry();
 *   registry.publish('/path/n8n-nodes-billover-0.1.0.tgz');   // reads its package.json
 *   registry.url                                               // http://127.0.0.1:<port>
 *   registry.requests                                          // [{ method, path, status }]
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const { execFileSync } = require('node:child_process');

/** The package.json inside a tarball (`package/package.json`). */
function manifestOf(tarball) {
	return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/** Where unknown packages are fetched from: npm's configured registry. */
function upstreamRegistry() {
	const configured = process.env.npm_config_registry || process.env.NPM_CONFIG_REGISTRY;
	return (configured || 'https://registry.npmjs.org/').replace(/\/?$/, '/');
}

function startRegistry({ upstream = upstreamRegistry() } = {}) {
	/** name → { versions: { version → { manifest, bytes, file } }, latest } */
	const packages = new Map();
	const requests = [];
	let url;

	function packument(name) {
		const entry = packages.get(name);
		const versions = {};
		const time = {};
		for (const [version, { manifest, bytes, file, publishedAt }] of Object.entries(entry.versions)) {
			versions[version] = {
				...manifest,
				_id: `${name}@${version}`,
				dist: {
					tarball: `${url}/${name}/-/${file}`,
					shasum: crypto.createHash('sha1').update(bytes).digest('hex'),
					integrity: `sha512-${crypto.createHash('sha512').update(bytes).digest('base64')}`,
				},
			};
			time[version] = publishedAt;
		}
		return { _id: name, name, 'dist-tags': { latest: entry.latest }, versions, time: { ...time, modified: time[entry.latest] } };
	}

	async function proxy(req, res, path) {
		try {
			const answer = await fetch(`${upstream}${path.replace(/^\//, '')}`, { headers: { accept: req.headers.accept || 'application/json' }, signal: AbortSignal.timeout(60_000) });
			const body = Buffer.from(await answer.arrayBuffer());
			res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') || 'application/octet-stream' });
			res.end(body);
			return answer.status;
		} catch (error) {
			res.writeHead(502, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: error.message }));
			return 502;
		}
	}

	const server = http.createServer(async (req, res) => {
		const path = decodeURIComponent((req.url || '/').split('?')[0]);
		const record = { method: req.method, path, status: 200, at: Date.now() };
		requests.push(record);
		req.resume();
		if (req.method === 'POST' && path.startsWith('/-/npm/v1/security/')) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{}');
			return;
		}
		const tarball = /^\/(.+)\/-\/([^/]+\.tgz)$/.exec(path);
		const versioned = !tarball && !packages.has(path.slice(1)) ? /^\/(.+)\/([^/]+)$/.exec(path) : null;
		const name = tarball ? tarball[1] : versioned ? versioned[1] : path.slice(1);
		if (req.method === 'GET' && packages.has(name) && versioned) {
			const document = packument(name);
			const version = versioned[2] === 'latest' ? document['dist-tags'].latest : versioned[2];
			const manifest = document.versions[version];
			record.status = manifest ? 200 : 404;
			res.writeHead(record.status, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
			res.end(JSON.stringify(manifest || { error: 'version not found' }));
			return;
		}
		if (req.method === 'GET' && packages.has(name)) {
			if (tarball) {
				const found = Object.values(packages.get(name).versions).find((entry) => entry.file === tarball[2]);
				if (!found) {
					record.status = 404;
					res.writeHead(404, { 'content-type': 'application/json' });
					res.end('{"error":"not found"}');
					return;
				}
				res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.bytes.length });
				res.end(found.bytes);
				return;
			}
			// No caching: npm must see the next version as soon as it is published.
			res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
			res.end(JSON.stringify(packument(name)));
			return;
		}
		record.status = await proxy(req, res, req.url || '/');
		record.proxied = true;
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			url = `http://127.0.0.1:${server.address().port}`;
			resolve({
				url,
				requests,
				/** Publishes a tarball under the name and version its package.json says; answers them. */
				publish(file) {
					const manifest = manifestOf(file);
					const entry = packages.get(manifest.name) || { versions: {}, latest: manifest.version };
					const base = manifest.name.split('/').pop();
					entry.versions[manifest.version] = { manifest, bytes: fs.readFileSync(file), file: `${base}-${manifest.version}.tgz`, publishedAt: new Date().toISOString() };
					entry.latest = manifest.version;
					packages.set(manifest.name, entry);
					return { name: manifest.name, version: manifest.version };
				},
				close: () =>
					new Promise((done) => {
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

/**
 * The tarball `file` again as version `version` (its package.json changed,
 * nothing else): the "next release" the update scenario publishes.
 */
function repackAs(file, version, workDir) {
	fs.mkdirSync(workDir, { recursive: true });
	execFileSync('tar', ['-xzf', file, '-C', workDir]);
	const manifestPath = `${workDir}/package/package.json`;
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	manifest.version = version;
	fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
	const out = `${workDir}/${manifest.name.split('/').pop()}-${version}.tgz`;
	execFileSync('tar', ['-czf', out, '-C', workDir, 'package']);
	return out;
}

module.exports = { startRegistry, repackAs, manifestOf };
