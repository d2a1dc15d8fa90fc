import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { drive } from './drive';
import { triggerProperties } from './description';
import { readTriggerOptions, stateKey } from './options';
import type { TriggerOptions } from './options';
import { toItems } from './output';
import { sample } from './sample';
import type { ApprovedState, CreatedState, Tracker } from './tracker';
import { trackApprovals, trackCreations } from './tracker';

/** What the trigger keeps in the workflow's static data (n8n stores it with the workflow). */
interface StoredState extends IDataObject {
	key: string;
	state: IDataObject;
}

export class BillOverTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BillOver Trigger',
		name: 'billOverTrigger',
		icon: { light: 'file:billover.svg', dark: 'file:billover.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "invoiceCreated" ? "Invoice Created" : "Invoice Approved"}}',
		description: 'Starts the workflow when BillOver invoices are created or approved',
		defaults: { name: 'BillOver Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'billOverApi', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = readTriggerOptions(this);
		// "Fetch Test Event": a sample, and the stored state is left alone.
		if (this.getMode() === 'manual') {
			const items = await sample(this, options);
			return items.length ? [items] : null;
		}

		const staticData = this.getWorkflowStaticData('node') as Partial<StoredState>;
		const key = stateKey(options);
		const previous = staticData.key === key ? staticData.state : undefined;
		const tracker: Tracker<ApprovedState | CreatedState> =
			options.event === 'invoiceApproved'
				? trackApprovals(previous as ApprovedState | undefined, options.filters)
				: trackCreations(previous as CreatedState | undefined, { emitWhen: options.emitWhen, filters: options.filters });

		const result = await runTracker(this, tracker);
		const items = await toItems(this, result.events, options);

		// Only now, with every request done, does the state move on.
		staticData.key = key;
		staticData.state = result.state as unknown as IDataObject;
		return items.length ? [items] : null;
	}
}

async function runTracker<S>(ctx: IPollFunctions, tracker: Tracker<S>) {
	try {
		return await drive(ctx, tracker);
	} catch (error) {
		// The transport's errors are already actionable; the tracker's own are wrapped.
		if (error instanceof NodeApiError) throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

export type { TriggerOptions };
