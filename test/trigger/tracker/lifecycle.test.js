'use strict';

/**
 * The accounting lifecycle on one trigger: every event of the transitions
 * table watched together (Invoice Created, Approved, Approval Removed,
 * Rejected, Deleted), driven without a server against a simulator Store.
 */
const { createStore, trackerPoller, rejectedUids, watchedUids } = require('../../harness/trackerDriver');

const ALL = ['invoice.created', 'invoice.approved', 'invoice.approval_removed', 'invoice.rejected', 'invoice.deleted'];
const W_EVENTS = ALL.filter((event) => event !== 'invoice.created');
const UNDECIDED = ['waiting', 'rejected'];

const lifecycle = (store, options = {}) => trackerPoller(store, { events: ALL, ...options });
const create = (store, options = {}) => store.createInvoice({ fileName: 'x.pdf', processing: false, ...options });
/** The events of a poll as [event, uid] pairs, in the order emitted. */
const pairs = (poll) => poll.events.map((event) => [event.identity.event, event.invoice.uid]);
const lastEntry = (store, uid, action) => store.getInvoice(uid).history.filter((entry) => entry.action === action).pop();

describe('the accounting lifecycle, all events on one trigger', () => {
	test('approve, remove, approve again: approved, approval_removed, approved, each named after its history entry', () => {
		const store = createStore();
		const trigger = lifecycle(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		const first = trigger.poll();
		expect(pairs(first)).toEqual([['invoice.approved', target.uid]]);
		store.removeApproval(target.uid);
		const removal = trigger.poll();
		expect(pairs(removal)).toEqual([['invoice.approval_removed', target.uid]]);
		expect(removal.events[0].identity.occurred_at).toBe(lastEntry(store, target.uid, 'approval_removed').created_at);
		store.approve(target.uid);
		const again = trigger.poll();
		expect(pairs(again)).toEqual([['invoice.approved', target.uid]]);
		expect(new Set([first.ids[0], removal.ids[0], again.ids[0]]).size).toBe(3);
		expect(trigger.poll().events).toEqual([]);
	});

	test('reject, then approve: rejected, then approved', () => {
		const store = createStore();
		const trigger = lifecycle(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.reject(target.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.rejected', target.uid]]);
		expect(rejectedUids(trigger.state)).toContain(target.uid);
		expect(trigger.poll().events).toEqual([]);
		store.approve(target.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.approved', target.uid]]);
		expect(rejectedUids(trigger.state)).not.toContain(target.uid);
	});

	test('removed, then rejected before the next poll: both transitions', () => {
		const store = createStore();
		const trigger = lifecycle(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		trigger.poll();
		store.removeApproval(target.uid);
		store.reject(target.uid);
		expect(pairs(trigger.poll())).toEqual([
			['invoice.approval_removed', target.uid],
			['invoice.rejected', target.uid],
		]);
	});

	test('removed and deleted before the next poll: a poll never saw it undecided, so neither event (a limit of sampling)', () => {
		const store = createStore();
		const trigger = lifecycle(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.approved', target.uid]]);
		store.removeApproval(target.uid);
		store.deleteInvoice(target.uid);
		expect(trigger.poll().events).toEqual([]);
		// With a poll in between, both are seen.
		const other = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(other.uid);
		trigger.poll();
		store.removeApproval(other.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.approval_removed', other.uid]]);
		store.deleteInvoice(other.uid);
		const deleted = trigger.poll();
		expect(pairs(deleted)).toEqual([['invoice.deleted', other.uid]]);
		expect(deleted.events[0].identity.event_id).toBe(`invoice.deleted:${other.uid}`);
		expect(deleted.events[0].gone).toBe(true);
	});

	test('deleted while processing: a deletion (and never a creation, once processed)', () => {
		const store = createStore();
		const trigger = lifecycle(store);
		trigger.poll();
		const upload = store.createInvoice({ fileName: 'scan.pdf' });
		expect(trigger.poll().events).toEqual([]);
		store.deleteInvoice(upload.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.deleted', upload.uid]]);
		expect(trigger.state.pending).toEqual([]);
		expect(trigger.poll().events).toEqual([]);
	});

	test('deleted while processing, with a company filter (OCR had not filled the company yet): a deletion', () => {
		const store = createStore();
		const company = store.listInvoices({})[0].company.uid;
		const trigger = lifecycle(store, { filters: { company__uid: [company] }, events: W_EVENTS });
		trigger.poll();
		const upload = store.createInvoice({ fileName: 'scan.pdf' });
		expect(trigger.poll().events).toEqual([]);
		expect(trigger.state.pending.map(({ uid }) => uid)).toEqual([upload.uid]);
		store.deleteInvoice(upload.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.deleted', upload.uid]]);
	});

	test('approved while still in OCR, with a company filter: emitted once OCR has filled the company, if it matches', () => {
		const store = createStore();
		const probe = store.createInvoice({ fileName: 'probe.pdf' });
		store.finishProcessing(probe.uid); // OCR is deterministic per uid: learn which company it fills
		const company = store.getInvoice(probe.uid).company.uid;
		const filtered = trackerPoller(store, { events: ['invoice.approved'], filters: { company__uid: [company] } });
		filtered.poll();
		const uploads = Array.from({ length: 24 }, () => store.createInvoice({ fileName: 'scan.pdf' }));
		for (const upload of uploads) store.approve(upload.uid);
		expect(filtered.poll().events).toEqual([]);
		expect(filtered.state.pending).toHaveLength(24);
		for (const upload of uploads) store.finishProcessing(upload.uid);
		const matching = uploads.filter((upload) => store.getInvoice(upload.uid).company.uid === company).map((upload) => upload.uid);
		expect(matching.length).toBeGreaterThan(0);
		expect(matching.length).toBeLessThan(uploads.length);
		const poll = filtered.poll();
		expect(poll.uids.sort()).toEqual(matching.sort());
		expect(filtered.state.pending).toEqual([]);
		expect(filtered.poll().events).toEqual([]);
	});

	test('many events in one poll, oldest first, each once; one request per event beyond the idle poll', () => {
		const store = createStore({ invoices: 60 });
		const trigger = lifecycle(store);
		trigger.poll();
		const waiting = store.listInvoices({ approvement_status: 'waiting' }).filter((i) => i.processing_status === 'finished');
		const [toRemove, toApprove, toReject, toDelete] = waiting;
		store.approve(toRemove.uid);
		trigger.poll();
		const idle = trigger.poll();
		expect(idle.events).toEqual([]);
		store.approve(toApprove.uid);
		store.reject(toReject.uid);
		store.removeApproval(toRemove.uid);
		store.deleteInvoice(toDelete.uid);
		const upload = create(store);
		const busy = trigger.poll();
		expect(pairs(busy).sort()).toEqual(
			[
				['invoice.approved', toApprove.uid],
				['invoice.rejected', toReject.uid],
				['invoice.approval_removed', toRemove.uid],
				['invoice.deleted', toDelete.uid],
				['invoice.created', upload.uid],
			].sort(),
		);
		const times = busy.events.map((event) => Date.parse(event.identity.occurred_at));
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(busy.needs.length).toBeLessThanOrEqual(idle.needs.length + busy.events.length);
	});

	test('an idle poll watching every event costs what Invoice Approved alone does: 1 + ⌈W/100⌉', () => {
		const store = createStore({ invoices: 400 });
		const all = lifecycle(store);
		const approvedOnly = trackerPoller(store, { events: ['invoice.approved'] });
		all.poll();
		approvedOnly.poll();
		const W = store.listInvoices({ approvement_status: UNDECIDED }).length;
		expect(W).toBeGreaterThan(100);
		const idle = all.poll();
		expect(idle.events).toEqual([]);
		expect(idle.needs).toHaveLength(1 + Math.ceil(W / 100));
		expect(approvedOnly.poll().needs).toHaveLength(idle.needs.length);
	});

	test('not fooled: an invoice that enters W because an update made the filter match it is no approval removal', () => {
		const store = createStore();
		const [a, b] = store.companies;
		const candidates = store.listInvoices({ approvement_status: 'waiting' }).filter((invoice) => invoice.company && invoice.company.uid !== a.uid && invoice.processing_status === 'finished');
		const [updated, removedLongAgo] = candidates;
		// Approved and un-approved long before the trigger is activated (2 hours later on its clock).
		store.approve(removedLongAgo.uid);
		store.removeApproval(removedLongAgo.uid);
		const later = Date.now() + 2 * 3_600_000;
		let clock = later;
		const trigger = lifecycle(store, { filters: { company__uid: [a.uid] }, now: () => clock });
		trigger.poll();
		clock += 60_000;
		store.updateInvoice(updated.uid, { company_uid: a.uid });
		store.updateInvoice(removedLongAgo.uid, { company_uid: a.uid });
		const poll = trigger.poll();
		expect(poll.events).toEqual([]);
		expect(watchedUids(trigger.state)).toEqual(expect.arrayContaining([updated.uid, removedLongAgo.uid]));
		// A removal that happened since the last poll is one, filter or not.
		const target = store.listInvoices({ approvement_status: 'waiting', company__uid: a.uid })[0];
		store.approve(target.uid);
		clock = Date.now() + 60_000;
		trigger.state = { ...trigger.state, polledAt: Date.now() - 1000 };
		expect(pairs(trigger.poll())).toEqual([['invoice.approved', target.uid]]);
		store.removeApproval(target.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.approval_removed', target.uid]]);
		expect(b).toBeDefined();
	});

	test('a new invoice created between the two lists a poll reads is no approval removal', () => {
		const store = createStore();
		const trigger = lifecycle(store);
		trigger.poll();
		let fresh;
		const poll = trigger.poll({
			beforeAnswer: (need, n) => {
				if (n === 2) fresh = create(store); // after the walk, before W is read
			},
		});
		expect(poll.events).toEqual([]);
		expect(watchedUids(trigger.state)).toContain(fresh.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.created', fresh.uid]]);
	});

	test('state: the cursor, W (with its rejected ones), the invoices in OCR and the poll time; no history', () => {
		const store = createStore({ invoices: 2000 });
		const trigger = lifecycle(store);
		trigger.poll();
		for (const invoice of store.listInvoices({ approvement_status: UNDECIDED }).slice(40)) store.approve(invoice.uid);
		trigger.poll();
		trigger.poll();
		expect(Object.keys(trigger.state).sort()).toEqual(['cursor', 'pending', 'polledAt', 'rejected', 'watch']);
		expect(watchedUids(trigger.state)).toHaveLength(40);
		expect(trigger.storedSize).toBeLessThan(300 + 40 * 2 * 40);
	});
});
