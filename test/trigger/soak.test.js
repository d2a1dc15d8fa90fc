'use strict';

/**
 * Soak: both trigger events run through n8n's engine against the simulator
 * for 2,000 polls each while a seeded random actor (test/support/actor.js, the
 * one the restart scenario and queue mode use too) creates, processes,
 * approves, rejects, un-approves and deletes invoices, and more than 10 % of
 * requests are faulted (5xx, 429, dropped connections, delays).
 *
 * The truth is the simulator's own record of transitions, replayed to the
 * moment of each poll. A poll samples the account: "Invoice Approved" must
 * emit exactly the invoices approved now that were not approved at the last
 * successful poll; "Invoice Created" (once processed) exactly the invoices
 * created since activation that are now out of OCR and were not emitted yet.
 * Failed polls (outages longer than the retries are injected now and then)
 * emit nothing and change nothing; the next one catches up.
 */
const { useSimulator } = require('../harness/fixture');
const { toUtcIso } = require('../../nodes/BillOver/trigger/tracker/time');
const { mulberry32 } = require('../sandbox/random');
const { PROFILES, createActor, storeAccount } = require('../support/actor');
const { toMicros } = require('../sandbox/time');

const POLLS = Number(process.env.SOAK_POLLS || 2000);

/** The status of every invoice, replayed from the simulator's transitions. */
function replayer(sim) {
	const invoices = new Map();
	let next = 0;
	for (const invoice of sim.store.listInvoices({})) {
		invoices.set(invoice.uid, { approvement: invoice.approvement_status, processing: invoice.processing_status, fresh: false });
	}
	return {
		advance() {
			const transitions = sim.transitions;
			for (; next < transitions.length; next++) {
				const t = transitions[next];
				if (t.type === 'deleted') invoices.delete(t.uid);
				else if (t.type === 'created') invoices.set(t.uid, { approvement: t.approvementStatus, processing: t.processingStatus, fresh: true });
				else {
					const entry = invoices.get(t.uid);
					entry.approvement = t.approvementStatus;
					entry.processing = t.processingStatus;
				}
			}
			return invoices;
		},
	};
}

const counters = () => ({ ids: new Set(), polls: 0, failed: 0, emitted: 0, expected: 0, missed: 0, duplicated: 0, repeatedIds: 0, wrongIds: 0, requests: 0, maxRequests: 0, maxState: 0 });

/** The history action that names each event (README, event ids). */
const HISTORY = { 'invoice.approved': 'approved', 'invoice.approval_removed': 'approval_removed', 'invoice.rejected': 'rejected' };

/** Each invoice's statuses at one moment. */
function sample(invoices) {
	return new Map([...invoices].map(([uid, entry]) => [uid, { ...entry }]));
}

/**
 * The events a sampler must report between two samples: into approved from
 * new, waiting or rejected; out of approved into waiting or rejected; into
 * rejected from new or waiting (or from approved, after a removal); from
 * waiting or rejected to gone. Invoice Created (once processed) as for the
 * Created trigger. An approved invoice gone by the next sample (removed and
 * deleted in between) is counted as unseen: no sample saw it undecided.
 */
function lifecycleTruth(before, now, created) {
	const expected = [];
	let unseen = 0;
	for (const [uid, entry] of now) {
		const was = before.get(uid);
		const from = was ? was.approvement : 'new';
		const to = entry.approvement;
		if (to === 'approved' && from !== 'approved') expected.push(`invoice.approved ${uid}`);
		if (from === 'approved' && to !== 'approved') expected.push(`invoice.approval_removed ${uid}`);
		if (to === 'rejected' && from !== 'rejected') expected.push(`invoice.rejected ${uid}`);
		if (entry.fresh && entry.processing !== 'processing' && !created.has(uid)) {
			created.add(uid);
			expected.push(`invoice.created ${uid}`);
		}
	}
	for (const [uid, was] of before) {
		if (now.has(uid)) continue;
		if (was.approvement === 'approved') unseen++;
		else expected.push(`invoice.deleted ${uid}`);
	}
	return { expected, unseen };
}

