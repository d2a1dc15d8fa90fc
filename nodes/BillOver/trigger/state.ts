/**
 * What the trigger keeps between polls, and the one place that reads and
 * writes it. n8n stores it with the workflow (the node's static data; the
 * starting point also in the workflow's global static data, see
 * `startingPoint`), so it must stay readable by every later release:
 *
 * - what is stored carries `schema`; this file reads only schemas it knows,
 *   through `MIGRATIONS` for older ones, and refuses newer ones;
 * - stored, it is compact (tuples, a few hundred bytes per hundred invoices);
 *   loaded, it has named fields (tracker/types.ts);
 * - golden stored states under test/trigger/golden/ are loaded by the tests:
 *   a change of the stored shape that does not bump `STATE_SCHEMA` and add a
 *   migration fails them.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { EventName, OutboxEntry, PendingInvoice, TrackerState } from './tracker';

export const STATE_SCHEMA = 1;

/** Schema 1, as stored. */
interface StoredTracker {
	cursor: { at: number; uids: string[] };
	watch?: string[];
	/** [creation date, uids]: the uids packed (`packUids`) when they are all UUIDs, else listed. */
	rejected?: Array<[string, string | string[]]>;
	/** [lap started at (ms), lap before started at (ms), last date read] */
	rotation?: [number, number] | [number, number, string];
	/** [uid, created_at µs] or, when W has not seen it yet, [uid, created_at µs, 1]. */
	pending?: Array<[string, number] | [string, number, 1]>;
	polledAt?: number;
}

/** Schema 1, as stored: [event_id, event, invoice uid, occurred_at, emitted at (ms)]. */
type StoredOutboxEntry = [string, EventName, string, string, number];

export interface StoredState {
	schema: number;
	/** What the state was computed for (events, filters): another key starts from "now". */
	key: string;
	state: StoredTracker;
	/** With "Redeliver After Restart": the process that saved it, and the events emitted lately. */
	process?: string;
	outbox?: StoredOutboxEntry[];
}

/** The stored state, loaded. */
export interface TriggerMemory {
	key: string;
	tracker: TrackerState;
	process?: string;
	outbox?: OutboxEntry[];
}

/**
 * How to read an older schema: `MIGRATIONS[n]` turns a stored state of
 * schema n into one of schema n + 1. Empty while schema 1 is the only one.
 */
const MIGRATIONS: Record<number, (stored: IDataObject) => IDataObject> = {};

/** A stored state (or nothing) as named fields; undefined when there is none. */
export function loadState(raw: unknown, describe: string): TriggerMemory | undefined {
	if (!raw || typeof raw !== 'object' || !('state' in raw)) return undefined;
	let stored = raw as IDataObject;
	let schema = typeof stored.schema === 'number' ? stored.schema : 0;
	if (schema > STATE_SCHEMA) {
		throw new Error(`The ${describe} was saved by a newer version of the BillOver nodes (state schema ${schema}; this version reads up to ${STATE_SCHEMA}). Update the package, or deactivate and activate the workflow to start from now.`);
	}
	while (schema < STATE_SCHEMA) {
		const migrate = MIGRATIONS[schema];
		if (!migrate) throw new Error(`The ${describe} has state schema ${schema}, which this version cannot read. Deactivate and activate the workflow to start from now.`);
		stored = migrate(stored);
		schema++;
	}
	const { key, state, process, outbox } = stored as unknown as StoredState;
	return {
		key,
		tracker: {
			cursor: { at: state.cursor.at, uids: [...state.cursor.uids] },
			...(state.watch && { watch: [...state.watch] }),
			...(state.rejected && { rejected: Object.fromEntries(state.rejected.map(([date, uids]) => [date, typeof uids === 'string' ? unpackUids(uids) : [...uids]])) }),
			...(state.rotation && { rotation: { lapStartedAt: state.rotation[0], lastLapStartedAt: state.rotation[1], ...(state.rotation[2] !== undefined && { after: state.rotation[2] }) } }),
			...(state.pending && { pending: state.pending.map(([uid, createdAt, forWatch]): PendingInvoice => ({ uid, createdAt, forWatch: forWatch === 1 })) }),
			...(state.polledAt !== undefined && { polledAt: state.polledAt }),
		},
		...(process !== undefined && { process }),
		...(outbox && { outbox: outbox.map(([eventId, event, uid, occurredAt, emittedAt]): OutboxEntry => ({ eventId, event, uid, occurredAt, emittedAt })) }),
	};
}

