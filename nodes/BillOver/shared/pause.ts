import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

const SLICE_MS = 500;

/**
 * Waits `ms`, in short slices, and stops early with an error when the
 * execution is cancelled. Built on `sleep`, which every n8n version's
 * n8n-workflow has (`sleepWithAbort` is gone from n8n-workflow 2.34 on).
 */
export async function pause(ctx: IExecuteFunctions, ms: number, itemIndex?: number): Promise<void> {
	const signal = typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
	const end = Date.now() + ms;
	for (let left = ms; left > 0; left = end - Date.now()) {
		if (signal?.aborted) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex });
		await sleep(Math.min(left, SLICE_MS));
	}
	if (signal?.aborted) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex });
}
