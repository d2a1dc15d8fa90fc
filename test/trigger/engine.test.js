'use strict';

/**
 * BillOver Trigger on n8n's engine (PollContext, static data kept as n8n
 * keeps it) against the simulator over real HTTP.
 */
const { useSimulator, apiCalls } = require('../harness/fixture');

const approvedTrigger = (options = {}, filters = {}) => ({ events: ['invoiceApproved'], filters, options });
const createdTrigger = (emitWhen = 'processed', options = {}, filters = {}) => ({ events: ['invoiceCreated'], emitWhen, filters, options });

describe('BillOver Trigger on the engine', () => {
	const fx = useSimulator({ invoices: 60, ocrDelayMs: null });
	const waiting = () => fx.sim.store.listInvoices({ approvement_status: 'waiting' });
	const poller = (parameters) => fx.engine.poller({ type: 'billOverTrigger', parameters });

	test('first activation emits nothing and remembers where "now" is; then an approval is emitted once', async () => {
		const trigger = poller(approvedTrigger());
		const first = await trigger.poll();
		expect(first.response).toBeNull();
		// The starting point is kept once, in the global static data, until the first poll.
		expect(trigger.memory()).toEqual({});
		expect(Object.values(trigger.memoryGlobal())[0].state.watch.length).toBeGreaterThan(0);
		const target = waiting()[0];
		fx.sim.store.approve(target.uid);
		fx.sim.clearLog();
		const second = await trigger.poll();
		expect(second.items.map((item) => item.json.uid)).toEqual([target.uid]);
		expect(second.items[0].json).toMatchObject({ approvement_status: 'approved', hf_id: target.hf_id });
		expect(Object.keys(second.items[0].json)).not.toContain('permissions');
		expect(apiCalls(fx.sim)).toEqual([
			'GET /v1/invoices/?page=1&page_size=100',
			'GET /v1/invoices/?approvement_status=waiting&approvement_status=rejected&page=1&page_size=100',
			`GET /v1/invoices/${target.uid}`,
		]);
		expect((await trigger.poll()).response).toBeNull();
		fx.sim.store.removeApproval(target.uid);
	});

	test('"Fetch Test Event" returns the newest approved invoice and leaves the stored state alone', async () => {
		const trigger = poller(approvedTrigger());
		await trigger.poll();
		const before = JSON.stringify(trigger.memory());
		const manual = await trigger.poll({ mode: 'manual' });
		const newestApproved = fx.sim.store.listInvoices({ approvement_status: 'approved' })[0];
		expect(manual.items.map((item) => item.json.uid)).toEqual([newestApproved.uid]);
		expect(JSON.stringify(trigger.memory())).toBe(before);
		expect(JSON.stringify(manual.manualStaticData)).toBe(before);
	});

	test('"Fetch Test Event" before any activation works and stores nothing', async () => {
		const trigger = poller(createdTrigger());
		const manual = await trigger.poll({ mode: 'manual' });
		expect(manual.items).toHaveLength(1);
		expect(manual.items[0].json.processing_status).not.toBe('processing');
		expect(trigger.memory()).toEqual({});
	});

	test('Include Details + Download File: the detail and the original file, fetched without the API key', async () => {
		const trigger = poller(approvedTrigger({ includeDetails: true, downloadFile: true, simplify: false }));
		await trigger.poll();
		const target = waiting()[1];
		fx.sim.store.approve(target.uid);
		fx.sim.clearLog();
		const { items } = await trigger.poll();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ uid: target.uid, approvement_status: 'approved' });
		expect(items[0].json.items).toBeDefined();
		expect(items[0].json.history.map((entry) => entry.action)).toContain('approved');
		expect(items[0].binary.data).toMatchObject({ mimeType: 'application/pdf' });
		expect(Buffer.from(items[0].binary.data.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
		const storage = fx.sim.requests({ origin: 'storage' });
		expect(storage).toHaveLength(1);
		expect(storage[0].headers['api-key']).toBeUndefined();
		// The detail read to see the approval is reused: one detail request, not two.
		expect(fx.sim.requests({ origin: 'api', path: `/v1/invoices/${target.uid}` })).toHaveLength(1);
		fx.sim.store.removeApproval(target.uid);
	});

	test('a poll that fails part-way emits nothing and leaves the state as it was; the next poll picks everything up', async () => {
		const trigger = poller(approvedTrigger({ downloadFile: true }));
		await trigger.poll();
		const target = waiting()[2];
		fx.sim.store.approve(target.uid);
		const before = JSON.stringify(trigger.memory());
		fx.sim.faults.next(10, { type: 'status', status: 503 }, { origin: 'storage' });
		await expect(trigger.poll()).rejects.toThrow(/BillOver answered 503/);
		expect(JSON.stringify(trigger.memory())).toBe(before);
		fx.sim.faults.clear();
		const retry = await trigger.poll();
		expect(retry.items.map((item) => item.json.uid)).toEqual([target.uid]);
		expect(retry.items[0].binary.data).toBeDefined();
		fx.sim.store.removeApproval(target.uid);
	});

	test('n8n saves the state only when a poll emits; after a restart the saved state finds what happened since', async () => {
		const trigger = poller(approvedTrigger());
		await trigger.poll();
		const first = waiting()[3];
		fx.sim.store.approve(first.uid);
		expect((await trigger.poll()).items.map((item) => item.json.uid)).toEqual([first.uid]);
		// Idle polls change the state in memory only.
		const fresh = fx.sim.store.createInvoice({ fileName: 'new.pdf', processing: false });
		await trigger.poll();
		expect(trigger.memory().state.watch).toContain(fresh.uid);
		expect(trigger.saved().state.watch).not.toContain(fresh.uid);
		fx.sim.store.approve(fresh.uid);
		trigger.restart();
		const after = await trigger.poll();
		expect(after.items.map((item) => item.json.uid)).toEqual([fresh.uid]);
		expect((await trigger.poll()).response).toBeNull();
		fx.sim.store.removeApproval(first.uid);
		fx.sim.store.removeApproval(fresh.uid);
	});

	test('Invoice Created, once processed: an upload is emitted when OCR finishes, once', async () => {
		const trigger = poller(createdTrigger());
		await trigger.poll();
		const invoice = fx.sim.store.createInvoice({ fileName: 'receipt.pdf' });
		expect((await trigger.poll()).response).toBeNull();
		fx.sim.store.finishProcessing(invoice.uid);
		fx.sim.clearLog();
		const { items } = await trigger.poll();
		expect(items.map((item) => item.json.uid)).toEqual([invoice.uid]);
		expect(items[0].json.processing_status).toBe('finished');
		expect(apiCalls(fx.sim)).toEqual(['GET /v1/invoices/?page=1&page_size=100']);
		expect((await trigger.poll()).response).toBeNull();
	});

	test('changing the event resets the state: the new event starts from now', async () => {
		const created = poller(createdTrigger('created'));
		await created.poll();
		fx.sim.store.createInvoice({ fileName: 'a.pdf' });
		expect((await created.poll()).items).toHaveLength(1);
		const switched = fx.engine.poller({ type: 'billOverTrigger', parameters: approvedTrigger() });
		expect((await switched.poll()).response).toBeNull();
	});

	test('a bad filter UID is refused before any request', async () => {
		const trigger = poller(approvedTrigger({}, { company__uid: ['not-a-uuid'] }));
		await expect(trigger.poll()).rejects.toThrow(/^Invalid input: "Company UIDs" \(entry 1\) must be a UUID/);
		expect(fx.sim.requests({ origin: 'api' })).toHaveLength(0);
	});
});

