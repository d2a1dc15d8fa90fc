'use strict';

/**
 * BillOver as tools, in a started n8n (the server scenarios' instance):
 *
 * - n8n's AI Agent (examples/invoice-assistant.json: Chat Trigger → AI Agent
 *   with the OpenAI Chat Model and BillOver tools), its model a scripted
 *   OpenAI-compatible server on loopback (test/support/model-server.js): the
 *   model is offered the tools with their descriptions and `$fromAI`
 *   arguments, searches, approves the invoice the user named, answers a
 *   question from a search, and reads BillOver's error for an unknown
 *   invoice without the workflow failing;
 * - n8n's MCP Server Trigger exposing the same tools, called by the official
 *   MCP TypeScript client that n8n's own install carries
 *   (@modelcontextprotocol/sdk): tools listed with their input schemas,
 *   called, an error included.
 *
 * Its own sandbox: the approvals here must not reach the triggers of the
 * other server scenarios.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const wf = require('../support/workflows');

const AI_CREDENTIAL = { id: 'billoverAiSandbox', name: 'BillOver sandbox (agents)' };
const OPENAI_CREDENTIAL = { id: 'openAiBillOverEx', name: 'OpenAI account' };
const IDS = { assistant: 'e2eAssistant0001', mcp: 'e2eMcpServer0001' };
const MCP_PATH = 'billover-e2e';
const UNKNOWN_UID = '00000000-0000-4000-8000-00000000beef';

/** The tool offered under a name that contains `word` (n8n names tools after their nodes). */
const toolNamed = (tools, word) => tools.find((tool) => tool.name.toLowerCase().includes(word));

/**
 * What the scripted model does for each question the test asks: search,
 * then act on the search's result, then answer from the tools' answers.
 */
function script({ question, tools, results }) {
	const search = toolNamed(tools, 'search');
	const approve = toolNamed(tools, 'approve');
	let match = /^Approve the invoice with reference (\w+)\.$/.exec(question);
	if (match) {
		const [, reference] = match;
		if (results.length === 0) return { call: { name: search.name, arguments: { search_text: reference } } };
		if (results.length === 1) {
			const found = (results[0].parsed || []).find((invoice) => invoice.hf_id === reference);
			if (!found) return { content: `No invoice with reference ${reference}.` };
			return { call: { name: approve.name, arguments: { invoice_uid: found.uid } } };
		}
		const [answer] = results[1].parsed || [];
		return { content: `Approved ${reference} (${answer && answer.uid}): it is ${answer && answer.approvement_status} now.` };
	}
	match = /^Which invoices of (.+) are waiting for approval\?$/.exec(question);
	if (match) {
		if (results.length === 0) return { call: { name: search.name, arguments: { search_text: match[1] } } };
		const waiting = (results[0].parsed || []).filter((invoice) => invoice.approvement_status === 'waiting').map((invoice) => invoice.hf_id).sort();
		return { content: `Waiting: ${waiting.join(', ') || 'none'}.` };
	}
	match = /^Approve the invoice ([0-9a-f-]{36})\.$/.exec(question);
	if (match) {
		if (results.length === 0) return { call: { name: approve.name, arguments: { invoice_uid: match[1] } } };
		return { content: `BillOver said: ${results[0].content}` };
	}
	return { content: 'I cannot help with that.' };
}

/** The example as the test runs it: its chat reachable at a production URL, the model's credential the test's. */
function assistantWorkflow() {
	const workflow = wf.loadExample('invoice-assistant.json', IDS.assistant);
	const chat = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	chat.parameters = { ...chat.parameters, public: true, options: { ...chat.parameters.options, responseMode: 'lastNode' } };
	chat.webhookId = crypto.randomUUID();
	for (const node of workflow.nodes) if (node.credentials && node.credentials.billOverApi) node.credentials.billOverApi = { ...AI_CREDENTIAL };
	return { workflow, chatPath: `/webhook/${chat.webhookId}/chat` };
}

