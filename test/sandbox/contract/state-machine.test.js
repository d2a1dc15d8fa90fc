'use strict';

// docs/API.md, State and permissions: approve / reject / remove-approval, the permissions
// object, and what an approved invoice forbids.

const { call, useSimulator } = require('./helpers');
const { PermissionDeniedError, NotFoundError } = require('..');

const ctx = useSimulator({ seed: 8, invoices: 10 });

const PERMISSIONS = {
	waiting: {
		can_update: true,
		can_delete: true,
		can_approve: true,
		can_reject: true,
		can_remove_approval: false,
	},
	approved: {
		can_update: false,
		can_delete: false,
		can_approve: false,
		can_reject: false,
		can_remove_approval: true,
	},
	rejected: {
		can_update: true,
		can_delete: true,
		can_approve: true,
		can_reject: false,
		can_remove_approval: false,
	},
};

const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };

/** A new finished invoice in the given approval state, made through the store. */
function invoiceIn(status) {
	const { uid } = ctx.sim.store.createInvoice({ fileName: `${status}.pdf`, processing: false });
	if (status === 'approved') ctx.sim.store.approve(uid);
	if (status === 'rejected') ctx.sim.store.reject(uid);
	return uid;
}

function action(uid, name) {
	return call(ctx.sim, 'POST', `/v1/invoices/${uid}/${name}`);
}

describe('allowed transitions', () => {
	test('approve from waiting → approved', async () => {
		const uid = invoiceIn('waiting');
		const res = await action(uid, 'approve');
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			uid,
			approvement_status: 'approved',
			permissions: PERMISSIONS.approved,
		});
		expect(ctx.sim.store.getInvoice(uid).approvement_status).toBe('approved');
	});

	test('approve from rejected → approved', async () => {
		const uid = invoiceIn('rejected');
		const res = await action(uid, 'approve');
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			uid,
			approvement_status: 'approved',
			permissions: PERMISSIONS.approved,
		});
	});

	test('reject from waiting → rejected', async () => {
		const uid = invoiceIn('waiting');
		const res = await action(uid, 'reject');
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			uid,
			approvement_status: 'rejected',
			permissions: PERMISSIONS.rejected,
		});
	});

	test('remove-approval from approved → waiting', async () => {
		const uid = invoiceIn('approved');
		const res = await action(uid, 'remove-approval');
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			uid,
			approvement_status: 'waiting',
			permissions: PERMISSIONS.waiting,
		});
	});

	test('a full cycle is recorded in history and in the transitions', async () => {
		const uid = invoiceIn('waiting');
		const before = ctx.sim.transitions.length;
		for (const name of ['reject', 'approve', 'remove-approval', 'approve']) {
			expect((await action(uid, name)).status).toBe(200);
		}
		const detail = (await call(ctx.sim, 'GET', `/v1/invoices/${uid}`)).body;
		expect(detail.history.map((h) => h.action)).toEqual([
			'created',
			'processing_finished',
			'rejected',
			'approved',
			'approval_removed',
			'approved',
		]);
		for (const entry of detail.history.slice(2)) {
			expect(entry.workspace_user).toEqual(ctx.sim.store.workspaceUsers[0]);
			expect(entry.created_at >= detail.created_at).toBe(true);
		}
		const recorded = ctx.sim.transitions
			.slice(before)
			.map((t) => [t.type, t.uid, t.approvementStatus, t.processingStatus]);
		expect(recorded).toEqual([
			['rejected', uid, 'rejected', 'finished'],
			['approved', uid, 'approved', 'finished'],
			['approval_removed', uid, 'waiting', 'finished'],
			['approved', uid, 'approved', 'finished'],
		]);
		const seqs = ctx.sim.transitions.map((t) => t.seq);
		expect(seqs).toEqual(seqs.map((_, i) => i + 1));
	});

	test('the action body is ignored (none, {} or anything)', async () => {
		const uid = invoiceIn('waiting');
		const res = await call(ctx.sim, 'POST', `/v1/invoices/${uid}/approve`, {
			json: { approvement_status: 'rejected' },
		});
		expect(res.body.approvement_status).toBe('approved');
	});
});

