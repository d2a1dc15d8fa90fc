import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { UploadFile } from '../../schemas/invoiceUpload';
import { uploadFileSchema, waitForProcessingSchema } from '../../schemas/invoiceUpload';
import { getInvoice, uploadInvoice } from '../../shared/endpoints';
import { readBinaryPropertyName } from '../../shared/binary';
import { runsAsTool } from '../../shared/parameters';
import { pause } from '../../shared/pause';
import { labelsOf, parseInput } from '../../shared/validate';

const BINARY_LABEL = 'Input Binary Field';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be uploaded',
		description: 'The invoice file to upload: a PDF, PNG or JPEG',
	},
	{
		displayName: 'Wait for Processing',
		name: 'waitForProcessing',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until BillOver has read the file and return the processed invoice, instead of returning the new invoice at once while it is still processing',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 5,
		description: 'How long to wait between two checks of the invoice',
		displayOptions: { show: { waitForProcessing: [true] } },
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 300,
		description: 'How long to wait for processing before giving up; the invoice stays created either way',
		displayOptions: { show: { waitForProcessing: [true] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['invoice'], operation: ['create'] } }, properties);

/**
 * POST /v1/invoices/ with the item's file as multipart; optionally polls
 * GET /v1/invoices/{uid} until OCR has finished or failed.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	if (runsAsTool(this)) {
		throw new NodeOperationError(this.getNode(), "Create cannot run as an AI agent's tool", {
			itemIndex,
			description: 'Uploading an invoice needs its file from an earlier node in the workflow, and an AI agent has no file to give. Use a BillOver node (Invoice → Create) in the workflow instead. Nothing was sent to BillOver.',
		});
	}
	const binaryPropertyName = readBinaryPropertyName(this, itemIndex, BINARY_LABEL);
	const binaryData = assertBinary(this, itemIndex, binaryPropertyName);
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	const file = parseInput(
		this,
		uploadFileSchema,
		{ fileName: binaryData.fileName, mimeType: binaryData.mimeType, size: bytes.length },
		itemIndex,
		{ file: BINARY_LABEL, size: BINARY_LABEL },
	);
	const wait = this.getNodeParameter('waitForProcessing', itemIndex, false) as boolean;
	const timing = wait
		? parseInput(
				this,
				waitForProcessingSchema,
				{
					pollInterval: this.getNodeParameter('pollInterval', itemIndex, 5),
					timeout: this.getNodeParameter('timeout', itemIndex, 300),
				},
				itemIndex,
				labelsOf(properties),
			)
		: undefined;

	const created = await uploadInvoice(this, { bytes, ...file }, itemIndex);
	if (!timing) return [{ json: created }];
	return [{ json: await waitForProcessing(this, itemIndex, String(created.uid), file, timing) }];
}

/** n8n's check, with the message in this node's words (field and item named). */
function assertBinary(ctx: IExecuteFunctions, itemIndex: number, name: string): IBinaryData {
	try {
		return ctx.helpers.assertBinaryData(itemIndex, name);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Invalid input in item ${itemIndex}: "${BINARY_LABEL}" is "${name}", but item ${itemIndex} has no binary field "${name}"`, {
			itemIndex,
			description: `Nothing was sent to BillOver. ${(error as Error).message}`,
		});
	}
}

async function waitForProcessing(
	ctx: IExecuteFunctions,
	itemIndex: number,
	uid: string,
	file: UploadFile,
	{ intervalMs, timeoutMs }: { intervalMs: number; timeoutMs: number },
): Promise<IDataObject> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(ctx.getNode(), `Invoice ${uid} was created from "${file.fileName}", but BillOver is still processing it after ${timeoutMs / 1000} seconds`, {
				itemIndex,
				description: 'The invoice exists in BillOver: do not upload the file again. Fetch it later with the Get operation, or raise "Timeout (Seconds)".',
			});
		}
		await pause(ctx, Math.min(intervalMs, remaining), itemIndex);
		const invoice = await getInvoice(ctx, uid, itemIndex);
		if (invoice.processing_status === 'finished') return invoice;
		if (invoice.processing_status === 'failed') {
			throw new NodeOperationError(ctx.getNode(), `BillOver could not read the file "${file.fileName}" of invoice ${uid}: processing failed`, {
				itemIndex,
				description: 'The invoice was created but its fields are empty. Check the file (a clear scan or a text PDF), fill in the fields with Update, or delete the invoice.',
			});
		}
	}
}
