'use strict';

/**
 * A busy accounting team: random actions on a BillOver account (upload,
 * finish OCR, approve, reject, remove an approval, delete), drawn from a
 * seeded random generator while a test watches what the trigger makes of
 * them. One actor for every test that needs one: the jest soak
 * (test/trigger/soak.test.js, on the simulator's store in the same
 * process), the restart scenario and queue mode (test/e2e/, on a sandbox
 * process over HTTP).
 *
 * Pure with respect to its inputs: what it does depends only on the
 * account's invoices and the `rng` it is given; it never reads the clock
 * and keeps no state but its counters.
 *
 *   const actor = createActor({ account: storeAccount(sim.store), rng: mulberry32(2026), ...PROFILES.soak });
 *   await actor.step();                 // one action (or none); answers its name or undefined
 *   actor.done                          // { approve: 3, reject: 1, ..., failed: 0 }
 *
 *   const running = startActor({ account: sandboxAccount(sandbox), seed: 9, ...PROFILES.restarts });
 *   await running.stop();               // waits for the action under way; running.done as above
 */
const { renderPdf } = require('../sandbox/pdf');
const { mulberry32 } = require('../sandbox/random');
const { repeatUntilStopped } = require('./util');

/**
 * The settings each test uses (spread them into createActor / startActor).
 * `mix`: each action's probability per step (the rest, up to 1, does
 * nothing); the actions are create, finishProcessing, approve, reject,
 * removeApproval, removeApprovalAndDelete and delete.
 */
const PROFILES = {
	// test/trigger/soak.test.js (the store, OCR finished by the actor): every transition the trigger's events name.
	soak: {
		mix: { create: 0.2, finishProcessing: 0.15, approve: 0.25, reject: 0.1, removeApproval: 0.12, removeApprovalAndDelete: 0.03, delete: 0.15 },
		unreadable: 0.1,
		processing: 0.8,
	},
	// test/e2e/restarts.js: approvals, removals, re-approvals, rejections, uploads with OCR, deletions.
	restarts: { mix: { approve: 0.35, removeApproval: 0.15, reject: 0.1, create: 0.15, delete: 0.07 }, deleteInOcr: false, pauseMs: [1500, 4500], prefix: 'restart' },
	// test/e2e/queue.js: approvals of processed invoices, and uploads that become new ones.
	queue: { mix: { approve: 0.8, create: 0.2 }, processedOnly: true, pauseMs: [3000, 7000], prefix: 'queue' },
};

/** What each action may act on: the simulator's permissions (test/sandbox/serializers.js permissionsFor). */
const CAN = {
	approve: (invoice) => invoice.approvement_status === 'waiting' || invoice.approvement_status === 'rejected',
	reject: (invoice) => invoice.approvement_status === 'waiting',
	removeApproval: (invoice) => invoice.approvement_status === 'approved',
	delete: (invoice) => invoice.approvement_status !== 'approved',
};

/**
 * @param {object} args
 * @param {Account} args.account
 * @param {() => number} args.rng          uniform in [0, 1), e.g. mulberry32(seed)
 * @param {Record<string, number>} args.mix  action → probability per step (PROFILES)
 * @param {boolean} [args.processedOnly=false]  approve, reject, remove and delete only invoices whose OCR finished
 * @param {number} [args.keepAtLeast=30]   deletions only while the account holds more invoices than this
 * @param {boolean} [args.deleteInOcr=true] whether `delete` may pick an invoice still in OCR
 * @param {number} [args.unreadable=0]     the share of created invoices whose OCR fails ("unreadable" file names)
 * @param {number} [args.processing=1]     the share of created invoices that start in OCR (the rest are processed at once)
 * @param {string} [args.prefix='actor']   file names: <prefix>-<n>.pdf
 */
function createActor({ account, rng, mix, processedOnly = false, keepAtLeast = 30, deleteInOcr = true, unreadable = 0, processing = 1, prefix = 'actor' }) {
	const unknown = Object.keys(mix).filter((name) => !(name in ACTIONS));
	if (unknown.length) throw new Error(`Unknown actor actions: ${unknown.join(', ')}; known: ${Object.keys(ACTIONS).join(', ')}`);
	const done = { ...Object.fromEntries(Object.keys(mix).map((name) => [name, 0])), failed: 0 };
	let created = 0;
	const context = {
		account,
		rng,
		pick: (list) => list[Math.floor(rng() * list.length)],
		eligible: (all, can) => all.filter((invoice) => can(invoice) && (!processedOnly || invoice.processing_status === 'finished')),
		keepAtLeast,
		deleteInOcr,
		newFile: () => {
			created++;
			// A share of 0 or 1 draws nothing: the same seed then gives the same actions whatever the shares.
			const chance = (share) => share >= 1 || (share > 0 && rng() < share);
			const name = `${chance(unreadable) ? 'unreadable-' : ''}${prefix}-${created}.pdf`;
			const total = Number((rng() * 900 + 10).toFixed(2));
			return { fileName: name, total, processing: chance(processing) };
		},
	};
	return {
		done,
		/** One step: draws an action (or none) and does it; answers the action's name when it acted. */
		async step() {
			const all = await account.invoices();
			const roll = rng();
			let sum = 0;
			for (const [name, share] of Object.entries(mix)) {
				sum += share;
				if (roll >= sum) continue;
				if (!(await ACTIONS[name](all, context))) return undefined;
				done[name]++;
				return name;
			}
			return undefined;
		},
	};
}