/** An MCP Server Trigger exposing the example's BillOver tools (copies of its tool nodes). */
function mcpWorkflow(assistant) {
	const tools = assistant.nodes.filter((node) => node.type === 'n8n-nodes-billover.billOverTool').map((node) => ({ ...node, id: crypto.randomUUID() }));
	const trigger = { id: crypto.randomUUID(), name: 'BillOver MCP server', type: '@n8n/n8n-nodes-langchain.mcpTrigger', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { path: MCP_PATH } };
	const connections = Object.fromEntries(tools.map((node) => [node.name, { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] }]));
	return { id: IDS.mcp, name: 'e2e: BillOver tools over MCP', nodes: [trigger, ...tools], connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Imports the credentials and the two workflows and marks them active (before n8n starts). */
async function prepareAgents(n8n, { sandbox, model }) {
	const { workflow, chatPath } = assistantWorkflow();
	await n8n.importCredentials([
		wf.credentialFile(AI_CREDENTIAL, sandbox),
		{ id: OPENAI_CREDENTIAL.id, name: OPENAI_CREDENTIAL.name, type: 'openAiApi', data: { apiKey: 'sk-e2e-scripted', url: `${model.url}/v1` } },
	]);
	await n8n.importWorkflows([workflow, mcpWorkflow(workflow)]);
	await n8n.activate(IDS.assistant);
	await n8n.activate(IDS.mcp);
	return { chatPath };
}

/** One message to the assistant's chat: n8n's answer `{ status, output }`. */
async function ask(n8n, chatPath, question) {
	const response = await fetch(`${n8n.baseUrl}${chatPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId: crypto.randomUUID(), chatInput: question }),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: response.status, output: body && body.output, body };
}

/** The official MCP client, from n8n's own install (an ES module). */
async function mcpClient(n8n) {
	const sdk = path.join(n8n.install.dir, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', 'client');
	const { Client } = await import(pathToFileURL(path.join(sdk, 'index.js')).href);
	const { StreamableHTTPClientTransport } = await import(pathToFileURL(path.join(sdk, 'streamableHttp.js')).href);
	const client = new Client({ name: 'billover-e2e', version: '1.0.0' });
	await client.connect(new StreamableHTTPClientTransport(new URL(`${n8n.baseUrl}/mcp/${MCP_PATH}`)));
	return client;
}

/** The text of an MCP tool result. */
const textOf = (result) => (result.content || []).map((part) => part.text || '').join('\n');

/**
 * @param {import('../support/n8n').N8n} n8n  started, owner set up
 * @param {{ sandbox: import('../support/sandbox').Sandbox, model: object, chatPath: string }} ctx
 */
async function agentScenarios(n8n, { sandbox, model, chatPath }, check) {
	const waiting = (await sandbox.listAll('approvement_status=waiting')).filter((invoice) => invoice.processing_status === 'finished' && invoice.company);

	await check('AI Agent (examples/invoice-assistant.json): the model is offered the BillOver tools with their descriptions and $fromAI arguments', async () => {
		const answer = await ask(n8n, chatPath, 'Which invoices of nobody-at-all are waiting for approval?');
		assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
		const offered = model.requests[0].body.tools.map((tool) => tool.function);
		const approve = toolNamed(offered, 'approve');
		assert.match(approve.description, /^Approves one BillOver invoice\. Needs the invoice's UID/);
		assert.deepEqual(Object.keys(approve.parameters.properties), ['invoice_uid']);
		assert.deepEqual(Object.keys(toolNamed(offered, 'search').parameters.properties), ['search_text']);
		assert.equal(model.requests[0].path, '/v1/chat/completions');
		return offered.map((tool) => `${tool.name}(${Object.keys(tool.parameters.properties).join(', ')}): "${tool.description.slice(0, 60)}…"`).join('\n      ');
	});

	await check('AI Agent: "approve the invoice with reference X" searches, approves that invoice (one POST), and says so', async () => {
		const target = waiting[0];
		const mark = await sandbox.logMark();
		const answer = await ask(n8n, chatPath, `Approve the invoice with reference ${target.hf_id}.`);
		assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
		assert.equal(answer.output, `Approved ${target.hf_id} (${target.uid}): it is approved now.`);
		const approvals = (await sandbox.log(mark)).filter((entry) => entry.method === 'POST' && /\/approve$/.test(entry.path));
		assert.deepEqual(approvals.map((entry) => entry.path), [`/v1/invoices/${target.uid}/approve`]);
		assert.equal((await sandbox.expectOk('GET', `/v1/invoices/${target.uid}`)).approvement_status, 'approved');
		return answer.output;
	});

	await check('AI Agent: a question answered from Get Many with a filter (the supplier\'s waiting invoices)', async () => {
		const company = waiting[1].company.name;
		const answer = await ask(n8n, chatPath, `Which invoices of ${company} are waiting for approval?`);
		assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
		// What the tool reads: the newest 20 invoices the search finds (its limit), of which the waiting ones.
		const searched = await sandbox.expectOk('GET', `/v1/invoices/?query=${encodeURIComponent(company)}&page=1&page_size=20`);
		const expected = searched.results.filter((invoice) => invoice.approvement_status === 'waiting').map((invoice) => invoice.hf_id).sort();
		assert.ok(expected.length > 0, `${company} has waiting invoices among its newest 20`);
		assert.equal(answer.output, `Waiting: ${expected.join(', ') || 'none'}.`);
		return answer.output;
	});

	await check('AI Agent: an unknown invoice comes back as an error the model reads; the workflow does not fail', async () => {
		const answer = await ask(n8n, chatPath, `Approve the invoice ${UNKNOWN_UID}.`);
		assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
		assert.match(answer.output, /^BillOver said: .*BillOver could not find invoice 00000000-0000-4000-8000-00000000beef \(404\)/);
		const executions = await n8n.executions(IDS.assistant);
		assert.ok(executions.length >= 4 && executions.every((execution) => execution.status === 'success'), JSON.stringify(executions.map((execution) => execution.status)));
		return answer.output.slice(0, 300);
	});

	await check('MCP Server Trigger + the official MCP client: tools listed with input schemas, a search called, an unknown invoice a readable error', async () => {
		const client = await mcpClient(n8n);
		try {
			const { tools } = await client.listTools();
			const approve = toolNamed(tools, 'approve');
			assert.ok(approve && toolNamed(tools, 'search') && toolNamed(tools, 'get'), JSON.stringify(tools.map((tool) => tool.name)));
			assert.deepEqual(Object.keys(approve.inputSchema.properties), ['invoice_uid']);
			assert.match(approve.description, /^Approves one BillOver invoice/);
			const target = waiting[2];
			const found = await client.callTool({ name: toolNamed(tools, 'search').name, arguments: { search_text: target.hf_id } });
			assert.ok(!found.isError, textOf(found));
			assert.ok(JSON.parse(textOf(found)).some((invoice) => invoice.uid === target.uid), textOf(found).slice(0, 300));
			const refused = await client.callTool({ name: approve.name, arguments: { invoice_uid: UNKNOWN_UID } });
			assert.match(textOf(refused), /BillOver could not find invoice 00000000-0000-4000-8000-00000000beef \(404\)/);
			return `${tools.length} tools (${tools.map((tool) => tool.name).join(', ')}); unknown invoice: ${refused.isError ? 'isError, ' : ''}"${textOf(refused).slice(0, 120)}"`;
		} finally {
			await client.close();
		}
	});
}

module.exports = { prepareAgents, agentScenarios, script };
