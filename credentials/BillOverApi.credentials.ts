import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * BillOver API key credential.
 *
 * The key travels only in the `Api-Key` header and only to `baseUrl`: n8n
 * applies `authenticate` to requests made with `httpRequestWithAuthentication`,
 * and the nodes' transport refuses to use it for any other host.
 */
export class BillOverApi implements ICredentialType {
	name = 'billOverApi';

	displayName = 'BillOver API';

	icon: Icon = { light: 'file:billover.svg', dark: 'file:billover.dark.svg' };

	documentationUrl = 'https://github.com/billover/n8n-nodes-billover#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key from your BillOver workspace settings. It is sent as the Api-Key header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.billover.com',
			placeholder: 'https://api.billover.com',
			description:
				'Where the BillOver API lives. Change it only for the BillOver sandbox (for example http://127.0.0.1:8787).',
		},
	];

	// The header set by a function, not a generic `={{$credentials.apiKey}}`: n8n would evaluate that
	// expression for every request (about a tenth of a request's cost in a run of 1,000). A field, not
	// a method: n8n copies a credential's own fields, and it is by `authenticate` being there that it
	// offers the node's "Custom API Call" and the credential in the HTTP Request node.
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'Api-Key': String(credentials.apiKey ?? '') },
	});

	// Lists one invoice: cheap, and it proves both the base URL and the key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/invoices/',
			method: 'GET',
			qs: { page: 1, page_size: 1 },
		},
		// What n8n shows when the test fails with one of these answers.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'BillOver rejected the API key (401). Paste the API key from your BillOver workspace settings as it is, without spaces; it must belong to the workspace behind this Base URL.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No BillOver API at this Base URL (404). Use https://api.billover.com, or for the sandbox the base URL npm run sandbox prints.',
				},
			},
		],
	};
}
