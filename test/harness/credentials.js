'use strict';

/**
 * A credentials helper for n8n-core's engine, doing what n8n's own
 * (packages/cli CredentialsHelper) does for our credential type:
 * hands out the decrypted data, and applies a generic `authenticate` by
 * resolving its `={{$credentials.…}}` expressions and merging the result into
 * the request (headers, qs, body, auth).
 */
const { ICredentialsHelper } = require('n8n-workflow');

class HarnessCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {Record<string, import('n8n-workflow').ICredentialType>} credentialTypes by name
	 * @param {Record<string, Record<string, unknown>>} data decrypted data by credential type name
	 */
	constructor(credentialTypes, data) {
		super();
		this.credentialTypes = credentialTypes;
		this.data = data;
		/** How often a node asked for decrypted credentials (to check caching). */
		this.decryptCount = 0;
	}

	getParentTypes() {
		return [];
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		this.decryptCount++;
		const data = this.data[type];
		if (!data) throw new Error(`No credential data of type "${type}" in the test harness`);
		return { ...data };
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = this.credentialTypes[typeName];
		const authenticate = type && type.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic') throw new Error(`Unsupported authenticate type ${authenticate.type}`);
		const resolve = (value) =>
			workflow.expression.getComplexParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, value);
		const result = { ...requestOptions };
		for (const [target, properties] of Object.entries(authenticate.properties)) {
			const resolved = resolve(properties);
			if (target === 'auth') result.auth = resolved;
			else result[target] = { ...(result[target] || {}), ...resolved };
		}
		return result;
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials() {
		throw new Error('getCredentials is not used by these nodes');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type) {
		return this.credentialTypes[type] ? this.credentialTypes[type].properties : [];
	}
}

module.exports = { HarnessCredentialsHelper };