describe('BillOver Trigger at scale', () => {
	const fx = useSimulator({ invoices: 100_000, ocrDelayMs: null });

	test('100,000 invoices, 50 awaiting a decision: state under 16 KB, idle poll 2 requests, an old approval found', async () => {
		const undecided = fx.sim.store.listInvoices({ approvement_status: ['waiting', 'rejected'] });
		for (const invoice of undecided.slice(50)) fx.sim.store.approve(invoice.uid);
		expect(fx.sim.store.listInvoices({ approvement_status: ['waiting', 'rejected'] })).toHaveLength(50);
		const trigger = fx.engine.poller({ type: 'billOverTrigger', parameters: approvedTrigger() });
		await trigger.poll();
		const size = Buffer.byteLength(JSON.stringify(trigger.memory())) + Buffer.byteLength(JSON.stringify(trigger.memoryGlobal()));
		expect(size).toBeLessThan(16 * 1024);
		fx.sim.clearLog();
		expect((await trigger.poll()).response).toBeNull();
		expect(fx.sim.requests({ origin: 'api' })).toHaveLength(2);
		const oldest = fx.sim.store.listInvoices({ approvement_status: 'waiting' }).at(-1);
		fx.sim.store.approve(oldest.uid);
		fx.sim.clearLog();
		const { items } = await trigger.poll();
		expect(items.map((item) => item.json.uid)).toEqual([oldest.uid]);
		expect(fx.sim.requests({ origin: 'api' })).toHaveLength(3);
		console.log(`trigger state at 100,000 invoices / 50 undecided: ${size} bytes`);
	}, 60_000);
});