function approvedSet(invoices) {
	return new Set([...invoices].filter(([, entry]) => entry.approvement === 'approved').map(([uid]) => uid));
}

describe('trigger soak', () => {
	const fx = useSimulator({ seed: 99, invoices: 40, ocrDelayMs: null });

	test(`${POLLS} polls per trigger under faults (Approved, Created, and every event on one node): 0 missed, 0 duplicated`, async () => {
		const rng = mulberry32(2026);
		const actor = createActor({ account: storeAccount(fx.sim.store), rng, ...PROFILES.soak });
		const replay = replayer(fx.sim);
		const approvedTrigger = fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceApproved'] }, name: 'Approved' });
		const createdTrigger = fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceCreated'], emitWhen: 'processed' }, name: 'Created' });
		// Every event: the accounting lifecycle on one node.
		const lifecycleTrigger = fx.engine.poller({
			type: 'billOverTrigger',
			parameters: { events: ['invoiceCreated', 'invoiceApproved', 'invoiceApprovalRemoved', 'invoiceRejected', 'invoiceDeleted'], emitWhen: 'processed' },
			name: 'Lifecycle',
		});

		// Activation (no faults yet, as n8n's activation poll must succeed to activate).
		await approvedTrigger.poll();
		await createdTrigger.poll();
		await lifecycleTrigger.poll();
		let approvedAtLastPoll = approvedSet(replay.advance());
		const createdEmitted = new Set();
		const lifecycleCreated = new Set();
		let lifecycleSample = sample(replay.advance());

		fx.sim.faults.random({
			probability: 0.13,
			seed: 7,
			faults: [
				{ type: 'status', status: 500 },
				{ type: 'status', status: 502 },
				{ type: 'status', status: 503 },
				{ type: 'status', status: 429, retryAfter: 0 },
				{ type: 'drop' },
				{ type: 'drop-after' },
				{ type: 'delay', ms: 3 },
			],
		});

		const stats = {
			approved: counters(),
			created: counters(),
			lifecycle: { ...counters(), unseenByDesign: 0, byEvent: {} },
		};
		const logBefore = () => fx.sim.log.length;
		const count = (since) => fx.sim.log.slice(since).filter((entry) => entry.origin === 'api').length;
		/** The id BillOver's record gives the transition an item reports: the newest history entry of its kind (or created_at). */
		const expectedId = (item) => {
			if (item.json.event === 'invoice.deleted') return `invoice.deleted:${item.json.uid}`;
			const invoice = fx.sim.store.getInvoice(item.json.uid);
			const entry = item.json.event === 'invoice.created' ? { created_at: invoice.created_at } : invoice.history.filter((h) => h.action === HISTORY[item.json.event]).pop();
			return `${item.json.event}:${invoice.uid}:${toUtcIso(toMicros(entry.created_at))}`;
		};

		/**
		 * One poll of `trigger`; when it succeeds, what it emitted ("<event> <uid>") is
		 * compared with `expectedNow(invoices)`, the truth replayed from the transitions.
		 */
		const pollAndCheck = async (trigger, s, expectedNow) => {
			const since = logBefore();
			s.polls++;
			let result;
			try {
				result = await trigger.poll();
			} catch {
				s.failed++;
			}
			const requests = count(since);
			s.requests += requests;
			s.maxRequests = Math.max(s.maxRequests, requests);
			if (!result) return;
			const expected = expectedNow(replay.advance());
			const emitted = result.items.map((item) => `${item.json.event} ${item.json.uid}`);
			s.expected += expected.length;
			s.emitted += emitted.length;
			s.missed += expected.filter((key) => !emitted.includes(key)).length;
			s.duplicated += emitted.length - new Set(emitted).size + [...new Set(emitted)].filter((key) => !expected.includes(key)).length;
			if (process.env.SOAK_DEBUG && (expected.some((key) => !emitted.includes(key)) || emitted.some((key) => !expected.includes(key)))) {
				process.stdout.write(`mismatch at poll ${s.polls}: missing ${JSON.stringify(expected.filter((key) => !emitted.includes(key)))} extra ${JSON.stringify(emitted.filter((key) => !expected.includes(key)))}\n`);
			}
			for (const item of result.items) {
				if (s.byEvent) s.byEvent[item.json.event] = (s.byEvent[item.json.event] || 0) + 1;
				if (s.ids.has(item.json.event_id)) s.repeatedIds++;
				s.ids.add(item.json.event_id);
				if (item.json.event_id !== expectedId(item)) s.wrongIds++;
			}
			s.maxState = Math.max(s.maxState, Buffer.byteLength(JSON.stringify(trigger.memory())));
		};

		for (let round = 0; round < POLLS; round++) {
			const actions = Math.floor(rng() * 4);
			for (let i = 0; i < actions; i++) await actor.step();
			// Now and then an outage longer than the retries: that poll fails as a whole.
			if (round % 97 === 50) fx.sim.faults.next(5 + Math.floor(rng() * 8), { type: 'status', status: 503 });

			// Invoice Approved: the invoices approved now that were not at the last successful poll.
			await pollAndCheck(approvedTrigger, stats.approved, (invoices) => {
				const now = approvedSet(invoices);
				const expected = [...now].filter((uid) => !approvedAtLastPoll.has(uid));
				approvedAtLastPoll = now;
				return expected.map((uid) => `invoice.approved ${uid}`);
			});

			// Invoice Created (once processed): new invoices out of OCR that were not emitted yet.
			await pollAndCheck(createdTrigger, stats.created, (invoices) => {
				const expected = [...invoices]
					.filter(([uid, entry]) => entry.fresh && entry.processing !== 'processing' && !createdEmitted.has(uid))
					.map(([uid]) => uid);
				for (const uid of expected) createdEmitted.add(uid);
				return expected.map((uid) => `invoice.created ${uid}`);
			});

			// Every event: what the account's statuses at this poll and at the last one say.
			if (round % 89 === 30) fx.sim.faults.next(5 + Math.floor(rng() * 8), { type: 'status', status: 503 });
			await pollAndCheck(lifecycleTrigger, stats.lifecycle, (invoices) => {
				const now = sample(invoices);
				const { expected, unseen } = lifecycleTruth(lifecycleSample, now, lifecycleCreated);
				stats.lifecycle.unseenByDesign += unseen;
				lifecycleSample = now;
				return expected;
			});
		}

		const faulted = fx.sim.log.filter((entry) => entry.fault && entry.fault !== null).length;
		const total = fx.sim.log.length;
		for (const s of Object.values(stats)) delete s.ids;
		const summary = {
			faultedShare: Number((faulted / total).toFixed(3)),
			requests: total,
			approved: { ...stats.approved, requestsPerPoll: Number((stats.approved.requests / stats.approved.polls).toFixed(2)) },
			created: { ...stats.created, requestsPerPoll: Number((stats.created.requests / stats.created.polls).toFixed(2)) },
			lifecycle: { ...stats.lifecycle, requestsPerPoll: Number((stats.lifecycle.requests / stats.lifecycle.polls).toFixed(2)) },
		};
		process.stdout.write(`soak: ${JSON.stringify(summary)}\n`);

		expect(faulted / total).toBeGreaterThanOrEqual(0.1);
		for (const event of ['invoice.created', 'invoice.approved', 'invoice.approval_removed', 'invoice.rejected', 'invoice.deleted']) {
			expect(stats.lifecycle.byEvent[event]).toBeGreaterThan(POLLS / 100);
		}
		for (const s of [stats.approved, stats.created, stats.lifecycle]) {
			expect(s.missed).toBe(0);
			expect(s.duplicated).toBe(0);
			expect(s.repeatedIds).toBe(0);
			expect(s.wrongIds).toBe(0);
			expect(s.expected).toBeGreaterThan(POLLS / 10);
			expect(s.polls - s.failed).toBeGreaterThan(POLLS * 0.9);
			expect(s.failed).toBeGreaterThan(0);
		}
	}, 600_000);
});
