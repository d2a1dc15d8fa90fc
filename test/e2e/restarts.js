'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * The trigger across n8n restarts and crashes, in a real n8n: the
 * "Approved invoice → accounting" example activated (Redeliver After Restart
 * on, the event id sent as Idempotency-Key), the sandbox's account changed
 * all along by a random actor (approvals, removals, re-approvals,
 * rejections, uploads with OCR, deletions), and n8n stopped and started
 * again `cycles` times: every other stop a SIGKILL, at chosen moments —
 * during a poll (its list requests held back by the sandbox), during an
 * execution (the accounting system slow to answer), or at random. Every
 * start activates the workflow, and n8n polls at once on activation.
 *
 * At the end, against the sandbox's own record: every approval that a
 * completed poll could see (its W read came after the approval and well
 * before any removal) must have reached the accounting system, by its event
 * id; what n8n repeated or lost is counted from its executions.
 */
const assert = require('node:assert/strict');

const { mulberry32 } = require('../sandbox/random');
const { PROFILES, sandboxAccount, startActor } = require('../support/actor');
const { installedPack, trackerModule } = require('../support/dist');
const { waitFor } = require('../support/processes');
const { sleep } = require('../support/util');
const wf = require('../support/workflows');

const WORKFLOW_ID = 'e2eRestarts00001';
const TRIGGER = 'Invoice approved';

/** The n8n settings of the durable poll scheduler (n8n 2.32+; README, Compatibility). */
const DURABLE_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};

/** What is going on at the moment of a stop: a poll's list request in flight, an unanswered accounting request. */
async function momentOf(sandbox, accounting) {
	const log = await sandbox.log();
	const inFlight = log.filter((entry) => entry.status === null && entry.method === 'GET').length;
	return { duringPoll: inFlight > 0, duringExecution: accounting.pending() > 0 };
}

const isWRead = (entry) => entry.method === 'GET' && entry.path === '/v1/invoices/' && (entry.query.approvement_status || []).includes('rejected');

/** Waits for `count` more completed W reads of the trigger (its polls) after now. */
async function polls(sandbox, count, timeoutMs = 75_000 * count) {
	const since = Date.now();
	await waitFor(`${count} poll(s) of the trigger`, async () => (await sandbox.log()).filter((entry) => entry.receivedAt > since && isWRead(entry) && entry.status !== null).length >= count, { timeoutMs, intervalMs: 1000 });
}

/**
 * After a start: the poll n8n runs when it activates the workflow (classic
 * scheduling; the durable scheduler polls on its schedule only), and the
 * execution it started, are over.
 */
async function settleAfterStart(sandbox, accounting, startedAt) {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if ((await sandbox.log()).some((entry) => entry.receivedAt >= startedAt - 15_000 && isWRead(entry) && entry.status !== null)) break;
		await sleep(300);
	}
	await sleep(3000);
	while (accounting.pending() > 0 && Date.now() < deadline + 10_000) await sleep(200);
}

/**
 * Waits for the moment a stop is planned at: 'poll' (the next scheduled
 * poll's list requests are held back 4 s by the sandbox, and n8n is stopped
 * 1 s into the first), 'execution' (the accounting system answers after 5 s;
 * stopped 1 s after the next request arrives), 'random' (20 to 60 s). Gives
 * up waiting after 100 s (the stop then happens at that moment).
 */
async function waitForMoment(kind, { sandbox, accounting, rng }) {
	if (kind === 'random') return sleep(20_000 + rng() * 40_000);
	const deadline = Date.now() + 100_000;
	if (kind === 'poll') {
		const mark = await sandbox.logMark();
		await sandbox.fault(2, { type: 'delay', ms: 4000 }, { origin: 'api', method: 'GET', path: '/v1/invoices/' });
		while (Date.now() < deadline) {
			if ((await sandbox.log(mark)).some((entry) => entry.fault === 'delay' && entry.status === null)) return sleep(1000);
			await sleep(200);
		}
		return;
	}
	accounting.setDelay(5000);
	const count = accounting.received.length;
	while (Date.now() < deadline && accounting.received.length === count) await sleep(100);
	await sleep(1000);
}

