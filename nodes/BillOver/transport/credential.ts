import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The contexts our transport runs in: node execution, trigger polls, list search. */
export type BillOverContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'billOverApi';

export interface ResolvedCredential {
	/** Base URL without trailing slashes, e.g. `https://api.billover.com`. */
	baseUrl: string;
	/** `protocol://host:port` of the base URL: the only origin the key may go to. */
	origin: string;
	/** Handed to httpRequestWithAuthentication so n8n does not decrypt it again per request. */
	decrypted: ICredentialsDecrypted;
}

// One lookup per node run (the context object lives for one run): n8n decrypts
// credentials on every getCredentials call, which adds up over 1,000 items.
const cache = new WeakMap<object, Promise<ResolvedCredential>>();

export function resolveCredential(ctx: BillOverContext): Promise<ResolvedCredential> {
	let pending = cache.get(ctx);
	if (!pending) {
		pending = load(ctx);
		cache.set(ctx, pending);
		// A failed lookup is not remembered: the next call tries again.
		pending.catch(() => cache.delete(ctx));
	}
	return pending;
}

async function load(ctx: BillOverContext): Promise<ResolvedCredential> {
	const data: ICredentialDataDecryptedObject = await ctx.getCredentials(CREDENTIAL_TYPE);
	const raw = typeof data.baseUrl === 'string' ? data.baseUrl.trim() : '';
	const baseUrl = raw.replace(/\/+$/, '');
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `The Base URL "${raw}" in the BillOver API credential is not a valid URL`, {
			description: 'Use the form https://api.billover.com (or the sandbox URL, e.g. http://127.0.0.1:8787).',
		});
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new NodeOperationError(ctx.getNode(), `The Base URL "${raw}" in the BillOver API credential must start with https:// or http://`);
	}
	return {
		baseUrl,
		origin: url.origin,
		decrypted: { id: CREDENTIAL_TYPE, name: 'BillOver API', type: CREDENTIAL_TYPE, data },
	};
}
