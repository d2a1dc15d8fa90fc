'use strict';

/**
 * Node types that exist only in the test harness:
 * - `harness.start`: the manual start of a workflow, emitting given items
 *   (binary data stored through n8n's own prepareBinaryData);
 * - `harness.probe`: a node with the BillOver credential whose execute runs a
 *   test's function in a real n8n execute context, to test the transport
 *   directly on the engine.
 */
const { NodeConnectionTypes } = require('n8n-workflow');

/** @param {Array<{ json?: object, binary?: Record<string, { buffer: Buffer, fileName?: string, mimeType?: string }> }>} items */
function startNodeType(items) {
	return {
		description: {
			displayName: 'Start',
			name: 'start',
			group: ['trigger'],
			version: 1,
			description: 'Emits the test items',
			defaults: { name: 'Start' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute() {
			const out = [];
			for (const item of items) {
				const result = { json: item.json || {} };
				if (item.binary) {
					result.binary = {};
					for (const [key, file] of Object.entries(item.binary)) {
						result.binary[key] = await this.helpers.prepareBinaryData(file.buffer, file.fileName, file.mimeType);
					}
				}
				out.push(result);
			}
			return [out];
		},
	};
}

/** `probe.run = async function () { ... }` is called as the node's execute, with `this` the n8n context. */
const probe = { run: undefined };

function probeNodeType() {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Runs a test function in an n8n execute context',
			defaults: { name: 'Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'billOverApi', required: true }],
			properties: [],
		},
		async execute() {
			if (!probe.run) throw new Error('probe.run is not set');
			const json = await probe.run.call(this);
			return [[{ json: json === undefined ? {} : json, pairedItem: { item: 0 } }]];
		},
	};
}

function harnessNodeTypes() {
	return { 'harness.start': startNodeType([{ json: {} }]), 'harness.probe': probeNodeType() };
}

module.exports = { harnessNodeTypes, startNodeType, probe };
