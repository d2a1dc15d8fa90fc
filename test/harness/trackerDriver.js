'use strict';

/**
 * Drives the trigger's pure tracker (nodes/BillOver/trigger/tracker) without
 * HTTP: each need is answered from a simulator Store, the same model the
 * simulator serves, in the API's shapes and order. `beforeAnswer(need, n)`
 * lets a test change the store between two answers (invoices created or
 * deleted while a poll pages).
 */
const { Store } = require('../sandbox/store');
const { NotFoundError } = require('../sandbox/errors');
const { cleanInvoiceFilters } = require('../sandbox/validation');

function createStore({ seed = 11, invoices = 30, now = () => new Date() } = {}) {
	return new Store({ seed, invoices, now, offsetMinutes: 180, ocrDelayMs: null, fileUrl: (record) => `http://storage.invalid/invoices/${record.uid}.pdf` });
}

function answerFrom(store, need) {
	if (need.kind === 'page') {
		// As the simulator's route does: the page is cut from the records, and only it is serialised.
		const all = store.findInvoices(cleanInvoiceFilters(need.query));
		const pageCount = Math.max(1, Math.ceil(all.length / need.pageSize));
		if (need.page > pageCount) return null;
		const start = (need.page - 1) * need.pageSize;
		return { count: all.length, page_count: pageCount, page_size: need.pageSize, results: all.slice(start, start + need.pageSize).map(store.serialize.list) };
	}
	try {
		return store.getInvoice(need.uid);
	} catch (error) {
		if (error instanceof NotFoundError) return null;
		throw error;
	}
}

/** Runs a tracker generator to its end. Resolves `{ state, events, needs }`. */
function runTracker(generator, store, { beforeAnswer } = {}) {
	const needs = [];
	let step = generator.next();
	while (!step.done) {
		needs.push(step.value);
		if (beforeAnswer) beforeAnswer(step.value, needs.length);
		step = generator.next(answerFrom(store, step.value));
	}
	return { ...step.value, needs };
}

/**
 * A trigger over a store: the tracker's state kept from poll to poll, as
 * n8n's static data keeps it. `options.now()` gives each poll's start time.
 */
function trackerPoller(store, { events, emitWhen = 'processed', filters = {}, now = () => Date.now() }) {
	const { track } = require('../../nodes/BillOver/trigger/tracker');
	let state;
	return {
		poll(hooks) {
			const result = runTracker(track(state, { events, emitWhen, filters, now: now() }), store, hooks);
			state = result.state;
			return { uids: result.events.map((event) => event.invoice.uid), ids: result.events.map((event) => event.identity.event_id), ...result };
		},
		get state() {
			return state;
		},
		/** Bytes the state takes as the trigger stores it (trigger/state.ts). */
		get storedSize() {
			const { storeState } = require('../../nodes/BillOver/trigger/state');
			return JSON.stringify(storeState({ key: '', tracker: state })).length;
		},
		set state(value) {
			state = value;
		},
	};
}

/** The rejected invoices a tracker state holds (they are kept by creation date). */
const rejectedUids = (state) => Object.values((state && state.rejected) || {}).flat().sort();

/** W as a tracker state holds it: the waiting invoices and the rejected ones. */
const watchedUids = (state) => [...((state && state.watch) || []), ...rejectedUids(state)].sort();

module.exports = { createStore, answerFrom, runTracker, trackerPoller, rejectedUids, watchedUids };
