'use strict';

/**
 * Parameter values as n8n's editor stores them, not as a test would write
 * them: a UID filter added and left empty is `[[]]`; a date-only field is
 * "YYYY-MM-DD" (older workflows hold "YYYY-MM-DDTHH:mm:ss").
 */
const { useSimulator, apiCalls } = require('../harness/fixture');
const { byId, runBillOver } = require('./helpers');

describe('values as the editor stores them', () => {
	const fx = useSimulator({ invoices: 30, ocrDelayMs: null });

	test.each(['card__uid', 'company__uid', 'workspace_user__uid'])('an added but empty "%s" filter is no filter (Get Many)', async (key) => {
		const { items, error } = await runBillOver(fx, { resource: 'invoice', operation: 'getMany', returnAll: true, filters: { [key]: [[]] } });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(30);
		expect(apiCalls(fx.sim)).toEqual(['GET /v1/invoices/?page=1&page_size=100']);
	});

	test('an empty entry beside a real one: the real one filters', async () => {
		const company = fx.sim.store.listInvoices({}).find((invoice) => invoice.company).company.uid;
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'getMany', returnAll: true, filters: { company__uid: [[], company, ''] } });
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((item) => item.json.company_uid === company)).toBe(true);
	});

	test('the trigger: an empty filter entry is no filter either', async () => {
		const trigger = fx.engine.poller({ type: 'billOverTrigger', parameters: { events: ['invoiceApproved'], filters: { card__uid: [[]], company__uid: [''] } } });
		await trigger.poll();
		expect(Object.values(trigger.savedGlobal())[0].key).toBe('invoice.approved||');
	});

	test('date-only fields: "YYYY-MM-DD" as the date picker stores it, and an older date-time value', async () => {
		for (const [from, to] of [
			['2026-01-01', '2026-12-31'],
			['2026-01-01T00:00:00', '2026-12-31T00:00:00'],
		]) {
			fx.sim.clearLog();
			const { error } = await runBillOver(fx, { resource: 'invoice', operation: 'getMany', returnAll: true, filters: { from_date: from, to_date: to } });
			expect(error).toBeUndefined();
			expect(fx.sim.requests({ origin: 'api' })[0].query).toMatchObject({ from_date: ['2026-01-01'], to_date: ['2026-12-31'] });
		}
		const invoice = fx.sim.store.createInvoice({ fileName: 'dated.pdf', processing: false });
		const { items } = await runBillOver(fx, { resource: 'invoice', operation: 'update', invoiceId: byId(invoice.uid), updateFields: { invoice_date: '2026-11-02' } });
		expect(items[0].json.invoice_date).toBe('2026-11-02');
	});
});
