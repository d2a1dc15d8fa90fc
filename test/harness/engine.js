'use strict';

/**
 * Runs our nodes on n8n's real execution engine (n8n-core's WorkflowExecute
 * and PollContext), the way n8n runs them: parameters resolved by n8n,
 * credentials through a credentials helper, HTTP through n8n's helpers.
 *
 *   const engine = createEngine({ credentials: { billOverApi: { apiKey, baseUrl } } });
 *   const { items, error } = await engine.runNode({ type: 'billOver', parameters, items: [...] });
 *   const poller = engine.poller({ type: 'billOverTrigger', parameters });
 *   const emitted = await poller.poll();          // 'trigger' mode, static data kept
 *   await poller.poll({ mode: 'manual' });        // "Fetch Test Event"
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core reads its settings folder at load time: give it a private one.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'billover-n8n-'));
}
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

const { Workflow } = require('n8n-workflow');
const { WorkflowExecute, ExecutionLifecycleHooks, PollContext, LoadOptionsContext } = require('n8n-core');

const { HarnessCredentialsHelper } = require('./credentials');

// n8n-core's SSH tunnel manager (created with every execute context) keeps a
// 60 s cleanup interval for the life of the n8n process; in tests it must not
// keep the process alive.
{
	const coreDir = path.dirname(require.resolve('n8n-core'));
	const { Container } = require(require.resolve('@n8n/di', { paths: [coreDir] }));
	const { SSHClientsManager } = require(path.join(coreDir, 'execution-engine', 'ssh-clients-manager'));
	const manager = Container.get(SSHClientsManager);
	if (manager.cleanupTimer && manager.cleanupTimer.unref) manager.cleanupTimer.unref();
}
const { harnessNodeTypes, startNodeType } = require('./nodes');

const PACKAGE = 'n8n-nodes-billover';

/** The TypeScript sources (compiled by ts-jest); the benchmark passes the built `dist` folder instead. */
const SOURCES = path.join(__dirname, '..', '..');

/** Our node and credential classes, loaded from `packDir` (the sources, or a build of them). */
function packNodeTypes(packDir) {
	const types = {};
	const candidates = {
		billOver: () => require(path.join(packDir, 'nodes/BillOver/BillOver.node')).BillOver,
		billOverTrigger: () => require(path.join(packDir, 'nodes/BillOver/BillOverTrigger.node')).BillOverTrigger,
	};
	for (const [name, load] of Object.entries(candidates)) {
		try {
			types[`${PACKAGE}.${name}`] = new (load())();
		} catch (error) {
			if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(name === 'billOver' ? 'BillOver.node' : 'BillOverTrigger.node')) continue;
			throw error;
		}
	}
	return types;
}

function packCredentialTypes(packDir) {
	const { BillOverApi } = require(path.join(packDir, 'credentials/BillOverApi.credentials'));
	const credential = new BillOverApi();
	return { [credential.name]: credential };
}

function createNodeTypes(byName) {
	return {
		getByName: (name) => byName[name],
		getByNameAndVersion: (name, version) => {
			const type = byName[name];
			if (!type) throw new Error(`Unknown node type ${name}`);
			return type.nodeVersions ? type.nodeVersions[version ?? type.currentVersion] : type;
		},
		getKnownTypes: () => ({}),
	};
}

let executionCounter = 0;

/**
 * @param {{ credentials?: Record<string, Record<string, unknown>>, nodeTypes?: Record<string, object>, packDir?: string }} options
 */