/** Named fields as they are stored (schema STATE_SCHEMA). */
export function storeState({ key, tracker, process, outbox }: TriggerMemory): StoredState {
	const state: StoredTracker = { cursor: { at: tracker.cursor.at, uids: [...tracker.cursor.uids] } };
	if (tracker.watch) state.watch = [...tracker.watch];
	if (tracker.rejected) state.rejected = Object.entries(tracker.rejected).map(([date, uids]) => [date, packUids(uids)]);
	if (tracker.rotation) {
		const { lapStartedAt, lastLapStartedAt, after } = tracker.rotation;
		state.rotation = after === undefined ? [lapStartedAt, lastLapStartedAt] : [lapStartedAt, lastLapStartedAt, after];
	}
	if (tracker.pending) state.pending = tracker.pending.map(({ uid, createdAt, forWatch }) => (forWatch ? [uid, createdAt, 1] : [uid, createdAt]));
	if (tracker.polledAt !== undefined) state.polledAt = tracker.polledAt;
	const stored: StoredState = { schema: STATE_SCHEMA, key, state };
	if (process !== undefined) stored.process = process;
	if (outbox) stored.outbox = outbox.map(({ eventId, event, uid, occurredAt, emittedAt }): StoredOutboxEntry => [eventId, event, uid, occurredAt, emittedAt]);
	return stored;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * UUIDs as one base64 string, 16 bytes each (22 characters instead of 38 in
 * a JSON array): the rejected invoices are most of what the state holds.
 * Anything else (a uid that is not a lower-case UUID) stays a list.
 */
export function packUids(uids: readonly string[]): string | string[] {
	if (!uids.every((uid) => UUID.test(uid))) return [...uids];
	return Buffer.from(uids.map((uid) => uid.replace(/-/g, '')).join(''), 'hex').toString('base64');
}

export function unpackUids(packed: string): string[] {
	const hex = Buffer.from(packed, 'base64').toString('hex');
	const uids: string[] = [];
	for (let at = 0; at + 32 <= hex.length; at += 32) {
		const h = hex.slice(at, at + 32);
		uids.push(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
	}
	return uids;
}

/** The trigger node's own stored state (its static data). */
export function nodeState(ctx: IPollFunctions) {
	const staticData = ctx.getWorkflowStaticData('node');
	return {
		load: () => read(ctx, staticData, 'stored state of this trigger'),
		save(memory: TriggerMemory) {
			this.clear();
			Object.assign(staticData, storeState(memory));
		},
		clear() {
			for (const name of Object.keys(staticData)) delete staticData[name];
		},
	};
}

/**
 * Where a trigger started from "now", kept beside the node's own state in
 * the workflow's global static data. n8n's durable poll scheduler (2.32+)
 * runs the activation poll without committing what it changes in the node's
 * state, which would make the first scheduled poll start from "now" again
 * and drop what happened in between; the global static data is saved when
 * the workflow is activated, so the first poll after it starts from there.
 * Until that poll, the node's own state is empty: the state is stored once.
 */
export function startingPoint(ctx: IPollFunctions, key: string) {
	const global = ctx.getWorkflowStaticData('global');
	const name = `billOverTrigger.start:${ctx.getNode().id}`;
	const kept = read(ctx, global[name], 'starting point of this trigger');
	return {
		tracker: kept?.key === key ? kept.tracker : undefined,
		keep(tracker: TrackerState) {
			global[name] = storeState({ key, tracker }) as unknown as IDataObject;
		},
		forget() {
			if (global[name] !== undefined) delete global[name];
		},
	};
}

function read(ctx: IPollFunctions, raw: unknown, describe: string): TriggerMemory | undefined {
	try {
		return loadState(raw, describe);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}