/**
 * Each approval as an interval [approved, removed or deleted). An invoice
 * approved before the record begins (a seeded one: the sandbox records no
 * transition for it) has an interval from the start with no id: its
 * approval is not an event (the activation poll starts from "now"), and an
 * approval removed and given again with no poll in between continues it,
 * as for any other approval (see sampledApprovals).
 */
function approvalIntervals(transitions, packRoot) {
	// The id as the pack names it: its own code, from the tarball n8n runs.
	const { toUtcIso } = trackerModule('time', packRoot);
	const intervals = [];
	const open = new Map();
	const seen = new Set();
	for (const t of transitions) {
		const at = Date.parse(t.at);
		const first = !seen.has(t.uid);
		seen.add(t.uid);
		if (t.type === 'approved') {
			const interval = { uid: t.uid, approvedAt: at, endedAt: Infinity, id: `invoice.approved:${t.uid}:${toUtcIso(t.historyAt)}` };
			intervals.push(interval);
			open.set(t.uid, interval);
		} else if ((t.type === 'approval_removed' || t.type === 'deleted') && open.has(t.uid)) {
			open.get(t.uid).endedAt = at;
			open.delete(t.uid);
		} else if (t.type === 'approval_removed' && first) {
			intervals.push({ uid: t.uid, approvedAt: -Infinity, endedAt: at, id: undefined });
		}
	}
	return intervals;
}

/**
 * What a sampler must report: a poll sees each invoice as it is at its W
 * read. Consecutive approvals of an invoice with no poll in between (removed
 * and given again between two polls) are one approval to it; the one it
 * reports is the approval in force at the first poll that sees the invoice
 * approved, named by that approval's id. Within 10 s of a change (the poll's
 * detail read comes after its W read) the outcome is uncertain and not
 * counted.
 */
function sampledApprovals(intervals, wReads) {
	const verdicts = [];
	const byUid = new Map();
	for (const interval of intervals) (byUid.get(interval.uid) || byUid.set(interval.uid, []).get(interval.uid)).push(interval);
	for (const list of byUid.values()) {
		let group = [];
		const close = () => {
			if (!group.length) return;
			const first = wReads.find((at) => at > group[0].approvedAt && at < group[group.length - 1].endedAt);
			if (first === undefined) verdicts.push({});
			else {
				const current = group.find((interval) => first > interval.approvedAt && first < interval.endedAt);
				const near = !current || first < current.approvedAt + 200 || first > current.endedAt - 10_000;
				verdicts.push(near ? { uncertain: true } : { id: current.id });
			}
			group = [];
		};
		for (const interval of list) {
			const previous = group[group.length - 1];
			// A poll between the removal and this approval saw the invoice not approved: a new approval to it.
			if (previous && wReads.some((at) => at > previous.endedAt && at < interval.approvedAt)) close();
			group.push(interval);
		}
		close();
	}
	return verdicts;
}

/**
 * The approvals a poll saw (the sandbox's `transitions`, the trigger's W
 * reads `wReads` that completed) against what the accounting ledger booked:
 * `expected` of `approvals` (the rest `uncertain`), those `missed`, event ids
 * received that name no approval (`wrongIds`), and repeats the ledger
 * absorbed by key.
 */
function bookings({ transitions, wReads, packRoot, accounting }) {
	const intervals = approvalIntervals(transitions, packRoot);
	const result = { approvals: intervals.filter((interval) => interval.id).length, expected: 0, uncertain: 0, missed: [] };
	const received = new Set(accounting.ledger.keys());
	for (const verdict of sampledApprovals(intervals, wReads)) {
		if (verdict.uncertain) result.uncertain++;
		else if (verdict.id) {
			result.expected++;
			if (!received.has(verdict.id)) result.missed.push(verdict.id);
		}
	}
	const allIds = new Set(intervals.filter((interval) => interval.id).map((interval) => interval.id));
	return { ...result, wrongIds: [...received].filter((id) => !allIds.has(id)), received: received.size, repeatsAbsorbed: accounting.repeats() };
}

/**
 * @param {object} args
 * @param {import('../support/n8n').N8n} args.n8n         user folder with the pack installed
 * @param {import('../support/sandbox').Sandbox} args.sandbox
 * @param {object} args.accounting            ../support/accounting-server.js
 * @param {Function} args.check
 * @param {number} [args.cycles=8]
 * @param {number} [args.seed=9]
 */
