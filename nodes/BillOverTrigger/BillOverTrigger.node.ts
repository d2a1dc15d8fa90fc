import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { drive } from './drive';
import { triggerProperties } from './description';
import { EVENT_CHOICES, readTriggerOptions, stateKey } from './options';
import type { TriggerOptions } from './options';
import { toItems } from './output';
import { PROCESS_ID } from './process';
import { sample } from './sample';
import type { Answer, Need, OutboxEntry, TrackerEvent, TrackerState } from './tracker';
import { nextOutbox, replay, track } from './tracker';

const NAMES = Object.fromEntries(EVENT_CHOICES.map((choice) => [choice.value, choice.name.replace('Invoice ', '')]));
/** "Approved", "Approved, Approval Removed" … from Event (version 1) or Events. */
const SUBTITLE = `={{ ($parameter["events"] || [$parameter["event"]]).map(e => (${JSON.stringify(NAMES)})[e] || e).join(", ") }}`;

/** What the trigger keeps in the workflow's static data (n8n stores it with the workflow). */
interface StoredState extends IDataObject {
	/** What the state was computed for (event, filters): another key starts from "now". */
	key: string;
	state: IDataObject;
	/** With "Redeliver After Restart": the process that saved it, and the events emitted lately. */
	process?: string;
	outbox?: OutboxEntry[];
}

export class BillOverTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BillOver Trigger',
		name: 'billOverTrigger',
		icon: { light: 'file:billover.svg', dark: 'file:billover.dark.svg' },
		group: ['trigger'],
		// 2: "Events" (several per node, the accounting lifecycle); 1: "Event" (one), kept for existing workflows.
		version: [1, 2],
		defaultVersion: 2,
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
		const staticData = this.getWorkflowStaticData('node') as Partial<StoredState>;
		const key = stateKey(options);
		const start = startingPoint(this, key);
		const previous = staticData.key === key ? (staticData.state as unknown as TrackerState) : start.state;
		// The first poll in a new n8n process emits the last events again (they may not have run).
		const redeliver = options.redeliver && previous !== undefined && staticData.process !== PROCESS_ID ? (staticData.outbox ?? []) : [];

		const replayed = redeliver.length ? await runTracker(this, replay(redeliver)) : [];
		const result = await runTracker(this, track(previous, { events: options.events, emitWhen: options.emitWhen, filters: options.filters, now }));
		const replayedIds = new Set(replayed.map((event) => event.identity.event_id));
		const fresh = result.events.filter((event: TrackerEvent) => !replayedIds.has(event.identity.event_id));
		const items = [...(await toItems(this, replayed, options, { redelivered: true })), ...(await toItems(this, fresh, options))];

		// Only now, with every request done, does the state move on.
		staticData.key = key;
		staticData.state = result.state as unknown as IDataObject;
		if (previous === undefined) start.keep(result.state);
		else start.forget();
		if (options.redeliver) {
			staticData.process = PROCESS_ID;
			// Redelivered events keep their place (and age) in the outbox; new ones join it.
			staticData.outbox = nextOutbox(staticData.outbox, fresh, now);
		} else {
			delete staticData.process;
			delete staticData.outbox;
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

/**
 * Where a trigger started from "now", kept beside the node's own state in
 * the workflow's global static data. n8n's durable poll scheduler (2.32+)
 * runs the activation poll without committing what it changes in the node's
 * state, which would make the first scheduled poll start from "now" again
 * and drop what happened in between; the global static data is saved when
 * the workflow is activated, so the first poll after it starts from there.
 */
function startingPoint(ctx: IPollFunctions, key: string) {
	const global = ctx.getWorkflowStaticData('global');
	const name = `billOverTrigger.start:${ctx.getNode().id}`;
	const kept = global[name] as { key?: string; state?: IDataObject } | undefined;
	return {
		state: kept?.key === key ? (kept.state as unknown as TrackerState) : undefined,
		keep(state: TrackerState) {
			global[name] = { key, state: state as unknown as IDataObject };
		},
		forget() {
			if (kept) delete global[name];
		},
	};
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

export type { TriggerOptions };
