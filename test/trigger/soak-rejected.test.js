'use strict';

/**
 * Soak at scale: every event on one trigger, through n8n's engine against
 * the simulator, on an account of 25,000 invoices of which 10,000 are
 * rejected and 200 waiting, while the seeded actor (test/support/actor.js)
 * approves, rejects, un-approves, deletes and uploads, and more than 10 % of
 * requests are faulted. The rejected invoices are not read in full on any
 * poll after the activation (nodes/BillOver/trigger/tracker/rejected.ts), so
 * this is where a change among them must still be reported once, at the
 * poll after it happened (./soak-support.js has the truth and the check).
 */
const { useSimulator } = require('../harness/fixture');
const { mulberry32 } = require('../sandbox/random');
const { PROFILES, createActor, storeAccount } = require('../support/actor');
const { checker, counters, lifecycleTruth, replayer, sample } = require('./soak-support');

const POLLS = Number(process.env.SOAK_REJECTED_POLLS || 300);
const REJECTED = 10_000;
const WAITING = 200;

describe('trigger soak, 10,000 rejected invoices', () => {
	const fx = useSimulator({ seed: 31, invoices: 25_000, ocrDelayMs: null });

	test(`${POLLS} polls, every event on one node, under faults: 0 missed, 0 duplicated; idle polls ≤ 8 requests on average`, async () => {
		const { store } = fx.sim;
		let toReject = REJECTED - store.listInvoices({ approvement_status: 'rejected' }).length;
		const waiting = store.listInvoices({ approvement_status: 'waiting' });
		let stillWaiting = waiting.length;
		for (const invoice of waiting) {
			if (toReject > 0) store.reject(invoice.uid);
			else if (stillWaiting > WAITING) store.approve(invoice.uid);
			else continue;
			toReject = Math.max(0, toReject - 1);
			stillWaiting--;
		}
		expect(store.listInvoices({ approvement_status: 'rejected' })).toHaveLength(REJECTED);
		expect(store.listInvoices({ approvement_status: 'waiting' })).toHaveLength(WAITING);

		const rng = mulberry32(4242);
		const actor = createActor({ account: storeAccount(store), rng, ...PROFILES.soak, keepAtLeast: 100 });
		const replay = replayer(fx.sim);
		const trigger = fx.engine.poller({
			type: 'billOverTrigger',
			parameters: { events: ['invoiceCreated', 'invoiceApproved', 'invoiceApprovalRemoved', 'invoiceRejected', 'invoiceDeleted'], emitWhen: 'processed' },
			name: 'Lifecycle',
		});
		await trigger.poll();
		let lifecycleSample = sample(replay.advance());
		const created = new Set();
		fx.sim.faults.random({
			probability: 0.13,
			seed: 11,
			faults: [{ type: 'status', status: 500 }, { type: 'status', status: 502 }, { type: 'drop' }, { type: 'drop-after' }],
		});

		const stats = { ...counters(), unseenByDesign: 0, byEvent: {}, idlePolls: 0, idleRequests: 0, maxIdleRequests: 0 };
		const pollAndCheck = checker(fx, replay);
		let lastFailed = false;
		for (let round = 0; round < POLLS; round++) {
			// Half the rounds change nothing: those polls are idle.
			const actions = rng() < 0.5 ? 0 : 1 + Math.floor(rng() * 3);
			for (let i = 0; i < actions; i++) await actor.step();
			// Now and then an outage longer than the retries: that poll fails as a whole.
			if (round % 97 === 50) fx.sim.faults.next(5 + Math.floor(rng() * 8), { type: 'status', status: 503 });
			const before = { requests: stats.requests, failed: stats.failed };
			await pollAndCheck(trigger, stats, (invoices) => {
				const now = sample(invoices);
				const { expected, unseen } = lifecycleTruth(lifecycleSample, now, created);
				stats.unseenByDesign += unseen;
				lifecycleSample = now;
				return expected;
			});
			const failed = stats.failed > before.failed;
			if (actions === 0 && !failed && !lastFailed) {
				const requests = stats.requests - before.requests;
				stats.idlePolls++;
				stats.idleRequests += requests;
				stats.maxIdleRequests = Math.max(stats.maxIdleRequests, requests);
			}
			lastFailed = failed;
		}
		delete stats.ids;
		const summary = { ...stats, requestsPerPoll: Number((stats.requests / stats.polls).toFixed(2)), requestsPerIdlePoll: Number((stats.idleRequests / stats.idlePolls).toFixed(2)), actions: actor.done };
		process.stdout.write(`soak, 10,000 rejected: ${JSON.stringify(summary)}\n`);

		expect(stats.missed).toBe(0);
		expect(stats.duplicated).toBe(0);
		expect(stats.repeatedIds).toBe(0);
		expect(stats.wrongIds).toBe(0);
		expect(stats.byEvent['invoice.approved']).toBeGreaterThan(POLLS / 20);
		expect(stats.byEvent['invoice.deleted']).toBeGreaterThan(POLLS / 50);
		expect(stats.failed).toBeGreaterThan(0);
		expect(stats.idlePolls).toBeGreaterThan(POLLS / 4);
		// Faulted requests are retried, and each counts: the idle figure includes them.
		expect(summary.requestsPerIdlePoll).toBeLessThanOrEqual(8 * 1.25);
	}, 600_000);
});