async function restartScenario({ n8n, sandbox, accounting, check, cycles = 8, seed = 9 }) {
	const rng = mulberry32(seed);
	const report = { cycles: [], approvals: 0, expected: 0, uncertain: 0, missed: [], wrongIds: [], received: 0, repeatsAbsorbed: 0 };
	let actor;

	await check(`Restarts: ${cycles} stops (half SIGKILL) while the account changes; every approval a poll saw reaches accounting once, by event id`, async () => {
		await n8n.importCredentials([wf.credentialFile(wf.SANDBOX_CREDENTIAL, sandbox)]);
		await n8n.importWorkflows([wf.accountingExample({ id: WORKFLOW_ID, accountingUrl: accounting.url, everyMinute: true })]);
		await n8n.activate(WORKFLOW_ID);
		const started = Date.now();
		const plan = ['random', 'poll', 'execution', 'execution', 'poll', 'random', 'random', 'poll'];
		const lives = [];

		await n8n.start();
		await n8n.setupOwner();
		lives.push({ startedAt: Date.now() });
		// The activation poll sets "now"; the actor starts after it.
		await waitFor('the activation poll', async () => (await sandbox.log()).some(isWRead), { timeoutMs: 60_000 });
		actor = startActor({ account: sandboxAccount(sandbox), seed, ...PROFILES.restarts });

		for (let cycle = 0; cycle < cycles; cycle++) {
			const kind = plan[cycle % plan.length];
			const kill = cycle % 2 === 1;
			await settleAfterStart(sandbox, accounting, lives[lives.length - 1].startedAt);
			await waitForMoment(kind, { sandbox, accounting, rng });
			const moment = await momentOf(sandbox, accounting);
			const stoppedAt = Date.now();
			await n8n.stop({ kill });
			accounting.setDelay(0);
			lives[lives.length - 1].endedAt = stoppedAt;
			lives[lives.length - 1].killed = kill;
			report.cycles.push({ kind, signal: kill ? 'SIGKILL' : 'SIGTERM', ...moment, stopSeconds: Math.round((Date.now() - stoppedAt) / 100) / 10 });
			await sleep(1000 + rng() * 4000); // down for a moment, while the account changes
			await n8n.start();
			await n8n.setupOwner();
			lives.push({ startedAt: Date.now() });
		}

		// Quiet: the actor stops; the last n8n catches up (activation poll, then a scheduled one), runs everything.
		await actor.stop();
		actor = undefined;
		const quietAt = Date.now();
		await waitFor(
			'a scheduled poll after the account went quiet, and every execution finished',
			async () => {
				const log = await sandbox.log();
				const polled = log.some((entry) => entry.receivedAt > quietAt + 5000 && isWRead(entry) && entry.status !== null);
				if (!polled) return false;
				const executions = await n8n.allExecutions(WORKFLOW_ID);
				return executions.every((entry) => !['running', 'new', 'waiting'].includes(entry.status)) && Date.now() > quietAt + 20_000;
			},
			{ timeoutMs: 150_000, intervalMs: 2000 },
		);
		await sleep(3000);

		// --- The truth: approvals a completed poll saw (the sandbox's transitions and request log).
		const transitions = await sandbox.transitions();
		const log = await sandbox.log();
		// Kept beside n8n's folder (its database holds the executions and the trigger's state): what
		// the account did and what the trigger asked, to explain a failure after the sandbox is gone.
		fs.writeFileSync(path.join(n8n.folder, 'sandbox-record.json'), JSON.stringify({ lives, transitions, log: log.map(({ seq, receivedAt, method, path: urlPath, query, status }) => ({ seq, receivedAt, method, path: urlPath, query, status })) }));
		const aliveUntil = (at) => {
			const life = lives.find((entry) => entry.startedAt - 15_000 <= at && (entry.endedAt === undefined || at <= entry.endedAt));
			return life ? (life.endedAt ?? Infinity) : -Infinity;
		};
		const wReads = log
			.filter(isWRead)
			.map((entry) => entry.receivedAt)
			// A poll counts when n8n lived on for 15 s after its W read (the poll, its emission and its save are done by then).
			.filter((at) => aliveUntil(at) > at + 15_000);
		Object.assign(report, bookings({ transitions, wReads, packRoot: installedPack(n8n.nodesDir), accounting }));

		// --- What n8n did: executions, what each carried, what it lost.
		const executions = await n8n.allExecutions(WORKFLOW_ID);
		const carried = new Map();
		let redelivered = 0;
		let unrecorded = 0;
		const statuses = {};
		for (const summary of executions) {
			statuses[summary.status] = (statuses[summary.status] || 0) + 1;
			const execution = await n8n.execution(summary.id).catch(() => undefined);
			const runs = execution && execution.data && execution.data.resultData && execution.data.resultData.runData[TRIGGER];
			const items = (runs && runs[0] && runs[0].data && runs[0].data.main[0]) || [];
			// A crashed execution's data is what n8n recovered from its event log: often no items.
			if (summary.status !== 'success' && !items.some((item) => item.json.event_id)) unrecorded++;
			for (const item of items) {
				if (!item.json.event_id) continue;
				if (item.json.redelivered) redelivered++;
				const list = carried.get(item.json.event_id) || [];
				list.push({ status: summary.status, redelivered: Boolean(item.json.redelivered) });
				carried.set(item.json.event_id, list);
			}
		}
		const failedExecutions = executions.filter((entry) => entry.status !== 'success');
		report.n8n = {
			executions: executions.length,
			statuses,
			lostExecutions: failedExecutions.length,
			lostExecutionsWithoutItems: unrecorded,
			itemsRedelivered: redelivered,
			emittedTwiceByTrigger: [...carried.values()].filter((list) => list.filter((entry) => !entry.redelivered).length > 1).length,
			eventsInAFailedExecutionOnly: [...carried.entries()].filter(([, list]) => list.every((entry) => entry.status !== 'success')).map(([id]) => id),
			eventsRecoveredByRedelivery: [...carried.entries()].filter(([, list]) => list.some((entry) => entry.status !== 'success') && list.some((entry) => entry.redelivered && entry.status === 'success')).length,
		};
		report.seconds = Math.round((Date.now() - started) / 1000);

		const summary = summarize(report);
		const fail = (message) => `${message}\n      ${summary}`;
		assert.ok(report.cycles.filter((entry) => entry.signal === 'SIGKILL').length >= cycles / 2, fail('half the stops are kills'));
		assert.ok(report.expected >= 10, fail(`enough approvals seen by polls (${report.expected})`));
		assert.deepEqual(report.wrongIds, [], fail('every event id received names a real approval'));
		assert.deepEqual(report.missed, [], fail('no approval a poll saw is missing in accounting'));
		return summary;
	});

	if (actor) await actor.stop();
	await n8n.stop();
	return report;
}

