'use strict';

/**
 * A scripted chat model on loopback that speaks OpenAI's chat-completions
 * protocol (`POST /v1/chat/completions`, non-streaming, with `tools` and
 * `tool_calls`), for n8n's OpenAI Chat Model in the end-to-end test: n8n's
 * AI Agent sends it the conversation and the tools it may call, and it
 * answers what its script says for that turn. It records every request, so
 * a test can check which tools (names, descriptions, argument schemas) n8n
 * offered.
 *
 *   const model = await startModelServer((request) => ({ content: 'hi' }));
 *   // the OpenAI credential's Base URL: `${model.url}/v1`
 *
 * A script takes `{ question, tools, results, messages }` (the first user
 * message, the tools offered, the tool results so far, oldest first: each
 * `{ name, content, parsed }`) and answers `{ content }` (the final answer)
 * or `{ call: { name, arguments } }` (one tool call).
 */
const http = require('node:http');

function parse(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The tool results of a conversation, oldest first, with the name of the tool each answers. */
function toolResults(messages) {
	const names = new Map();
	for (const message of messages) {
		for (const call of message.tool_calls || []) names.set(call.id, call.function && call.function.name);
	}
	return messages
		.filter((message) => message.role === 'tool')
		.map((message) => {
			const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
			return { name: names.get(message.tool_call_id), content, parsed: parse(content) };
		});
}

function startModelServer(script) {
	const requests = [];
	let calls = 0;
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = parse(Buffer.concat(chunks).toString('utf8')) || {};
			requests.push({ method: req.method, path: req.url, headers: req.headers, body });
			const reply = (status, payload) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(payload));
			};
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url || '')) {
				reply(404, { error: { message: `Not served here: ${req.method} ${req.url} (chat completions only)`, type: 'invalid_request_error' } });
				return;
			}
			const messages = Array.isArray(body.messages) ? body.messages : [];
			const user = messages.find((message) => message.role === 'user');
			const question = user ? (typeof user.content === 'string' ? user.content : JSON.stringify(user.content)) : '';
			const tools = (body.tools || []).map((tool) => tool.function || tool);
			let answer;
			try {
				answer = script({ question, tools, results: toolResults(messages), messages });
			} catch (error) {
				answer = { content: `script error: ${error.message}` };
			}
			const message = answer.call
				? { role: 'assistant', content: null, tool_calls: [{ id: `call_${++calls}`, type: 'function', function: { name: answer.call.name, arguments: JSON.stringify(answer.call.arguments || {}) } }] }
				: { role: 'assistant', content: answer.content };
			reply(200, {
				id: `chatcmpl-${requests.length}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: body.model || 'scripted',
				choices: [{ index: 0, message, finish_reason: answer.call ? 'tool_calls' : 'stop' }],
				usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
			});
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				requests,
				close: () =>
					new Promise((done) => {
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

module.exports = { startModelServer };