describe('BillOver Trigger output shape', () => {
	const fx = useSimulator({ invoices: 30, ocrDelayMs: null });

	test('without Include Details every event has the list shape, whether it came from the list or from a detail read', async () => {
		const trigger = fx.engine.poller({ type: 'billOverTrigger', parameters: approvedTrigger({ simplify: false }) });
		await trigger.poll();
		const old = fx.sim.store.listInvoices({ approvement_status: 'waiting' })[0];
		fx.sim.store.approve(old.uid);
		const fresh = fx.sim.store.createInvoice({ fileName: 'new.pdf', processing: false });
		fx.sim.store.approve(fresh.uid);
		const { items } = await trigger.poll();
		expect(items.map((item) => item.json.uid).sort()).toEqual([old.uid, fresh.uid].sort());
		const listKeys = [...Object.keys(fx.sim.store.listInvoices({})[0]), 'event', 'event_id', 'occurred_at'].sort();
		for (const item of items) expect(Object.keys(item.json).sort()).toEqual(listKeys);
	});
});

describe('BillOver Trigger event ids and redelivery', () => {
	const fx = useSimulator({ invoices: 30, ocrDelayMs: null });
	const waiting = () => fx.sim.store.listInvoices({ approvement_status: 'waiting' });
	const approvedWith = (options) => fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceApproved'], options } });

	test('every item carries event, event_id and occurred_at, with Simplify on and off, and in Fetch Test Event', async () => {
		const simple = approvedWith({});
		const raw = approvedWith({ simplify: false, includeDetails: true });
		await simple.poll();
		await raw.poll();
		const target = waiting()[0];
		fx.sim.store.approve(target.uid);
		const [a] = (await simple.poll()).items;
		const [b] = (await raw.poll()).items;
		const entry = fx.sim.store.getInvoice(target.uid).history.filter((h) => h.action === 'approved').pop();
		for (const item of [a, b]) {
			expect(item.json).toMatchObject({ event: 'invoice.approved', occurred_at: entry.created_at, uid: target.uid });
			expect(item.json.event_id).toMatch(new RegExp(`^invoice\\.approved:${target.uid}:`));
		}
		expect(a.json.event_id).toBe(b.json.event_id);
		expect(b.json.history).toBeDefined();
		const [sample] = (await simple.poll({ mode: 'manual' })).items;
		expect(sample.json).toMatchObject({ event: 'invoice.approved', uid: target.uid, event_id: a.json.event_id });
		fx.sim.store.removeApproval(target.uid);
	});

	test('Redeliver After Restart: the first poll in a new process emits the last events again, marked, with their ids', async () => {
		const trigger = approvedWith({ redeliverAfterRestart: true });
		await trigger.poll();
		const target = waiting()[1];
		fx.sim.store.approve(target.uid);
		const first = (await trigger.poll()).items;
		expect(first).toHaveLength(1);
		expect(first[0].json.redelivered).toBeUndefined();
		// Same process: nothing again.
		expect((await trigger.poll()).response).toBeNull();
		// n8n restarts (the execution of that event may not have run): emitted again, once.
		trigger.restart();
		const other = waiting()[2];
		fx.sim.store.approve(other.uid);
		const again = (await trigger.poll()).items;
		expect(again.map((item) => [item.json.uid, item.json.event_id, item.json.redelivered])).toEqual([
			[target.uid, first[0].json.event_id, true],
			[other.uid, expect.stringMatching(/^invoice\.approved:/), undefined],
		]);
		expect((await trigger.poll()).response).toBeNull();
		expect(trigger.memory().outbox.map((entry) => entry[0])).toEqual(again.map((item) => item.json.event_id));
		fx.sim.store.removeApproval(target.uid);
		fx.sim.store.removeApproval(other.uid);
	});

	test('an update of the package in place (its modules loaded anew, the same process) is no restart: nothing is redelivered', async () => {
		const trigger = approvedWith({ redeliverAfterRestart: true });
		await trigger.poll();
		const target = waiting()[4];
		fx.sim.store.approve(target.uid);
		expect((await trigger.poll()).items.map((item) => item.json.uid)).toEqual([target.uid]);
		trigger.updatePackage();
		expect((await trigger.poll()).response).toBeNull();
		// A restart after it still redelivers.
		trigger.restart();
		expect((await trigger.poll()).items.map((item) => [item.json.uid, item.json.redelivered])).toEqual([[target.uid, true]]);
		fx.sim.store.removeApproval(target.uid);
	});

	test('without Redeliver After Restart a restart emits nothing again and keeps no outbox', async () => {
		const trigger = approvedWith({});
		await trigger.poll();
		const target = waiting()[3];
		fx.sim.store.approve(target.uid);
		expect((await trigger.poll()).items).toHaveLength(1);
		trigger.restart();
		expect((await trigger.poll()).response).toBeNull();
		expect(trigger.saved().outbox).toBeUndefined();
		fx.sim.store.removeApproval(target.uid);
	});

	test('redelivery: an event about an invoice deleted since is not sent again; redelivered events keep their age', async () => {
		const trigger = fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceCreated'], emitWhen: 'created', options: { redeliverAfterRestart: true, includeDetails: true } } });
		await trigger.poll();
		const gone = fx.sim.store.createInvoice({ fileName: 'gone.pdf', processing: false });
		const kept = fx.sim.store.createInvoice({ fileName: 'kept.pdf', processing: false });
		const first = (await trigger.poll()).items;
		expect(first.map((item) => item.json.uid)).toEqual([gone.uid, kept.uid]);
		const emittedAt = trigger.memory().outbox.map((entry) => entry[4]);
		fx.sim.store.deleteInvoice(gone.uid);
		trigger.restart();
		const again = (await trigger.poll()).items;
		expect(again.map((item) => [item.json.uid, item.json.redelivered])).toEqual([[kept.uid, true]]);
		expect(trigger.memory().outbox.map((entry) => entry[4])).toEqual(emittedAt);
	});
});

