'use strict';

/**
 * Where the trigger starts from "now" when many invoices share the newest
 * instant, and the identity (event, event_id, occurred_at) of every event:
 * derived from BillOver's own record, so the same transition has the same
 * id however often it is reported, and a re-approval has a new one.
 */
const { toUtcIso } = require('../../../nodes/BillOver/trigger/tracker/time');
const { createStore, trackerPoller } = require('../../harness/trackerDriver');
const { toMicros } = require('../../sandbox/time');

const create = (store, options = {}) => store.createInvoice({ fileName: 'x.pdf', processing: false, ...options });
const approvals = (store, filters) => trackerPoller(store, { events: ['invoice.approved'], filters });
const creations = (store, options) => trackerPoller(store, { events: ['invoice.created'], emitWhen: 'processed', ...options });

/** An account whose newest `tied` invoices share one created_at, `approvedShare` of them approved. */
function tiedAccount(tied, approvedShare = 0.8) {
	const store = createStore({ invoices: 30 });
	const at = new Date(Date.now() - 3_600_000).toISOString();
	const batch = Array.from({ length: tied }, () => create(store, { createdAt: at }));
	const approved = batch.slice(0, Math.round(tied * approvedShare));
	for (const invoice of approved) store.approve(invoice.uid);
	return { store, batch, approved };
}

describe('first activation with ties at the newest instant', () => {
	for (const tied of [1, 100, 101, 250]) {
		test(`${tied} invoice(s) sharing the newest created_at: nothing old is emitted later, by either event`, () => {
			const { store, batch } = tiedAccount(tied);
			const approved = approvals(store);
			const created = creations(store);
			const first = approved.poll();
			const firstCreated = created.poll();
			expect(first.events).toEqual([]);
			expect(firstCreated.events).toEqual([]);
			// The pages that hold the whole instant, plus one when the instant ends exactly at a page's end.
			const pages = Math.floor(tied / 100) + 1;
			expect(firstCreated.needs).toHaveLength(pages);
			expect(created.state.cursor.uids).toHaveLength(tied);
			expect(approved.state.cursor.uids).toHaveLength(tied);

			for (let i = 0; i < 3; i++) {
				expect(approved.poll().events).toEqual([]);
				expect(created.poll().events).toEqual([]);
			}
			// And what happens afterwards is emitted once.
			const older = store.listInvoices({ approvement_status: 'waiting' }).find((invoice) => !batch.some((b) => b.uid === invoice.uid));
			store.approve(older.uid);
			const upload = create(store);
			expect(approved.poll().uids).toEqual([older.uid]);
			expect(created.poll().uids).toEqual([upload.uid]);
			expect(approved.poll().events).toEqual([]);
			expect(created.poll().events).toEqual([]);
		});
	}

	test('with a filter, the instant is that of the filtered list', () => {
		const { store, batch } = tiedAccount(150);
		const company = store.getInvoice(batch[0].uid).company.uid;
		const approved = approvals(store, { company__uid: [company] });
		approved.poll();
		expect(approved.poll().events).toEqual([]);
	});

	test('an invoice deleted while the instant is read makes the read start over', () => {
		const { store } = tiedAccount(150, 0);
		const created = creations(store);
		created.poll({
			beforeAnswer: (need, n) => {
				// After page 1 was read, one of its invoices goes: page 2 moves up by one.
				if (n === 2) store.deleteInvoice(store.listInvoices({})[0].uid);
			},
		});
		expect(created.state.cursor.uids).toHaveLength(149);
		expect(created.poll().events).toEqual([]);
	});
});

describe('event identity', () => {
	test('an approval: event, event_id and occurred_at from its history entry, in UTC with microseconds', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		const [event] = trigger.poll().events;
		const entry = store.getInvoice(target.uid).history.filter((h) => h.action === 'approved').pop();
		expect(event.identity).toEqual({
			event: 'invoice.approved',
			event_id: `invoice.approved:${target.uid}:${toUtcIso(toMicros(entry.created_at))}`,
			occurred_at: entry.created_at,
		});
		expect(event.identity.event_id).toMatch(/^invoice\.approved:[0-9a-f-]{36}:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
	});

	test('the same approval gets the same id after the state was lost and rebuilt; a re-approval a new one', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const stale = JSON.parse(JSON.stringify(trigger.state));
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		const first = trigger.poll().ids;
		// As after a crash: the state from before the emission, the same approval found again.
		trigger.state = JSON.parse(JSON.stringify(stale));
		expect(trigger.poll().ids).toEqual(first);
		// Remove and approve again: a new transition, a new id.
		store.removeApproval(target.uid);
		trigger.poll();
		store.approve(target.uid);
		const again = trigger.poll().ids;
		expect(again).toHaveLength(1);
		expect(again[0]).not.toBe(first[0]);
		expect(again[0].startsWith(`invoice.approved:${target.uid}:`)).toBe(true);
	});

	test('an invoice created and approved between two polls: the same id as when seen waiting first', () => {
		const store = createStore();
		const early = approvals(store);
		const late = approvals(store);
		early.poll();
		late.poll();
		const invoice = create(store);
		early.poll(); // sees it waiting
		store.approve(invoice.uid);
		expect(early.poll().ids).toEqual(late.poll().ids);
	});

	test('a creation: named after created_at; the same id for "as soon as created" and "once processed"', () => {
		const store = createStore();
		const soon = creations(store, { emitWhen: 'created' });
		const processed = creations(store);
		soon.poll();
		processed.poll();
		const invoice = store.createInvoice({ fileName: 'scan.pdf' });
		const [first] = soon.poll().events;
		expect(processed.poll().events).toEqual([]);
		store.finishProcessing(invoice.uid);
		const [second] = processed.poll().events;
		expect(first.identity).toEqual({ event: 'invoice.created', event_id: `invoice.created:${invoice.uid}:${toUtcIso(toMicros(invoice.created_at))}`, occurred_at: invoice.created_at });
		expect(second.identity).toEqual(first.identity);
	});

	test('ids do not depend on the offset BillOver shows times in', () => {
		const { identify } = require('../../../nodes/BillOver/trigger/tracker');
		const invoice = { uid: 'u1', created_at: '2024-11-30T21:02:29.706626+03:00' };
		const same = { uid: 'u1', created_at: '2024-11-30T18:02:29.706626Z' };
		expect(identify('invoice.created', invoice, '').event_id).toBe(identify('invoice.created', same, '').event_id);
		expect(identify('invoice.created', invoice, '').event_id).toBe('invoice.created:u1:2024-11-30T18:02:29.706626Z');
	});
});
