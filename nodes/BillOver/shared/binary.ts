/**
 * Files in and out of items: the binary property a file is read from or
 * written to, and the output item that carries a downloaded file.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Headers, Receiver } from '../transport';

/** The "binaryPropertyName" parameter: a non-empty name. */
export function readBinaryPropertyName(ctx: IExecuteFunctions, itemIndex: number, label: string): string {
	const value = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as unknown;
	const name = typeof value === 'string' ? value.trim() : '';
	if (!name) {
		throw new NodeOperationError(ctx.getNode(), `Invalid input in item ${itemIndex}: "${label}" must name a binary field, got ${JSON.stringify(value) ?? 'nothing'}`, {
			itemIndex,
			description: 'Nothing was sent to BillOver. The usual name is "data".',
		});
	}
	return name;
}

/** A file stored in n8n's binary data, as an output item carries it. */
export interface StoredFile {
	binary: IBinaryData;
	fileName: string;
	mimeType: string;
	/** Bytes stored. */
	fileSize?: number;
}

type FileContext = IExecuteFunctions | IPollFunctions;

/**
 * The size of a stored file. n8n 2.x says it (`bytes`); n8n 1.x does not, so
 * it is read from the stored file's metadata (filesystem mode), the base64
 * data (memory mode) or, last, the answer's Content-Length.
 */
async function storedSize(ctx: FileContext, binary: IBinaryData, headers: Headers): Promise<number | undefined> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) {
		const metadata = await ctx.helpers.getBinaryMetadata(binary.id).catch(() => undefined);
		if (typeof metadata?.fileSize === 'number') return metadata.fileSize;
	} else if (typeof binary.data === 'string') {
		return Buffer.byteLength(binary.data, 'base64');
	}
	const declared = headers['content-length'] === undefined ? Number.NaN : Number(headers['content-length']);
	return Number.isFinite(declared) ? declared : undefined;
}

/**
 * A transport receiver (see ApiRequest.receive) that hands a file body to
 * n8n's `prepareBinaryData` as a stream: in n8n's filesystem (or S3) binary
 * data mode the file goes to storage chunk by chunk, never whole in memory.
 * `describe` names the file from the answer's headers.
 */
export function storeFile(ctx: FileContext, describe: (headers: Headers) => { fileName: string; mimeType: string }): Receiver {
	return async (body, headers): Promise<StoredFile> => {
		const { fileName, mimeType } = describe(headers);
		const binary = await ctx.helpers.prepareBinaryData(body, fileName, mimeType);
		return { binary, fileName, mimeType, fileSize: await storedSize(ctx, binary, headers) };
	};
}

/**
 * One output item: the file in `binary[binaryPropertyName]`, and in `json`
 * the given fields plus `fileName`, `mimeType` and `fileSize` (bytes).
 */
export function fileItem(binaryPropertyName: string, { binary, fileName, mimeType, fileSize }: StoredFile, json: IDataObject = {}): INodeExecutionData {
	return {
		json: { ...json, fileName, mimeType, fileSize },
		binary: { [binaryPropertyName]: binary },
	};
}