describe('BillOver Trigger on the classic and the durable scheduler', () => {
	const fx = useSimulator({ invoices: 30, ocrDelayMs: null });
	const waiting = () => fx.sim.store.listInvoices({ approvement_status: 'waiting' });
	const approved = (scheduler, options = {}) => fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceApproved'], options }, scheduler });

	for (const scheduler of ['classic', 'durable']) {
		test(`${scheduler}: what happens between activation and the first scheduled poll is emitted`, async () => {
			const trigger = approved(scheduler);
			await trigger.poll(); // the activation poll
			const target = waiting()[0];
			fx.sim.store.approve(target.uid);
			const fresh = fx.sim.store.createInvoice({ fileName: 'new.pdf', processing: false });
			fx.sim.store.approve(fresh.uid);
			expect((await trigger.poll()).items.map((item) => item.json.uid).sort()).toEqual([target.uid, fresh.uid].sort());
			expect((await trigger.poll()).response).toBeNull();
			fx.sim.store.removeApproval(target.uid);
			fx.sim.store.removeApproval(fresh.uid);
		});
	}

	test('durable: the activation poll commits no node state, the starting point is in the global static data', async () => {
		const trigger = approved('durable');
		await trigger.poll();
		expect(trigger.saved()).toEqual({});
		const [start] = Object.values(trigger.savedGlobal());
		expect(start).toMatchObject({ schema: 1, key: 'invoice.approved||' });
		await trigger.poll();
		expect(trigger.saved().state.watch).toEqual(start.state.watch);
	});

	test('durable: an empty poll is committed, so an approval removed and given again across a restart is seen', async () => {
		const trigger = approved('durable');
		await trigger.poll();
		await trigger.poll();
		const target = waiting()[1];
		fx.sim.store.approve(target.uid);
		const [first] = (await trigger.poll()).items;
		fx.sim.store.removeApproval(target.uid);
		expect((await trigger.poll()).response).toBeNull(); // sees it back in W; commits that
		trigger.restart();
		fx.sim.store.approve(target.uid);
		const [again] = (await trigger.poll()).items;
		expect(again.json.uid).toBe(target.uid);
		expect(again.json.event_id).not.toBe(first.json.event_id);
		fx.sim.store.removeApproval(target.uid);
	});

	test('classic: the documented limit — a removal only an unsaved poll saw, given again before a restart, is not seen', async () => {
		const trigger = approved('classic');
		await trigger.poll();
		const target = waiting()[2];
		fx.sim.store.approve(target.uid);
		expect((await trigger.poll()).items).toHaveLength(1);
		fx.sim.store.removeApproval(target.uid);
		expect((await trigger.poll()).response).toBeNull(); // sees it back in W, in memory only
		fx.sim.store.approve(target.uid);
		trigger.restart();
		expect((await trigger.poll()).response).toBeNull(); // the activation poll after the restart
		fx.sim.store.removeApproval(target.uid);
	});

	test('classic: a removal seen by the activation poll after a restart is saved (n8n saves at activation)', async () => {
		const trigger = approved('classic');
		await trigger.poll();
		const target = waiting()[3];
		fx.sim.store.approve(target.uid);
		expect((await trigger.poll()).items).toHaveLength(1);
		fx.sim.store.removeApproval(target.uid);
		trigger.restart();
		expect((await trigger.poll()).response).toBeNull();
		trigger.restart();
		fx.sim.store.approve(target.uid);
		expect((await trigger.poll()).items.map((item) => item.json.uid)).toEqual([target.uid]);
		fx.sim.store.removeApproval(target.uid);
	});
});