function summarize(report) {
	const kills = report.cycles.map((entry) => `${entry.signal === 'SIGKILL' ? 'KILL' : 'TERM'}@${entry.kind}${entry.duringPoll ? '+poll' : ''}${entry.duringExecution ? '+exec' : ''}`).join(' ');
	const n = report.n8n;
	return [
		`${report.cycles.length} stops: ${kills}`,
		`approvals ${report.approvals}, seen by a completed poll ${report.expected} (uncertain ${report.uncertain}): missed ${report.missed.length}, wrong ids ${report.wrongIds.length}; booked ${report.received}, repeats absorbed by the event id ${report.repeatsAbsorbed}`,
		`n8n: ${n.executions} executions ${JSON.stringify(n.statuses)}; lost (not success) ${n.lostExecutions}, ${n.lostExecutionsWithoutItems} of them with no items recorded; events only in lost executions ${n.eventsInAFailedExecutionOnly.length}${n.eventsInAFailedExecutionOnly.length ? ` (${n.eventsInAFailedExecutionOnly.join(', ')})` : ''}; recovered by redelivery ${n.eventsRecoveredByRedelivery}; items redelivered ${n.itemsRedelivered}; emitted twice by the trigger (not as redelivery) ${n.emittedTwiceByTrigger}; ${report.seconds} s`,
	].join('\n      ');
}

module.exports = { restartScenario, DURABLE_ENV, WORKFLOW_ID, bookings, isWRead, polls };
