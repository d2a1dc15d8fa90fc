'use strict';

/**
 * The floor on n8n's engine: a minimal node (benchmark only, not shipped)
 * that makes the same requests as the BillOver node and nothing else, each by
 * one call of `this.helpers.httpRequestWithAuthentication('billOverApi', ...)`
 * with our credential. Whatever our node takes beyond this node's time is
 * what our code adds (parameters, validation, retries, error handling,
 * Simplify); n8n's own cost per request (its HTTP helper, a new connection per
 * request, applying the credential) is in both.
 *
 * It does the least a node can: the credential is read once per run and
 * handed to every call (as our transport does, so n8n does not decrypt it
 * per request); the invoice comes from a plain string parameter
 * (`={{ $json.uid }}`), the file from n8n's binary helpers; n8n parses the
 * JSON answers. No validation, no retries, no error handling: a failed
 * request fails the run.
 *
 * Operations: `list` (page 1, then each page up to `page_count` or as many
 * as `limit` needs, one after another; the API's objects as they are),
 * `stateAction` (POST /v1/invoices/{uid}/{path} per item), `create` (one
 * multipart upload per item).
 */
const { NodeConnectionTypes } = require('n8n-workflow');

const CREDENTIAL = 'billOverApi';
const TYPE = 'billOverBench.floor';
const PAGE_SIZE = 100;

function floorNodeType() {
	return {
		description: {
			displayName: 'BillOver floor',
			name: 'floor',
			group: ['transform'],
			version: 1,
			description: 'The BillOver requests and nothing else (benchmark only)',
			defaults: { name: 'Floor' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: CREDENTIAL, required: true }],
			properties: [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					options: [
						{ name: 'List', value: 'list' },
						{ name: 'State Action', value: 'stateAction' },
						{ name: 'Create', value: 'create' },
					],
					default: 'list',
				},
				{ displayName: 'Limit (0 = All)', name: 'limit', type: 'number', default: 0 },
				{ displayName: 'Invoice UID', name: 'uid', type: 'string', default: '' },
				{ displayName: 'Action Path', name: 'path', type: 'string', default: 'approve' },
			],
		},
		async execute() {
			const items = this.getInputData();
			const operation = this.getNodeParameter('operation', 0);
			const data = await this.getCredentials(CREDENTIAL);
			const baseUrl = String(data.baseUrl).replace(/\/+$/, '');
			const options = { credentialsDecrypted: { id: CREDENTIAL, name: 'BillOver API', type: CREDENTIAL, data } };
			const send = (request) => this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, { json: true, ...request }, options);
			const output = [];
			if (operation === 'list') {
				const limit = this.getNodeParameter('limit', 0);
				const pageSize = limit > 0 ? Math.min(PAGE_SIZE, limit) : PAGE_SIZE;
				const page = (number) => send({ method: 'GET', url: `${baseUrl}/v1/invoices/`, qs: { page: number, page_size: pageSize } });
				const first = await page(1);
				const pages = limit > 0 ? Math.min(first.page_count, Math.ceil(limit / pageSize)) : first.page_count;
				const results = [...first.results];
				for (let number = 2; number <= pages; number++) results.push(...(await page(number)).results);
				for (const invoice of limit > 0 ? results.slice(0, limit) : results) output.push({ json: invoice, pairedItem: { item: 0 } });
			} else if (operation === 'stateAction') {
				const path = this.getNodeParameter('path', 0);
				for (let index = 0; index < items.length; index++) {
					const uid = this.getNodeParameter('uid', index);
					output.push({ json: await send({ method: 'POST', url: `${baseUrl}/v1/invoices/${uid}/${path}` }), pairedItem: { item: index } });
				}
			} else {
				for (let index = 0; index < items.length; index++) {
					const binary = this.helpers.assertBinaryData(index, 'data');
					const bytes = await this.helpers.getBinaryDataBuffer(index, 'data');
					const form = new FormData();
					form.append('file', new Blob([bytes], { type: binary.mimeType }), binary.fileName);
					output.push({ json: await send({ method: 'POST', url: `${baseUrl}/v1/invoices/`, body: form }), pairedItem: { item: index } });
				}
			}
			return [output];
		},
	};
}

module.exports = { floorNodeType, FLOOR_TYPE: TYPE };
