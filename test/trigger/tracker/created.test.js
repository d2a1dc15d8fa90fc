'use strict';

/** The "Invoice Created" state machine, driven without a server (see tracker.approved.test.js). */
const { createStore, trackerPoller } = require('../../harness/trackerDriver');

const creations = (store, options = {}) => trackerPoller(store, { events: ['invoice.created'], emitWhen: 'processed', ...options });

const upload = (store, options = {}) => store.createInvoice({ fileName: 'scan.pdf', ...options });

describe('Invoice Created tracker', () => {
	test('first activation: no history, one request', () => {
		const store = createStore({ invoices: 50 });
		const trigger = creations(store);
		const first = trigger.poll();
		expect(first.events).toEqual([]);
		expect(first.needs).toHaveLength(1);
		expect(trigger.state.pending).toEqual([]);
	});

	test('an idle poll costs exactly 1 request', () => {
		const store = createStore({ invoices: 500 });
		const trigger = creations(store);
		trigger.poll();
		const idle = trigger.poll();
		expect(idle.events).toEqual([]);
		expect(idle.needs).toHaveLength(1);
	});

	test('"As soon as created": each new invoice once, oldest first', () => {
		const store = createStore();
		const trigger = creations(store, { emitWhen: 'created' });
		trigger.poll();
		const a = upload(store);
		const b = upload(store);
		expect(trigger.poll().uids).toEqual([a.uid, b.uid]);
		expect(trigger.poll().uids).toEqual([]);
	});

	test.each([[1], [99], [100], [101], [250]])('k = %p new invoices cost at most ⌈k/100⌉ + 1 list requests', (k) => {
		const store = createStore();
		const trigger = creations(store, { emitWhen: 'created' });
		trigger.poll();
		const created = Array.from({ length: k }, () => upload(store));
		const poll = trigger.poll();
		expect(poll.uids).toEqual(created.map((i) => i.uid));
		expect(poll.needs.length).toBeLessThanOrEqual(Math.ceil(k / 100) + 1);
	});

	test('"Once processed": a processing invoice waits, then is emitted once when OCR finishes', () => {
		const store = createStore();
		const trigger = creations(store);
		trigger.poll();
		const invoice = upload(store);
		expect(trigger.poll().uids).toEqual([]);
		expect(trigger.state.pending.map(({ uid }) => uid)).toEqual([invoice.uid]);
		expect(trigger.poll().uids).toEqual([]);
		store.finishProcessing(invoice.uid);
		const done = trigger.poll();
		expect(done.uids).toEqual([invoice.uid]);
		expect(done.events[0].invoice.processing_status).toBe('finished');
		expect(trigger.state.pending).toEqual([]);
		expect(trigger.poll().uids).toEqual([]);
	});

	test('failed OCR: emitted with processing_status "failed", never dropped', () => {
		const store = createStore();
		const trigger = creations(store);
		trigger.poll();
		const invoice = upload(store, { fileName: 'unreadable.pdf' });
		trigger.poll();
		store.finishProcessing(invoice.uid, { fail: true });
		const poll = trigger.poll();
		expect(poll.uids).toEqual([invoice.uid]);
		expect(poll.events[0].invoice.processing_status).toBe('failed');
	});

	test('late OCR of an invoice far below the first page: found by reading on, not one by one', () => {
		const store = createStore();
		const trigger = creations(store);
		trigger.poll();
		const early = [upload(store), upload(store), upload(store)];
		trigger.poll();
		for (let i = 0; i < 150; i++) upload(store, { processing: false });
		expect(trigger.poll().uids).toHaveLength(150);
		for (const invoice of early) store.finishProcessing(invoice.uid);
		const poll = trigger.poll();
		expect(poll.uids.sort()).toEqual(early.map((i) => i.uid).sort());
		expect(poll.needs.filter((need) => need.kind === 'invoice')).toEqual([]);
		expect(poll.needs).toHaveLength(2);
	});

	test('a single late invoice below the first page is read directly (1 request, not a walk)', () => {
		const store = createStore();
		const trigger = creations(store);
		trigger.poll();
		const early = upload(store);
		trigger.poll();
		for (let i = 0; i < 350; i++) upload(store, { processing: false });
		trigger.poll();
		store.finishProcessing(early.uid);
		const poll = trigger.poll();
		expect(poll.uids).toEqual([early.uid]);
		expect(poll.needs).toEqual([expect.objectContaining({ kind: 'page', page: 1 }), { kind: 'invoice', uid: early.uid }]);
	});

	test('deleted while processing: forgotten, no event', () => {
		const store = createStore();
		const trigger = creations(store);
		trigger.poll();
		const invoice = upload(store);
		trigger.poll();
		store.deleteInvoice(invoice.uid);
		expect(trigger.poll().uids).toEqual([]);
		expect(trigger.state.pending).toEqual([]);
	});

	test('identical created_at for many invoices, split across pages and polls: each once', () => {
		const store = createStore();
		const trigger = creations(store, { emitWhen: 'created' });
		trigger.poll();
		const at = new Date(Date.now() + 60_000).toISOString();
		const first = Array.from({ length: 120 }, () => upload(store, { createdAt: at }));
		expect(trigger.poll().uids.sort()).toEqual(first.map((i) => i.uid).sort());
		const second = Array.from({ length: 30 }, () => upload(store, { createdAt: at }));
		expect(trigger.poll().uids.sort()).toEqual(second.map((i) => i.uid).sort());
		expect(trigger.poll().uids).toEqual([]);
	});

	test('invoices created while a poll pages: emitted by this poll or the next, once', () => {
		const store = createStore();
		const trigger = creations(store, { emitWhen: 'created' });
		trigger.poll();
		const before = Array.from({ length: 230 }, () => upload(store));
		const during = [];
		const poll = trigger.poll({
			beforeAnswer: (need, n) => {
				if (n === 2 || n === 3) during.push(upload(store).uid);
			},
		});
		const next = trigger.poll();
		const all = [...poll.uids, ...next.uids];
		expect(all.sort()).toEqual([...before.map((i) => i.uid), ...during].sort());
	});

	test('filters: company from the list object; payment type needs the detail (read only for candidates)', () => {
		const store = createStore();
		const company = store.companies[1].uid;
		const trigger = creations(store, { filters: { company__uid: [company] } });
		trigger.poll();
		const mine = upload(store);
		const other = upload(store);
		store.finishProcessing(mine.uid);
		store.finishProcessing(other.uid);
		store.updateInvoice(mine.uid, { company_uid: company });
		const otherCompany = store.companies.find((c) => c.uid !== company).uid;
		store.updateInvoice(other.uid, { company_uid: otherCompany });
		const poll = trigger.poll();
		expect(poll.uids).toEqual([mine.uid]);
		expect(poll.needs.filter((need) => need.kind === 'invoice')).toEqual([]);

		const byPayment = creations(store, { filters: { payment_type: ['cash'] } });
		byPayment.poll();
		const cash = upload(store, { processing: false });
		store.updateInvoice(cash.uid, { payment_type: 'cash' });
		const card = upload(store, { processing: false });
		store.updateInvoice(card.uid, { payment_type: 'bank_transfer' });
		const paymentPoll = byPayment.poll();
		expect(paymentPoll.uids).toEqual([cash.uid]);
		expect(paymentPoll.events[0].detail).toBeDefined();
		expect(paymentPoll.needs.filter((need) => need.kind === 'invoice')).toHaveLength(2);
	});

	test('state holds the cursor and the pending invoices only', () => {
		const store = createStore({ invoices: 3000 });
		const trigger = creations(store);
		trigger.poll();
		for (let i = 0; i < 20; i++) upload(store);
		trigger.poll();
		expect(trigger.state.pending).toHaveLength(20);
		expect(trigger.storedSize).toBeLessThan(200 + 20 * 60);
	});
});
