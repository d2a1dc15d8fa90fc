'use strict';

/**
 * The "Invoice Approved" state machine, driven without a server: needs are
 * answered from a simulator Store (the API's model) in the API's shapes.
 */
const { createStore, trackerPoller, rejectedUids, watchedUids } = require('../../harness/trackerDriver');

const UNDECIDED = ['waiting', 'rejected'];

/** A poller over a store: keeps the state between polls, like n8n's static data. */
const approvals = (store, filters = {}) => trackerPoller(store, { events: ['invoice.approved'], filters });

const undecided = (store) => store.listInvoices({ approvement_status: UNDECIDED });
const create = (store, options = {}) => store.createInvoice({ fileName: 'x.pdf', processing: false, ...options });

describe('Invoice Approved tracker', () => {
	test('first activation starts from now: no events, W remembered, newest invoice is the cursor', () => {
		const store = createStore({ invoices: 40 });
		const trigger = approvals(store);
		const first = trigger.poll();
		expect(first.events).toEqual([]);
		expect(watchedUids(trigger.state)).toEqual(undecided(store).map((i) => i.uid).sort());
		expect(first.needs[0]).toMatchObject({ kind: 'page', page: 1 });
	});

	test('an idle poll costs 1 + ⌈W/100⌉ requests and emits nothing', () => {
		const store = createStore({ invoices: 400 });
		const trigger = approvals(store);
		trigger.poll();
		const W = undecided(store).length;
		expect(W).toBeGreaterThan(100);
		const idle = trigger.poll();
		expect(idle.events).toEqual([]);
		expect(idle.needs).toHaveLength(1 + Math.ceil(W / 100));
		expect(idle.needs.every((need) => need.kind === 'page')).toBe(true);
	});

	test('approve a waiting invoice: one event, one detail read, then quiet', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		const poll = trigger.poll();
		expect(poll.uids).toEqual([target.uid]);
		expect(poll.events[0].invoice.approvement_status).toBe('approved');
		expect(poll.needs.filter((need) => need.kind === 'invoice')).toEqual([{ kind: 'invoice', uid: target.uid }]);
		expect(trigger.poll().uids).toEqual([]);
	});

	test('rejected, then approved: an event', () => {
		const store = createStore();
		const trigger = approvals(store);
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.reject(target.uid);
		trigger.poll();
		expect(trigger.poll().uids).toEqual([]);
		store.approve(target.uid);
		expect(trigger.poll().uids).toEqual([target.uid]);
	});

	test('approve, remove approval, approve again (across polls): two events', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		expect(trigger.poll().uids).toEqual([target.uid]);
		store.removeApproval(target.uid);
		expect(trigger.poll().uids).toEqual([]);
		expect(watchedUids(trigger.state)).toContain(target.uid);
		store.approve(target.uid);
		expect(trigger.poll().uids).toEqual([target.uid]);
	});

	test('an old approved invoice whose approval is removed is found by the W list, and its re-approval emitted', () => {
		const store = createStore({ invoices: 300 });
		const trigger = approvals(store);
		trigger.poll();
		const oldApproved = store.listInvoices({ approvement_status: 'approved' }).at(-1);
		store.removeApproval(oldApproved.uid);
		expect(trigger.poll().uids).toEqual([]);
		store.approve(oldApproved.uid);
		expect(trigger.poll().uids).toEqual([oldApproved.uid]);
	});

	test('approved and un-approved between two polls: no event needed, and none emitted', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.approve(target.uid);
		store.removeApproval(target.uid);
		expect(trigger.poll().uids).toEqual([]);
		store.approve(target.uid);
		expect(trigger.poll().uids).toEqual([target.uid]);
	});

	test('an approval of an invoice older than any page the poll reads is found (W is listed whole)', () => {
		const store = createStore({ invoices: 1200 });
		const trigger = approvals(store);
		trigger.poll();
		const oldest = store.listInvoices({ approvement_status: 'waiting' }).at(-1);
		const position = store.listInvoices({}).findIndex((invoice) => invoice.uid === oldest.uid);
		expect(position).toBeGreaterThan(1000);
		store.approve(oldest.uid);
		const poll = trigger.poll();
		expect(poll.uids).toEqual([oldest.uid]);
		const W = undecided(store).length;
		expect(poll.needs).toHaveLength(1 + Math.ceil(W / 100) + 1);
	});

	test('an invoice created and approved between two polls is emitted from the new-invoice walk', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const fresh = create(store);
		store.approve(fresh.uid);
		const poll = trigger.poll();
		expect(poll.uids).toEqual([fresh.uid]);
		// One detail read: the approval's history entry names the event.
		expect(poll.needs.filter((need) => need.kind === 'invoice')).toEqual([{ kind: 'invoice', uid: fresh.uid }]);
		expect(trigger.poll().uids).toEqual([]);
	});

	test('a new waiting invoice is watched, and emitted once when approved later', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const fresh = create(store);
		expect(trigger.poll().uids).toEqual([]);
		expect(watchedUids(trigger.state)).toContain(fresh.uid);
		store.approve(fresh.uid);
		expect(trigger.poll().uids).toEqual([fresh.uid]);
		expect(trigger.poll().uids).toEqual([]);
	});

	test('deleted invoices are forgotten without events', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[0];
		store.deleteInvoice(target.uid);
		const poll = trigger.poll();
		expect(poll.uids).toEqual([]);
		expect(watchedUids(trigger.state)).not.toContain(target.uid);
		expect(poll.needs.filter((need) => need.kind === 'invoice')).toEqual([{ kind: 'invoice', uid: target.uid }]);
	});

	test('identical created_at for many invoices: each approval emitted exactly once', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const at = new Date(Date.now() + 60_000).toISOString();
		const batch = Array.from({ length: 150 }, () => create(store, { createdAt: at }));
		const approvedNow = batch.filter((_, index) => index % 3 === 0);
		for (const invoice of approvedNow) store.approve(invoice.uid);
		const first = trigger.poll();
		expect(first.uids.sort()).toEqual(approvedNow.map((i) => i.uid).sort());
		expect(new Set(first.uids).size).toBe(first.uids.length);
		const later = batch.filter((_, index) => index % 3 === 1);
		for (const invoice of later) store.approve(invoice.uid);
		expect(trigger.poll().uids.sort()).toEqual(later.map((i) => i.uid).sort());
		expect(trigger.poll().uids).toEqual([]);
	});

	test('invoices created and approved while a poll pages are not lost and not doubled', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		for (let i = 0; i < 130; i++) create(store);
		const during = [];
		const poll = trigger.poll({
			beforeAnswer: (need, n) => {
				if (n === 2) {
					const invoice = create(store);
					store.approve(invoice.uid);
					during.push(invoice.uid);
				}
			},
		});
		const next = trigger.poll();
		const all = [...poll.uids, ...next.uids];
		expect(all.filter((uid) => during.includes(uid))).toEqual(during);
	});

	test('a deletion while the new-invoice walk pages makes it start over, so nothing is skipped', () => {
		const store = createStore();
		const trigger = approvals(store);
		trigger.poll();
		const created = Array.from({ length: 250 }, () => create(store));
		for (const invoice of created) store.approve(invoice.uid);
		const victim = create(store); // the newest: on page 1
		const poll = trigger.poll({
			beforeAnswer: (need, n) => {
				// After page 1 was read, an invoice on it disappears: page 2 moves up by one,
				// and without starting over its first invoice would never be read.
				if (n === 2) store.deleteInvoice(victim.uid);
			},
		});
		const expected = created.map((i) => i.uid).sort();
		expect([...new Set(poll.uids)].sort()).toEqual(expected);
		expect(poll.uids).toHaveLength(expected.length);
		expect(poll.needs.filter((need) => need.kind === 'page' && need.page === 1).length).toBeGreaterThanOrEqual(3);
	});

	test('filters narrow what is watched: only the company asked for', () => {
		const store = createStore({ invoices: 80 });
		const company = store.companies[0].uid;
		const trigger = approvals(store, { company__uid: [company] });
		trigger.poll();
		expect(watchedUids(trigger.state)).toEqual(store.listInvoices({ approvement_status: UNDECIDED, company__uid: company }).map((i) => i.uid).sort());
		const mine = store.listInvoices({ approvement_status: 'waiting', company__uid: company })[0];
		const other = store.listInvoices({ approvement_status: 'waiting' }).find((i) => i.company && i.company.uid !== company);
		store.approve(mine.uid);
		store.approve(other.uid);
		expect(trigger.poll().uids).toEqual([mine.uid]);
	});

	test('state holds only the cursor and W, whatever the history', () => {
		const store = createStore({ invoices: 2000 });
		const trigger = approvals(store);
		trigger.poll();
		const size = trigger.storedSize;
		const W = undecided(store).length;
		expect(size).toBeLessThan(200 + W * 40);
	});
});
