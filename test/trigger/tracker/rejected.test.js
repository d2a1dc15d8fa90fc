'use strict';

/**
 * The rejected invoices at scale (nodes/BillOver/trigger/tracker/rejected.ts):
 * they stay watched as long as they exist, so an account's rejected history
 * must not drive what an idle poll costs. Driven without a server against a
 * simulator Store; request counts are exact, nothing here is timed.
 */
const { createStore, trackerPoller, rejectedUids, watchedUids } = require('../../harness/trackerDriver');
const { WINDOW_SIZE } = require('../../../nodes/BillOver/trigger/tracker/rejected');

const ALL = ['invoice.created', 'invoice.approved', 'invoice.approval_removed', 'invoice.rejected', 'invoice.deleted'];
const W_EVENTS = ALL.filter((event) => event !== 'invoice.created');
const pairs = (poll) => poll.events.map((event) => [event.identity.event, event.invoice.uid]);
const pages = (poll, status) => poll.needs.filter((need) => need.kind === 'page' && String(need.query.approvement_status) === status);

/**
 * A store whose account holds `rejected` rejected and `waiting` waiting
 * invoices, spread over two years as the simulator seeds them.
 */
function accountWith({ rejected, waiting, seed = 5 }) {
	const store = createStore({ seed, invoices: Math.ceil((rejected + waiting) * 2.2) });
	const undecided = store.listInvoices({ approvement_status: 'waiting' });
	let toReject = rejected - store.listInvoices({ approvement_status: 'rejected' }).length;
	let stillWaiting = undecided.length;
	for (const invoice of undecided) {
		if (toReject > 0) {
			store.reject(invoice.uid);
			toReject--;
			stillWaiting--;
		} else if (stillWaiting > waiting) {
			store.approve(invoice.uid);
			stillWaiting--;
		}
	}
	expect(toReject).toBe(0);
	return store;
}

/**
 * With a company filter: the `out`-th rejected invoice of the company updated to another one
 * leaves W, the `into`-th of another company updated into it joins W, neither an event; its
 * approval then is one. Only rejected: the tracker checks them by count and window.
 */
function acrossTheFilters(store, { out: outAt, into: intoAt }) {
	const company = store.companies[0].uid;
	const other = store.companies[1].uid;
	const trigger = trackerPoller(store, { events: W_EVENTS, filters: { company__uid: [company] } });
	trigger.poll();
	trigger.poll();
	const out = store.listInvoices({ approvement_status: 'rejected', company__uid: company })[outAt];
	const into = store.listInvoices({ approvement_status: 'rejected', company__uid: other })[intoAt];
	store.updateInvoice(out.uid, { company_uid: other });
	expect(trigger.poll().events).toEqual([]);
	expect(rejectedUids(trigger.state)).not.toContain(out.uid);
	store.updateInvoice(into.uid, { company_uid: company });
	expect(trigger.poll().events).toEqual([]);
	expect(rejectedUids(trigger.state)).toContain(into.uid);
	store.approve(into.uid);
	expect(pairs(trigger.poll())).toEqual([['invoice.approved', into.uid]]);
	return { trigger, out, into };
}