/** Each action: acts on one invoice the account allows it on; answers whether it did. */
const ACTIONS = {
	async create(all, { account, newFile }) {
		await account.create(newFile());
		return true;
	},
	async finishProcessing(all, { account, pick, rng }) {
		const target = pick(all.filter((invoice) => invoice.processing_status === 'processing'));
		return Boolean(target) && account.finishProcessing(target.uid, { fail: rng() < 0.1 });
	},
	async approve(all, { account, pick, eligible }) {
		const target = pick(eligible(all, CAN.approve));
		return Boolean(target) && account.approve(target.uid);
	},
	async reject(all, { account, pick, eligible }) {
		const target = pick(eligible(all, CAN.reject));
		return Boolean(target) && account.reject(target.uid);
	},
	async removeApproval(all, { account, pick, eligible }) {
		const target = pick(eligible(all, CAN.removeApproval));
		return Boolean(target) && account.removeApproval(target.uid);
	},
	// A duplicate cleaned up: its approval removed and the invoice deleted at once.
	async removeApprovalAndDelete(all, { account, pick, eligible, keepAtLeast }) {
		const target = pick(eligible(all, CAN.removeApproval));
		return Boolean(target) && all.length > keepAtLeast && (await account.removeApproval(target.uid)) && account.delete(target.uid);
	},
	async delete(all, { account, pick, eligible, keepAtLeast, deleteInOcr }) {
		const target = pick(eligible(all, CAN.delete).filter((invoice) => deleteInOcr || invoice.processing_status !== 'processing'));
		return Boolean(target) && all.length > keepAtLeast && account.delete(target.uid);
	},
};

/**
 * The actor, every `pauseMs` (a [min, max] range drawn from its rng, or a
 * function), until `stop()`. A step that throws counts in `done.failed`.
 * @param {Parameters<typeof createActor>[0] & { seed?: number, pauseMs: [number, number] | (() => number) }} args  `seed` instead of `rng`
 * @returns {{ done: object, stop: () => Promise<void> }}
 */
function startActor({ seed, rng = mulberry32(seed), pauseMs, ...options }) {
	const actor = createActor({ ...options, rng });
	const pause = typeof pauseMs === 'function' ? pauseMs : () => pauseMs[0] + rng() * (pauseMs[1] - pauseMs[0]);
	return repeatUntilStopped(() => actor.step(), pause, actor.done);
}

/**
 * @typedef {object} Account  what the actor needs of a BillOver account; each method may answer a promise
 * @property {() => Array<{ uid: string, approvement_status: string, processing_status: string }>} invoices
 * @property {(file: { fileName: string, total: number, processing: boolean }) => unknown} create
 * @property {(uid: string, options: { fail: boolean }) => boolean} finishProcessing
 * @property {(uid: string) => boolean} approve
 * @property {(uid: string) => boolean} reject
 * @property {(uid: string) => boolean} removeApproval
 * @property {(uid: string) => boolean} delete
 */

/**
 * A sandbox process (./sandbox.js) over HTTP: invoices listed through the
 * control API (not in the request log), uploads and state changes through
 * the API as a client makes them; an invoice created with `processing:
 * false` (and finishProcessing) through the control API.
 * @returns {Account}
 */
function sandboxAccount(sandbox) {
	const ok = async (method, path, status) => (await sandbox.request(method, path)).status === status;
	return {
		invoices: () => sandbox.invoices(),
		async create({ fileName, total, processing }) {
			const pdf = renderPdf(['Invoice', `Total ${total.toFixed(2)} EUR`]);
			if (processing) return sandbox.upload(fileName, pdf);
			return sandbox.expectOk('POST', '/_simulator/invoices', { fileName, contentBase64: pdf.toString('base64'), processing: false });
		},
		finishProcessing: async (uid, { fail }) => (await sandbox.request('POST', `/_simulator/invoices/${uid}/finish-processing`, { fail })).status === 200,
		approve: (uid) => ok('POST', `/v1/invoices/${uid}/approve`, 200),
		reject: (uid) => ok('POST', `/v1/invoices/${uid}/reject`, 200),
		removeApproval: (uid) => ok('POST', `/v1/invoices/${uid}/remove-approval`, 200),
		delete: (uid) => ok('DELETE', `/v1/invoices/${uid}`, 204),
	};
}

/**
 * The simulator's store in this process (`useSimulator()`'s `sim.store`):
 * synchronous, no HTTP, no request log. Invoices carry no file content.
 * @returns {Account}
 */
function storeAccount(store) {
	return {
		// The records themselves (uid and statuses are all an actor reads): no serialising of every invoice per step.
		invoices: () => store.findInvoices({}),
		create: ({ fileName, processing }) => store.createInvoice({ fileName, processing }),
		finishProcessing: (uid, { fail }) => Boolean(store.finishProcessing(uid, { fail })),
		approve: (uid) => Boolean(store.approve(uid)),
		reject: (uid) => Boolean(store.reject(uid)),
		removeApproval: (uid) => Boolean(store.removeApproval(uid)),
		delete(uid) {
			store.deleteInvoice(uid);
			return true;
		},
	};
}

module.exports = { createActor, startActor, sandboxAccount, storeAccount, PROFILES };