describe('forbidden transitions are 403 and change nothing', () => {
	const cases = [
		['approved', 'approve'],
		['approved', 'reject'],
		['rejected', 'reject'],
		['waiting', 'remove-approval'],
		['rejected', 'remove-approval'],
	];
	test.each(cases)('%s → %s', async (status, name) => {
		const uid = invoiceIn(status);
		const before = ctx.sim.transitions.length;
		const res = await action(uid, name);
		expect(res.status).toBe(403);
		expect(res.body).toEqual(FORBIDDEN);
		expect(ctx.sim.store.getInvoice(uid).approvement_status).toBe(status);
		expect(ctx.sim.transitions.length).toBe(before);
	});

	test('the store throws the same typed errors', () => {
		const uid = invoiceIn('approved');
		expect(() => ctx.sim.store.approve(uid)).toThrow(PermissionDeniedError);
		expect(() => ctx.sim.store.reject(uid)).toThrow(PermissionDeniedError);
		expect(() => ctx.sim.store.removeApproval(invoiceIn('waiting'))).toThrow(PermissionDeniedError);
		expect(() => ctx.sim.store.approve('00000000-0000-4000-8000-000000000000')).toThrow(
			NotFoundError,
		);
	});

	test.each(['approve', 'reject', 'remove-approval'])(
		'%s on an unknown invoice is 404',
		async (name) => {
			const res = await action('00000000-0000-4000-8000-000000000000', name);
			expect(res.status).toBe(404);
			expect(res.body).toEqual({ detail: 'No Invoice matches the given query.' });
		},
	);
});

describe('an approved invoice cannot be changed', () => {
	test('PUT is 403 (even with an invalid body)', async () => {
		const uid = invoiceIn('approved');
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}`, {
			json: { invoice_number: 'NO' },
		});
		expect(res.status).toBe(403);
		expect(res.body).toEqual(FORBIDDEN);
		const bad = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}`, { json: { currency: 'XYZ' } });
		expect(bad.status).toBe(403);
		expect(ctx.sim.store.getInvoice(uid).invoice_number).not.toBe('NO');
	});

	test('DELETE is 403', async () => {
		const uid = invoiceIn('approved');
		const res = await call(ctx.sim, 'DELETE', `/v1/invoices/${uid}`);
		expect(res.status).toBe(403);
		expect(res.body).toEqual(FORBIDDEN);
		expect(ctx.sim.store.getInvoice(uid).uid).toBe(uid);
	});

	test('item create, update and delete are 403', async () => {
		const uid = invoiceIn('waiting');
		const item = ctx.sim.store.createItem(uid, { name: 'Kept' });
		ctx.sim.store.approve(uid);
		const itemsBefore = ctx.sim.store.getInvoice(uid).items;
		expect(itemsBefore).toContainEqual(item);
		const created = await call(ctx.sim, 'POST', `/v1/invoices/${uid}/items/`, {
			json: { name: 'New' },
		});
		const updated = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}/items/${item.uid}`, {
			json: { name: 'Changed' },
		});
		const deleted = await call(ctx.sim, 'DELETE', `/v1/invoices/${uid}/items/${item.uid}`);
		expect([created.status, updated.status, deleted.status]).toEqual([403, 403, 403]);
		expect(created.body).toEqual(FORBIDDEN);
		expect(ctx.sim.store.getInvoice(uid).items).toEqual(itemsBefore);
	});

	test('after remove-approval it can be changed again', async () => {
		const uid = invoiceIn('approved');
		await action(uid, 'remove-approval');
		const res = await call(ctx.sim, 'PUT', `/v1/invoices/${uid}`, {
			json: { invoice_number: 'AGAIN' },
		});
		expect(res.status).toBe(200);
	});
});

describe('permissions always follow the state', () => {
	test.each(['waiting', 'approved', 'rejected'])(
		'%s in the detail and in the list',
		async (status) => {
			const uid = invoiceIn(status);
			const detail = await call(ctx.sim, 'GET', `/v1/invoices/${uid}`);
			expect(detail.body.permissions).toEqual(PERMISSIONS[status]);
			const list = await call(
				ctx.sim,
				'GET',
				`/v1/invoices/?approvement_status=${status}&page_size=100`,
			);
			const row = list.body.results.find((r) => r.uid === uid);
			expect(row.permissions).toEqual(PERMISSIONS[status]);
		},
	);

	test('every seeded invoice has the permissions of its state', () => {
		for (const row of ctx.sim.store.listInvoices()) {
			expect(row.permissions).toEqual(PERMISSIONS[row.approvement_status]);
		}
	});
});
