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
const { mulberry32 } = require('../sandbox/random');
const { PROFILES, createActor, storeAccount } = require('../support/actor');
const { approvedSet, checker, counters, lifecycleTruth, replayer, sample } = require('./soak-support');

const POLLS = Number(process.env.SOAK_POLLS || 2000);

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
		const pollAndCheck = checker(fx, replay);

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