function createEngine({ credentials = {}, nodeTypes = {}, packDir = SOURCES } = {}) {
	const credentialTypes = packCredentialTypes(packDir);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentials);
	const registry = { ...packNodeTypes(packDir), ...harnessNodeTypes(), ...nodeTypes };
	const types = createNodeTypes(registry);

	function fullType(type) {
		return type.includes('.') ? type : `${PACKAGE}.${type}`;
	}

	function additionalData(executionId, workflowData) {
		return {
			credentialsHelper,
			executionId,
			hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
			executeWorkflow: async () => {
				throw new Error('Sub-workflows are not available in the test harness');
			},
			getRunExecutionData: async () => undefined,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://localhost:5678/rest',
			instanceBaseUrl: 'http://localhost:5678/',
			formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
			webhookBaseUrl: 'http://localhost:5678/webhook',
			webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
			variables: {},
			logAiEvent: () => {},
			startRunnerTask: async () => {
				throw new Error('Task runners are not available in the test harness');
			},
		};
	}

	/**
	 * A node as n8n stores it in a workflow, with our credential attached when the type uses it.
	 * `credentials` (`{ httpHeaderAuth: { id, name } }`) sets the node's credentials instead: for
	 * nodes such as n8n's HTTP Request, whose description does not list the credential they use.
	 */
	function workflowNode({ name, type, parameters = {}, typeVersion, continueOnFail = false, position = [0, 0], credentials, settings }, extraTypes = {}) {
		const full = fullType(type);
		const nodeType = extraTypes[full] || registry[full];
		if (!nodeType) throw new Error(`Unknown node type ${full}`);
		const description = nodeType.description || nodeType.baseDescription;
		const node = {
			id: `${name}-id`,
			name,
			type: full,
			typeVersion: typeVersion ?? (Array.isArray(description.version) ? Math.max(...description.version) : description.version ?? 1),
			position,
			parameters,
		};
		if (continueOnFail) node.onError = 'continueRegularOutput';
		// The node's Settings tab (retryOnFail, maxTries, waitBetweenTries, ...).
		if (settings) Object.assign(node, settings);
		const uses = (description.credentials || []).map((credential) => credential.name);
		if (credentials) {
			node.credentials = credentials;
		} else if (uses.length) {
			node.credentials = Object.fromEntries(uses.map((credential) => [credential, { id: `${credential}-1`, name: credential }]));
		}
		return node;
	}

	/**
	 * Runs a workflow from its first node. `nodes` as for workflowNode; without
	 * `connections`, the nodes are chained in order.
	 */
	async function runWorkflow({ nodes, connections, staticData, mode = 'manual', extraTypes }) {
		const runTypes = extraTypes ? createNodeTypes({ ...registry, ...extraTypes }) : types;
		const stored = nodes.map((node) => workflowNode(node, extraTypes));
		const chain = connections ?? Object.fromEntries(
			stored.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: stored[index + 1].name, type: 'main', index: 0 }]] }]),
		);
		const workflowData = { id: 'wf-1', name: 'harness', nodes: stored, connections: chain, active: false, settings: {}, staticData };
		const workflow = new Workflow({ ...workflowData, nodeTypes: runTypes });
		const executionId = String(++executionCounter);
		const execute = new WorkflowExecute(additionalData(executionId, workflowData), mode);
		const run = await execute.run({ workflow, startNode: workflow.getNode(stored[0].name) });
		return { run, workflow, nodes: stored };
	}

	/** Output and error of one node in a finished run. */
	function nodeResult(run, nodeName) {
		const tasks = run.data.resultData.runData[nodeName] || [];
		const task = tasks[tasks.length - 1];
		const main = (task && task.data && task.data.main) || [];
		return {
			items: main[0] || [],
			outputs: main,
			error: (task && task.error) || undefined,
			runError: run.data.resultData.error,
		};
	}

	/**
	 * Runs one node after a start node that emits `items` (json and, for binary,
	 * `{ binary: { data: { buffer, fileName, mimeType } } }`, stored through n8n's
	 * own prepareBinaryData).
	 */
	async function runNode({ type, parameters, items = [{ json: {} }], continueOnFail = false, typeVersion, name = 'BillOver', credentials }) {
		const { run } = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'harness.start', parameters: {} },
				{ name, type, parameters, continueOnFail, typeVersion, credentials },
			],
			// The items may hold Buffers, which node parameters cannot: the start node type is made for this run.
			extraTypes: { 'harness.start': startNodeType(items) },
		});
		return { ...nodeResult(run, name), run };
	}

	/**
	 * A polling trigger as n8n runs it.
	 *
	 * `scheduler: 'classic'` (n8n's ActiveWorkflows): one Workflow object for
	 * the life of the activation (its static data carries from poll to poll in
	 * memory); the first poll is the activation poll, after which n8n saves the
	 * static data; later polls are saved to the "database" only when they
	 * emit. `restart()` reloads the saved copy and activates again.
	 *
	 * `scheduler: 'durable'` (n8n 2.32+ with N8N_SCHEDULER_POLL_TRIGGERS_ENABLED
	 * and durable cursors): every poll reads the node's state from the
	 * database and commits what it changed (with its execution, or alone);
	 * the activation poll of a first activation runs without committing the
	 * node's state, while the workflow's other static data is saved at
	 * activation; a restart does not poll at once.
	 */
	function poller({ type, parameters, name = 'BillOver Trigger', scheduler = 'classic', typeVersion, stored }) {
		const node = workflowNode({ name, type, parameters, typeVersion });
		const nodeKey = `node:${node.name}`;
		/** What n8n has stored: `stored` is the node's static data as an earlier run left it. */
		let saved = stored ? { [nodeKey]: JSON.parse(JSON.stringify(stored)) } : {};
		let workflow;
		let activationPending = true;
		let nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
		const executionId = () => String(++executionCounter);
		const copy = (value) => JSON.parse(JSON.stringify(value));

		function load() {
			const workflowData = { id: 'wf-poll', name: 'poll', nodes: [node], connections: {}, active: true, settings: {}, staticData: copy(saved) };
			workflow = new Workflow({ ...workflowData, nodeTypes: types });
		}
		load();

		return {
			node,
			/**
			 * One poll. mode 'trigger' (an active workflow) or 'manual' ("Fetch Test Event",
			 * run on a separate Workflow object, as the editor does, so state is untouched
			 * unless the node changes it).
			 */
			async poll({ mode = 'trigger' } = {}) {
				if (mode === 'trigger' && scheduler === 'durable') load();
				const target = mode === 'manual'
					? new Workflow({ id: 'wf-poll', name: 'poll', nodes: [node], connections: {}, active: false, settings: {}, nodeTypes: types, staticData: copy(workflow.staticData) })
					: workflow;
				const before = copy(target.staticData[nodeKey] || {});
				const workflowData = { id: target.id, name: 'poll', nodes: [node], connections: {}, active: mode !== 'manual', settings: {} };
				const context = new PollContext(target, node, additionalData(executionId(), workflowData), mode, mode === 'manual' ? 'manual' : 'activate');
				const response = await nodeType.poll.call(context);
				const emitted = response !== null && response !== undefined;
				if (mode === 'trigger') {
					const activation = activationPending;
					activationPending = false;
					if (scheduler === 'durable') {
						// The activation poll's node state is not committed; everything else is saved.
						if (activation) target.staticData[nodeKey] = before;
						saved = copy(target.staticData);
					} else if (emitted || activation) {
						// n8n's __emit saves the static data before starting the execution; activation saves it too.
						saved = copy(target.staticData);
					}
				}
				const nodeData = target.staticData[nodeKey] || {};
				return { response, items: emitted ? response[0] : [], staticData: nodeData, manualStaticData: mode === 'manual' ? nodeData : undefined };
			},
			/** The node's static data n8n has stored. */
			saved: () => saved[nodeKey] || {},
			/** The node's static data in memory. */
			memory: () => workflow.staticData[nodeKey] || {},
			/** The workflow's global static data n8n has stored. */
			savedGlobal: () => saved.global || {},
			/** The workflow's global static data in memory. */
			memoryGlobal: () => workflow.staticData.global || {},
			/**
			 * As n8n's Community Nodes updater does: the package's modules loaded
			 * anew in the same process, the workflow still active, its static data
			 * in memory as it was (under jest; elsewhere the same modules stay).
			 */
			updatePackage() {
				if (typeof jest === 'undefined' || packDir !== SOURCES) return;
				jest.isolateModules(() => {
					const fresh = packNodeTypes(packDir)[node.type];
					if (fresh) nodeType = fresh.nodeVersions ? fresh.nodeVersions[node.typeVersion] : fresh;
				});
			},
			/**
			 * As after an n8n restart: in-memory state is gone, the saved copy is
			 * loaded, and the node's modules are loaded anew, as in a new process
			 * (under jest; elsewhere the same modules stay).
			 */
			restart() {
				load();
				activationPending = scheduler === 'classic';
				if (typeof jest !== 'undefined' && packDir === SOURCES) {
					// A new process started later: the trigger's process id (nodes/BillOver/trigger/process.ts) changes.
					Object.defineProperty(performance, 'timeOrigin', { value: performance.timeOrigin + 60_000 + Math.random(), configurable: true });
					jest.isolateModules(() => {
						const fresh = packNodeTypes(packDir)[node.type];
						if (fresh) nodeType = fresh.nodeVersions ? fresh.nodeVersions[node.typeVersion] : fresh;
					});
				}
			},
		};
	}

	/** Calls a node's listSearch method with n8n's LoadOptionsContext. */
	async function listSearch({ type, method, filter, paginationToken, parameters = {} }) {
		const node = workflowNode({ name: 'Node', type, parameters });
		const workflowData = { id: 'wf-ls', name: 'ls', nodes: [node], connections: {}, active: false, settings: {} };
		const workflow = new Workflow({ ...workflowData, nodeTypes: types });
		// The editor sends the node's parameters as they are being edited (currentNodeParameters).
		const context = new LoadOptionsContext(workflow, node, { ...additionalData(String(++executionCounter), workflowData), currentNodeParameters: parameters }, 'parameters');
		const nodeType = types.getByNameAndVersion(node.type, node.typeVersion);
		return await nodeType.methods.listSearch[method].call(context, filter, paginationToken);
	}

	/**
	 * The credential's "Test" button: n8n runs the credential's `test.request`
	 * as a declarative request with the credential applied (RoutingNode). Here
	 * the same request runs through n8n-core's RoutingNode in a workflow.
	 * Resolves `{ ok: true }` or `{ ok: false, message, error }`.
	 */
	async function testCredential(typeName = 'billOverApi') {
		const credentialType = credentialTypes[typeName];
		const tester = {
			description: {
				displayName: 'Credential Test',
				name: 'credentialTest',
				group: ['transform'],
				version: 1,
				description: 'Runs a credential test request',
				defaults: { name: 'Credential Test' },
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: typeName, required: true }],
				requestDefaults: credentialType.test.request,
				properties: [],
			},
		};
		const { run } = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'harness.start' },
				{ name: 'Credential Test', type: 'harness.credentialTest' },
			],
			extraTypes: { 'harness.credentialTest': tester },
		});
		const { error, items } = nodeResult(run, 'Credential Test');
		return error ? { ok: false, message: error.message, error } : { ok: true, items };
	}

	return { runNode, runWorkflow, nodeResult, poller, listSearch, testCredential, credentialsHelper, nodeTypes: types, registry };
}

module.exports = { createEngine, PACKAGE };