describe('the rejected invoices, at scale', () => {
	let store;
	beforeAll(() => {
		store = accountWith({ rejected: 10_000, waiting: 200 });
		expect(store.listInvoices({ approvement_status: 'rejected' })).toHaveLength(10_000);
		expect(store.listInvoices({ approvement_status: 'waiting' })).toHaveLength(200);
	});

	test('10,000 rejected, 200 waiting: 100 idle polls cost at most 8 requests each (a lap over every date), and the state says where the rotation is', () => {
		const trigger = trackerPoller(store, { events: W_EVENTS });
		const activation = trigger.poll();
		expect(rejectedUids(trigger.state)).toHaveLength(10_000);
		const costs = [];
		let laps = 0;
		for (let i = 0; i < 100; i++) {
			const poll = trigger.poll();
			expect(poll.events).toEqual([]);
			expect(poll.needs.every((need) => need.kind === 'page')).toBe(true);
			costs.push(poll.needs.length);
			if (trigger.state.rotation.after === undefined) laps++;
		}
		const average = costs.reduce((a, b) => a + b, 0) / costs.length;
		process.stdout.write(`10,000 rejected / 200 waiting: activation ${activation.needs.length} requests; idle polls ${Math.min(...costs)}–${Math.max(...costs)}, ${average.toFixed(2)} on average; ${laps} laps in 100 polls; state ${trigger.storedSize} bytes\n`);
		expect(Math.max(...costs)).toBeLessThanOrEqual(8);
		expect(average).toBeLessThanOrEqual(8);
		// Each poll: the walk, two pages of waiting invoices, the rejected list's first page, its window.
		expect(Math.min(...costs)).toBeGreaterThanOrEqual(5);
		// A lap covers every date in about 10,000 / WINDOW_SIZE polls.
		expect(laps).toBeGreaterThanOrEqual(Math.floor(100 / Math.ceil((10_000 / WINDOW_SIZE) * 1.5)));
	});

	test('an old rejected invoice approved, another deleted: both found by the count in the same poll, by halving the dates', () => {
		const trigger = trackerPoller(store, { events: W_EVENTS });
		trigger.poll();
		trigger.poll();
		const rejected = store.listInvoices({ approvement_status: 'rejected' });
		const [approved, deleted] = [rejected[rejected.length - 1], rejected[4321]];
		store.approve(approved.uid);
		store.deleteInvoice(deleted.uid);
		const poll = trigger.poll();
		expect(pairs(poll).sort()).toEqual([['invoice.approved', approved.uid], ['invoice.deleted', deleted.uid]].sort());
		expect(rejectedUids(trigger.state)).not.toContain(approved.uid);
		expect(rejectedUids(trigger.state)).not.toContain(deleted.uid);
		// Halving 10,000 down to a page: about log2(100) counts per change, not 100 pages.
		expect(pages(poll, 'rejected').length).toBeLessThanOrEqual(30);
		process.stdout.write(`an approval and a deletion among 10,000 rejected: ${poll.needs.length} requests\n`);
		expect(trigger.poll().events).toEqual([]);
		store.removeApproval(approved.uid);
		store.reject(approved.uid);
	});

	test('a waiting invoice rejected costs its detail, and no halving (the count expects it)', () => {
		const trigger = trackerPoller(store, { events: W_EVENTS });
		trigger.poll();
		trigger.poll();
		const target = store.listInvoices({ approvement_status: 'waiting' })[17];
		store.reject(target.uid);
		const poll = trigger.poll();
		expect(pairs(poll)).toEqual([['invoice.rejected', target.uid]]);
		expect(rejectedUids(trigger.state)).toContain(target.uid);
		expect(poll.needs.filter((need) => need.kind === 'invoice')).toHaveLength(1);
		expect(poll.needs.length).toBeLessThanOrEqual(9);
		store.approve(target.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.approved', target.uid]]);
		store.removeApproval(target.uid);
		expect(pairs(trigger.poll())).toEqual([['invoice.approval_removed', target.uid]]);
	});

	test('what a count cannot tell (one rejected invoice approved while an approved one is un-approved and rejected) is found within one lap, each event once', () => {
		const trigger = trackerPoller(store, { events: W_EVENTS });
		trigger.poll();
		trigger.poll();
		const leaving = store.listInvoices({ approvement_status: 'rejected' })[6000];
		const joining = store.listInvoices({ approvement_status: 'approved' })[3000];
		store.approve(leaving.uid);
		store.removeApproval(joining.uid);
		store.reject(joining.uid);
		const seen = [];
		let polls = 0;
		let lapEnds = 0;
		while (lapEnds < 2 && polls < 200) {
			const poll = trigger.poll();
			polls++;
			seen.push(...pairs(poll));
			if (trigger.state.rotation.after === undefined) lapEnds++;
		}
		expect(seen.sort()).toEqual(
			[
				['invoice.approved', leaving.uid],
				['invoice.approval_removed', joining.uid],
				['invoice.rejected', joining.uid],
			].sort(),
		);
		expect(rejectedUids(trigger.state)).toContain(joining.uid);
		expect(rejectedUids(trigger.state)).not.toContain(leaving.uid);
		process.stdout.write(`a masked change among 10,000 rejected: found within ${polls} polls\n`);
		store.removeApproval(leaving.uid);
		store.reject(leaving.uid);
	});

	test('with a company filter, more than a window of its invoices rejected: updated out of the filters, into them, then approved', () => {
		const { trigger, out, into } = acrossTheFilters(store, { out: 700, into: 500 });
		expect(trigger.state.rotation).toBeDefined();
		// The account as the other tests expect it.
		store.removeApproval(into.uid);
		store.reject(into.uid);
		store.updateInvoice(into.uid, { company_uid: store.companies[1].uid });
		store.updateInvoice(out.uid, { company_uid: store.companies[0].uid });
	});

	test('the stored state: the rejected uids packed by creation date', () => {
		const trigger = trackerPoller(store, { events: ['invoice.approved', 'invoice.approval_removed'] });
		trigger.poll();
		const bytes = trigger.storedSize;
		// 16 bytes of each uid in base64 (about 21.3 characters), plus the dates: not 38 characters per uid in a list.
		expect(bytes).toBeLessThan(10_000 * 23 + 200 * 39 + 20_000);
		expect(watchedUids(trigger.state)).toHaveLength(10_200);
		process.stdout.write(`stored state with 10,000 rejected and 200 waiting: ${bytes} bytes\n`);
	});
});

describe('the rejected invoices, few of them', () => {
	test('up to a window of rejected invoices: listed with the waiting ones in one read, as before (1 + ⌈W/100⌉ requests)', () => {
		const store = accountWith({ rejected: 150, waiting: 60, seed: 8 });
		const trigger = trackerPoller(store, { events: W_EVENTS });
		trigger.poll();
		const poll = trigger.poll();
		expect(poll.needs).toHaveLength(1 + Math.ceil(210 / 100));
		expect(trigger.state.rotation).toBeUndefined();
	});

	test('growing past a window: the rotation takes over, and shrinking back, the single read again', () => {
		const store = accountWith({ rejected: WINDOW_SIZE - 5, waiting: 100, seed: 9 });
		const trigger = trackerPoller(store, { events: W_EVENTS });
		trigger.poll();
		const waiting = store.listInvoices({ approvement_status: 'waiting' }).slice(0, 10);
		for (const invoice of waiting) store.reject(invoice.uid);
		expect(pairs(trigger.poll()).sort()).toEqual(waiting.map((invoice) => ['invoice.rejected', invoice.uid]).sort());
		const poll = trigger.poll();
		expect(pages(poll, 'rejected').length).toBeGreaterThan(0);
		expect(trigger.state.rotation).toBeDefined();
		for (const invoice of waiting) store.approve(invoice.uid);
		expect(pairs(trigger.poll()).sort()).toEqual(waiting.map((invoice) => ['invoice.approved', invoice.uid]).sort());
		trigger.poll();
		expect(pages(trigger.poll(), 'rejected')).toHaveLength(0);
	});

	test('with a company filter: a rejected invoice updated out of the filters leaves W without an event; one updated in joins it without one; its approval is then reported', () => {
		const store = accountWith({ rejected: 800, waiting: 50, seed: 12 });
		expect(store.listInvoices({ approvement_status: 'rejected', company__uid: store.companies[0].uid }).length).toBeGreaterThan(WINDOW_SIZE / 3);
		acrossTheFilters(store, { out: 10, into: 5 });
	});
});
