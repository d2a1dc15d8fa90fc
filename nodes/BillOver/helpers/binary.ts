/**
 * Files in and out of items: the binary property a file is read from or
 * written to, and the output item that carries a downloaded file.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

export interface DownloadedFile {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * One output item: the file in `binary[binaryPropertyName]`, and in `json`
 * the given fields plus `fileName`, `mimeType` and `fileSize` (bytes).
 */
export async function fileItem(
	ctx: IExecuteFunctions,
	binaryPropertyName: string,
	{ bytes, fileName, mimeType }: DownloadedFile,
	json: IDataObject = {},
): Promise<INodeExecutionData> {
	const binary = await ctx.helpers.prepareBinaryData(bytes, fileName, mimeType);
	return {
		json: { ...json, fileName, mimeType, fileSize: bytes.length },
		binary: { [binaryPropertyName]: binary },
	};
}
