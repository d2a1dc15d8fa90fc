import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { triggerProperties } from './trigger/description';
import { EVENT_CHOICES, readTriggerOptions, stateKey } from './trigger/options';
import type { TriggerOptions } from './trigger/options';
import { toItems } from './trigger/output';
import { drive } from './trigger/poll';
import { processId } from './trigger/process';
import { sample } from './trigger/sample';
import { nodeState, startingPoint } from './trigger/state';
import type { Answer, Need, TrackerEvent } from './trigger/tracker';
import { nextOutbox, replay, track } from './trigger/tracker';

const NAMES = Object.fromEntries(EVENT_CHOICES.map((choice) => [choice.value, choice.name.replace('Invoice ', '')]));
/** "Approved", "Approved, Approval Removed" … */
const SUBTITLE = `={{ ($parameter["events"] || []).map(e => (${JSON.stringify(NAMES)})[e] || e).join(", ") }}`;

export class BillOverTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BillOver Trigger',
		name: 'billOverTrigger',
		icon: { light: 'file:billover.svg', dark: 'file:billover.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: SUBTITLE,
		// The editor's node panel shows the trigger's description for the whole app (both nodes).
		description: 'Invoices in BillOver: start workflows when they are created, approved, un-approved, rejected or deleted, and read, upload, approve and export them',
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
			if (!items.length) throw new NodeOperationError(this.getNode(), ...noSample(options));
			return [items];
		}

		const now = Date.now();
		const key = stateKey(options);
		const stored = nodeState(this);
		const memory = stored.load();
		const start = startingPoint(this, key);
		const previous = memory?.key === key ? memory.tracker : start.tracker;
		// The first poll in a new n8n process emits the last events again (they may not have run).
		const redeliver = options.redeliver && previous !== undefined && memory?.process !== processId() ? (memory?.outbox ?? []) : [];

		const replayed = redeliver.length ? await runTracker(this, replay(redeliver)) : [];
		const result = await runTracker(this, track(previous, { events: options.events, emitWhen: options.emitWhen, filters: options.filters, now }));
		const replayedIds = new Set(replayed.map((event) => event.identity.event_id));
		const fresh = result.events.filter((event: TrackerEvent) => !replayedIds.has(event.identity.event_id));
		const items = [...(await toItems(this, replayed, options, { redelivered: true })), ...(await toItems(this, fresh, options))];

		// Only now, with every request done, does the state move on. A new starting point is
		// kept once, in the global static data (see `startingPoint`), not twice.
		if (previous === undefined) {
			stored.clear();
			start.keep(result.state);
		} else {
			stored.save({
				key,
				tracker: result.state,
				// Redelivered events keep their place (and age) in the outbox; new ones join it.
				...(options.redeliver && { process: processId(), outbox: nextOutbox(memory?.outbox ?? [], fresh, now) }),
			});
			start.forget();
		}
		return items.length ? [items] : null;
	}
}

/** Why "Fetch Test Event" has nothing to show, and what to do (n8n's own pollers say so too). */
function noSample(options: TriggerOptions): [string, { description: string }] {
	const names = EVENT_CHOICES.filter((choice) => options.events.includes(choice.event)).map((choice) => choice.name);
	const filtered = Object.values(options.filters).some((values) => values && values.length);
	const onlyDeleted = options.events.every((event) => event === 'invoice.deleted');
	if (onlyDeleted) {
		return ['No sample for Invoice Deleted', { description: 'BillOver keeps nothing of a deleted invoice, so there is none to show. Once the workflow is active, each deletion is emitted with the invoice\'s uid and the event fields.' }];
	}
	return [
		`No invoice in BillOver ${filtered ? 'matches these filters' : 'fits'} for ${names.join(', ')} yet`,
		{
			description: `${filtered ? 'Loosen the filters, or ' : ''}${names.includes('Invoice Approved') ? 'approve an invoice' : names.includes('Invoice Created') ? 'upload an invoice' : 'make such a change'} in BillOver, then fetch again. Nothing is wrong with the trigger: once active, it emits what happens from then on.`,
		},
	];
}

async function runTracker<R>(ctx: IPollFunctions, tracker: Generator<Need, R, Answer>): Promise<R> {
	try {
		return await drive(ctx, tracker);
	} catch (error) {
		// The transport's errors are already actionable; the tracker's own are wrapped.
		if (error instanceof NodeApiError) throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}
