'use strict';

const { useSimulator, apiCalls } = require('../../harness/fixture');
const { permissionsFor } = require('../../sandbox');
const { byId, freshInvoice, onlyApiRequest, runBillOver } = require('../helpers');

describe('Invoice → Approve, Reject, Remove Approval', () => {
	const fx = useSimulator({ invoices: 10 });
	const run = (operation, uid) => runBillOver(fx, { resource: 'invoice', operation, invoiceId: byId(uid) });

	/** A fresh invoice in the given approval status. */
	function invoiceIn(status) {
		const { uid } = freshInvoice(fx.sim);
		if (status === 'approved') fx.sim.store.approve(uid);
		if (status === 'rejected') fx.sim.store.reject(uid);
		return uid;
	}

	test.each([
		['approve', 'approve', 'waiting', 'approved'],
		['approve', 'approve', 'rejected', 'approved'],
		['reject', 'reject', 'waiting', 'rejected'],
		['removeApproval', 'remove-approval', 'approved', 'waiting'],
	])('%s: POST /v1/invoices/{uid}/%s takes an invoice from %s to %s and outputs the API answer', async (operation, path, from, to) => {
		const uid = invoiceIn(from);
		const { items, error } = await run(operation, uid);
		expect(error).toBeUndefined();
		expect(onlyApiRequest(fx.sim)).toEqual({ method: 'POST', path: `/v1/invoices/${uid}/${path}`, query: {}, body: null });
		expect(items.map((item) => item.json)).toEqual([{ uid, approvement_status: to, permissions: permissionsFor(to) }]);
		expect(fx.sim.store.getInvoice(uid).approvement_status).toBe(to);
	});

	test.each([
		['approve', 'approved', 'can_approve', 'approve', /approved already/],
		['reject', 'approved', 'can_reject', 'reject', /waiting for a decision/],
		['reject', 'rejected', 'can_reject', 'reject', /waiting for a decision/],
		['removeApproval', 'waiting', 'can_remove_approval', 'remove the approval of', /Only approved invoices/],
	])('%s on an invoice that is %s: 403 naming %s, state unchanged', async (operation, status, permission, action, hint) => {
		const uid = invoiceIn(status);
		const { error } = await run(operation, uid);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(`BillOver does not allow you to ${action} invoice ${uid} (permission ${permission} is false)`);
		expect(error.description).toMatch(hint);
		expect(fx.sim.store.getInvoice(uid).approvement_status).toBe(status);
		expect(apiCalls(fx.sim)).toHaveLength(1);
	});

	test('an approval whose answer was lost is repeated and reconciled, not reported as a 403', async () => {
		const uid = invoiceIn('waiting');
		fx.sim.faults.next(1, { type: 'drop-after' });
		const { items, error } = await run('approve', uid);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ uid, approvement_status: 'approved', permissions: permissionsFor('approved') });
		expect(apiCalls(fx.sim)).toEqual([`POST /v1/invoices/${uid}/approve`, `POST /v1/invoices/${uid}/approve`, `GET /v1/invoices/${uid}`]);
	});
});
