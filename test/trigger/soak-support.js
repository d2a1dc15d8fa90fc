'use strict';

/**
 * What the trigger soaks (./soak.test.js, ./soak-rejected.test.js) share:
 * the truth replayed from the simulator's own record of transitions, what a
 * poll must report between two samples of it, and the check of one poll.
 */
const { toUtcIso } = require('../../nodes/BillOver/trigger/tracker/time');
const { toMicros } = require('../sandbox/time');

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

/**
 * One poll of `trigger`; when it succeeds, what it emitted ("<event> <uid>")
 * is compared with `expectedNow(invoices)`, the truth replayed from the
 * transitions, into the counters `s`.
 */
function checker(fx, replay) {
	const logBefore = () => fx.sim.log.length;
	const count = (since) => fx.sim.log.slice(since).filter((entry) => entry.origin === 'api').length;
	/** The id BillOver's record gives the transition an item reports: the newest history entry of its kind (or created_at). */
	const expectedId = (item) => {
		if (item.json.event === 'invoice.deleted') return `invoice.deleted:${item.json.uid}`;
		const invoice = fx.sim.store.getInvoice(item.json.uid);
		const entry = item.json.event === 'invoice.created' ? { created_at: invoice.created_at } : invoice.history.filter((h) => h.action === HISTORY[item.json.event]).pop();
		return `${item.json.event}:${invoice.uid}:${toUtcIso(toMicros(entry.created_at))}`;
	};
	return async (trigger, s, expectedNow) => {
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
		const stored = Buffer.byteLength(JSON.stringify(trigger.memory())) + Buffer.byteLength(JSON.stringify(trigger.memoryGlobal()));
		s.maxState = Math.max(s.maxState, stored);
	};
}

module.exports = { approvedSet, checker, counters, lifecycleTruth, replayer, sample, HISTORY };