describe('BillOver Trigger: several events on one node', () => {
	const fx = useSimulator({ invoices: 40, ocrDelayMs: null });
	const waiting = () => fx.sim.store.listInvoices({ approvement_status: 'waiting' }).filter((invoice) => invoice.processing_status === 'finished');
	const lifecycle = (events, options = {}) => fx.engine.poller({ type: 'billOverTrigger', parameters: { events, options } });

	test('Approved + Approval Removed: booked, reversed, booked again, each item saying which', async () => {
		const trigger = lifecycle(['invoiceApproved', 'invoiceApprovalRemoved'], { includeDetails: true });
		expect(trigger.node.typeVersion).toBe(1);
		await trigger.poll();
		const target = waiting()[0];
		const events = [];
		for (const act of ['approve', 'removeApproval', 'approve']) {
			fx.sim.store[act](target.uid);
			const { items } = await trigger.poll();
			expect(items).toHaveLength(1);
			events.push(items[0].json);
		}
		expect(events.map((json) => json.event)).toEqual(['invoice.approved', 'invoice.approval_removed', 'invoice.approved']);
		expect(new Set(events.map((json) => json.event_id)).size).toBe(3);
		expect(events[1]).toMatchObject({ uid: target.uid, approvement_status: 'waiting' });
		expect(events[1].items).toBeDefined();
		fx.sim.store.removeApproval(target.uid);
	});

	test('Rejected and Deleted: a deleted invoice is an item with its uid and the event fields only', async () => {
		const trigger = lifecycle(['invoiceRejected', 'invoiceDeleted'], { includeDetails: true, downloadFile: true });
		await trigger.poll();
		const [toReject, toDelete] = waiting();
		fx.sim.store.reject(toReject.uid);
		fx.sim.store.deleteInvoice(toDelete.uid);
		const { items } = await trigger.poll();
		const byEvent = Object.fromEntries(items.map((item) => [item.json.event, item]));
		expect(Object.keys(byEvent).sort()).toEqual(['invoice.deleted', 'invoice.rejected']);
		expect(byEvent['invoice.rejected'].json).toMatchObject({ uid: toReject.uid, approvement_status: 'rejected' });
		expect(byEvent['invoice.rejected'].binary.data).toBeDefined();
		expect(byEvent['invoice.deleted'].json).toEqual({
			event: 'invoice.deleted',
			event_id: `invoice.deleted:${toDelete.uid}`,
			occurred_at: expect.stringMatching(/Z$/),
			uid: toDelete.uid,
		});
		expect(byEvent['invoice.deleted'].binary).toBeUndefined();
	});

	test('Fetch Test Event: the newest invoice of the first watched event that has one', async () => {
		const target = waiting()[0];
		fx.sim.store.approve(target.uid);
		fx.sim.store.removeApproval(target.uid);
		const removal = await lifecycle(['invoiceDeleted', 'invoiceApprovalRemoved']).poll({ mode: 'manual' });
		expect(removal.items.map((item) => [item.json.event, item.json.uid])).toEqual([['invoice.approval_removed', expect.any(String)]]);
		expect(removal.items[0].json.event_id).toMatch(/^invoice\.approval_removed:/);
		// Nothing to show: it says why, as n8n's own pollers do.
		await expect(lifecycle(['invoiceDeleted']).poll({ mode: 'manual' })).rejects.toThrow('No sample for Invoice Deleted');
		const nobody = '00000000-0000-4000-8000-000000000000';
		const filtered = fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceApproved'], filters: { company__uid: [nobody] } } });
		await expect(filtered.poll({ mode: 'manual' })).rejects.toThrow('No invoice in BillOver matches these filters for Invoice Approved yet');
	});

	test('no event picked: refused before any request', async () => {
		fx.sim.clearLog();
		await expect(lifecycle([]).poll()).rejects.toThrow('Pick at least one event');
		expect(fx.sim.requests({ origin: 'api' })).toHaveLength(0);
	});

	test('the stored state is keyed by the events (in table order), Emit When for Invoice Created, and the filters', async () => {
		const approved = lifecycle(['invoiceApprovalRemoved', 'invoiceApproved']);
		await approved.poll();
		await approved.poll();
		expect(approved.memory()).toMatchObject({ schema: 1, key: 'invoice.approved,invoice.approval_removed||' });
		const created = fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceCreated'], emitWhen: 'created' } });
		await created.poll();
		expect(Object.values(created.savedGlobal())[0].key).toBe('invoice.created|created|');
	});
});
