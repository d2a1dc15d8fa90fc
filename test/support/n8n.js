'use strict';

/**
 * One real n8n, from an install in .cache/n8n/<version>/ (./n8n-install.js),
 * with a user folder of its own: the pack installed from its tarball into
 * `<user folder>/.n8n/nodes` the way users install community packages, and
 * driven with n8n's own CLI (import:credentials, import:workflow, execute,
 * publish:workflow / update:workflow) and, once started, its HTTP API on
 * loopback.
 */
const fs = require('node:fs');
const path = require('node:path');

const { npmCli } = require('./n8n-install');
const { freePort, runCommand, startProcess, tail, waitFor } = require('./processes');

const PACKAGE = 'n8n-nodes-billover';
const RESOLVE_PROBE = path.join(__dirname, 'resolve-probe.js');
const OWNER = { email: 'owner@billover-e2e.test', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-password-1' };
const BROWSER_ID = 'billover-e2e';

/** The JSON document n8n's `execute` prints (pretty, so it starts at a line "{" and ends at the next line "}"). */
function parseExecuteOutput(stdout) {
	const lines = stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start === -1 || end === -1) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

class N8n {
	/**
	 * @param {object} install   what ensureN8n() answered
	 * @param {object} options
	 * @param {string} options.folder         this instance's user folder (N8N_USER_FOLDER)
	 * @param {string} [options.filesDir]     the only folder file nodes may use
	 * @param {string} [options.encryptionKey]
	 * @param {boolean} [options.probe=true]  record what `require` resolves for the pack
	 * @param {{ email, firstName, lastName, password }} [options.owner]  the owner `setupOwner` creates
	 */
	constructor(install, { folder, filesDir, encryptionKey = 'billover-e2e-encryption-key', probe = true, owner = OWNER, env = {} }) {
		this.owner = owner;
		this.extraEnv = env;
		this.install = install;
		this.version = install.version;
		this.folder = folder;
		this.filesDir = filesDir;
		this.encryptionKey = encryptionKey;
		this.nodesDir = path.join(folder, '.n8n', 'nodes');
		this.resolveLog = probe ? path.join(folder, 'resolve-log.jsonl') : undefined;
		this.cookie = undefined;
		this.server = undefined;
		fs.mkdirSync(this.nodesDir, { recursive: true });
	}

	/** n8n's settings for a private, quiet, loopback-only instance. */
	env(extra = {}) {
		const env = {
			...process.env,
			PATH: `${path.dirname(this.install.node)}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: this.folder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			// `execute` prints its result through the logger: info at least.
			N8N_LOG_LEVEL: 'info',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			...(this.filesDir ? { N8N_RESTRICT_FILE_ACCESS_TO: this.filesDir } : {}),
			...this.install.env,
			...this.extraEnv,
			...extra,
		};
		if (this.resolveLog) {
			env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : ''}--require ${RESOLVE_PROBE}`;
			env.BILLOVER_E2E_RESOLVE_LOG = this.resolveLog;
		}
		delete env.npm_config_prefix;
		return env;
	}

	/**
	 * Install the pack's tarball into the nodes folder, as a user does
	 * (`npm install <tarball>` in ~/.n8n/nodes). `--omit=peer` does what
	 * n8n's own installer does (it drops peerDependencies): our peer
	 * `n8n-workflow: *` would otherwise install the newest n8n-workflow beside
	 * the pack, whose isolated-vm does not build on Node 20.
	 */
	async installPack(tarball, { omitPeer = true } = {}) {
		const packageJson = path.join(this.nodesDir, 'package.json');
		if (!fs.existsSync(packageJson)) {
			fs.writeFileSync(packageJson, `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
		}
		const args = [npmCli(), 'install', tarball, '--no-audit', '--no-fund', ...(omitPeer ? ['--omit=peer'] : [])];
		const result = await runCommand(this.install.node, args, { cwd: this.nodesDir, env: { ...this.env(), NODE_OPTIONS: '' }, timeoutMs: 10 * 60_000 });
		if (result.code !== 0) throw new Error(`npm install ${path.basename(tarball)} failed in ${this.nodesDir}:\n${tail(result.stdout + result.stderr)}`);
		const installed = JSON.parse(fs.readFileSync(path.join(this.nodesDir, 'node_modules', PACKAGE, 'package.json'), 'utf8'));
		const beside = fs.readdirSync(path.join(this.nodesDir, 'node_modules')).filter((name) => !name.startsWith('.'));
		return { version: installed.version, packages: beside, ms: result.ms };
	}

	/** `n8n <args>` with this instance's settings. */
	async cli(args, { timeoutMs = 180_000, env } = {}) {
		const port = await freePort();
		return runCommand(this.install.node, [this.install.main, ...args], {
			cwd: this.folder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(port), ...env }),
			timeoutMs,
		});
	}

	async cliOk(args, options) {
		const result = await this.cli(args, options);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${result.code}:\n${tail(result.stdout + result.stderr)}`);
		return result;
	}

	/** import:credentials; plain `data` objects are encrypted by n8n on import. */
	async importCredentials(credentials) {
		const file = path.join(this.folder, 'credentials.import.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		return this.cliOk(['import:credentials', `--input=${file}`]);
	}

	async importWorkflows(workflows) {
		const file = path.join(this.folder, 'workflows.import.json');
		fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
		return this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/** A workflow as n8n stores it (`export:workflow`), its static data included; like every n8n command, it migrates the database first. */
	async exportWorkflow(id, { timeoutMs } = {}) {
		const file = path.join(this.folder, `workflow-${id}.export.json`);
		await this.cliOk(['export:workflow', `--id=${id}`, `--output=${file}`], { timeoutMs });
		const [workflow] = [].concat(JSON.parse(fs.readFileSync(file, 'utf8')));
		fs.rmSync(file, { force: true });
		return workflow;
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: answers { run, code, ms, output }
	 * where run is the execution (IRun) n8n printed, successful or not.
	 */
	async execute(id, { timeoutMs = 180_000 } = {}) {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		const run = parseExecuteOutput(result.stdout);
		if (!run) throw new Error(`n8n execute --id=${id} printed no execution (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`);
		return { run, code: result.code, ms: result.ms, output: result.stdout + result.stderr };
	}

	/** Mark a workflow active; it starts with the next `n8n start`. */
	async activate(id) {
		const hasPublish = fs.existsSync(path.join(this.install.dir, 'node_modules', 'n8n', 'dist', 'commands', 'publish', 'workflow.js'));
		// n8n 2.x publishes a version; 1.x sets `active`.
		return this.cliOk(hasPublish ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true']);
	}

	/** `n8n start` on a free loopback port; resolves when its REST API answers. */
	async start({ timeoutMs = 120_000, onOutput, port } = {}) {
		this.port = port || (await freePort());
		let brokerPort = await freePort();
		// Two free ports asked one after the other can be the same one.
		while (brokerPort === this.port) brokerPort = await freePort();
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		this.server = startProcess(this.install.node, [this.install.main, 'start'], {
			cwd: this.folder,
			env: this.env({ N8N_PORT: String(this.port), N8N_RUNNERS_BROKER_PORT: String(brokerPort), N8N_EDITOR_BASE_URL: `${this.baseUrl}/` }),
			onOutput,
		});
		await waitFor(
			`n8n ${this.version} to answer on ${this.baseUrl}`,
			async () => {
				const exit = await Promise.race([this.server.exited, new Promise((resolve) => setTimeout(() => resolve(null), 0))]);
				if (exit) throw Object.assign(new Error(`n8n exited (${JSON.stringify(exit)}):\n${tail(this.server.output())}`), { fatal: true });
				// /healthz answers before the REST API is mounted; /rest/settings (public) after. While
				// n8n migrates its database every path answers 200 "n8n is starting up. Please wait".
				const response = await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
				return Boolean(response && response.ok && (response.headers.get('content-type') || '').includes('application/json'));
			},
			{ timeoutMs, intervalMs: 500 },
		);
		return this.baseUrl;
	}

	/**
	 * `n8n worker` (queue mode) with this instance's settings and user
	 * folder, on a task-runner broker port of its own; resolves when it says
	 * it is ready. Its output is appended to <user folder>/n8n-<name>.log
	 * when it stops.
	 */
	async startWorker({ name, concurrency = 5, timeoutMs = 120_000 } = {}) {
		const brokerPort = await freePort();
		const child = startProcess(this.install.node, [this.install.main, 'worker', `--concurrency=${concurrency}`], {
			cwd: this.folder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
		});
		await waitFor(
			`n8n worker ${name} to be ready`,
			async () => {
				const exit = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve(null), 0))]);
				if (exit) throw Object.assign(new Error(`n8n worker ${name} exited (${JSON.stringify(exit)}):\n${tail(child.output())}`), { fatal: true });
				return child.output().includes('n8n worker is now ready');
			},
			{ timeoutMs, intervalMs: 300 },
		);
		const log = path.join(this.folder, `n8n-${name}.log`);
		return {
			name,
			pid: child.pid,
			output: () => child.output(),
			/** The executions it started and finished, from its log ("Worker started execution 12 (job 7)"). */
			executions() {
				const text = child.output();
				const ids = (pattern) => [...text.matchAll(pattern)].map((match) => match[1]);
				return { started: ids(/Worker started execution (\d+)/g), finished: ids(/Worker finished execution (\d+)/g) };
			},
			async stop({ kill = false } = {}) {
				if (kill) await child.kill();
				else await child.stop(45_000);
				fs.appendFileSync(log, child.output());
			},
		};
	}

	/** The log of the started n8n so far. */
	serverOutput() {
		return this.server ? this.server.output() : '';
	}

	/** A request to the started n8n's HTTP API, with the owner's session once set up. */
	async http(method, urlPath, body) {
		const headers = { 'browser-id': BROWSER_ID };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const setCookie = response.headers.get('set-cookie');
		const auth = setCookie && /n8n-auth=[^;]+/.exec(setCookie);
		if (auth) this.cookie = auth[0];
		const text = await response.text();
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {}
		return { status: response.status, body: parsed };
	}

	async httpOk(method, urlPath, body) {
		const response = await this.http(method, urlPath, body);
		if (response.status >= 300) throw new Error(`${method} ${urlPath} → ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
		return response.body;
	}

	/**
	 * Set up the instance owner (the user the CLI imports belong to) over
	 * REST, which also logs in: the session the internal REST API needs.
	 */
	async setupOwner() {
		const response = await this.http('POST', '/rest/owner/setup', this.owner);
		if (response.status >= 300) {
			// Already set up (a user folder used before): log in. Right after a restart n8n may
			// answer /rest/settings before it has mounted every route (a 404 then): try again.
			const { email, password } = this.owner;
			const deadline = Date.now() + 30_000;
			for (;;) {
				const login = await this.http('POST', '/rest/login', { email, emailOrLdapLoginId: email, password });
				if (login.status < 300) break;
				if (login.status !== 404 || Date.now() > deadline) throw new Error(`POST /rest/login → ${login.status} ${JSON.stringify(login.body).slice(0, 300)}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
		if (!this.cookie) throw new Error(`n8n set no session cookie on owner setup / login (setup answered ${response.status} ${JSON.stringify(response.body).slice(0, 200)})`);
	}

	/** The node types the started n8n offers (what the editor loads). */
	async nodeTypes() {
		const body = await this.httpOk('GET', '/types/nodes.json');
		return Array.isArray(body) ? body : [];
	}

	/** The executions of a workflow, newest first (summaries). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const body = await this.httpOk('GET', `/rest/executions?filter=${filter}&limit=50`);
		const data = body.data || body;
		return data.results || data;
	}

	/** One execution with its data (n8n sends the run data "flatted"; parsed here). */
	async execution(id) {
		const body = await this.httpOk('GET', `/rest/executions/${id}`);
		const execution = body.data || body;
		if (typeof execution.data === 'string') {
			const flatted = require(require.resolve('flatted', { paths: [path.join(this.install.dir, 'node_modules', 'n8n')] }));
			execution.data = flatted.parse(execution.data);
		}
		return execution;
	}

	/**
	 * n8n's credential test (what the editor's "Test" button calls) of a
	 * stored credential, with the data given in the request.
	 */
	async testCredential({ id, name }, type, data) {
		// n8n 1.x wants the id of a stored credential (its data are merged with the stored ones).
		const body = await this.httpOk('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
		return body.data || body;
	}

	/** What the pack's files asked `require` for, and what it resolved to (resolve-probe.js). */
	packResolutions() {
		if (!this.resolveLog || !fs.existsSync(this.resolveLog)) return [];
		return fs
			.readFileSync(this.resolveLog, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line));
	}

	/**
	 * Every execution of a workflow, newest first (summaries), page by page.
	 */
	async allExecutions(workflowId) {
		const all = [];
		for (let lastId; ; ) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const body = await this.httpOk('GET', `/rest/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`);
			const data = body.data || body;
			const page = data.results || data;
			all.push(...page.filter((entry) => !all.some((seen) => seen.id === entry.id)));
			if (page.length < 100) return all;
			lastId = page[page.length - 1].id;
		}
	}

	/**
	 * Stop the started n8n: SIGTERM (n8n shuts down gracefully, waiting for
	 * running executions) or, with `kill`, SIGKILL (a crash). Its output is
	 * appended to <user folder>/n8n-start.log.
	 */
	async stop({ kill = false } = {}) {
		if (!this.server) return;
		if (kill) await this.server.kill();
		else await this.server.stop(45_000);
		fs.appendFileSync(path.join(this.folder, 'n8n-start.log'), this.server.output());
		this.server = undefined;
	}
}

/** The items a node output on its first run (output 0). */
function nodeItems(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || !runs.length) throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	const main = runs[0].data && runs[0].data.main;
	return (main && main[0]) || [];
}

module.exports = { N8n, nodeItems, parseExecuteOutput, PACKAGE };
