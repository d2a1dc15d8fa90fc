'use strict';

/**
 * The trigger's stored state (nodes/BillOver/trigger/state.ts) is kept by
 * n8n with every active workflow, so each release must read what earlier
 * ones stored. The golden stored states in ./golden/ are states as schema 1
 * stores them: they must load to the named fields beside them, and be stored
 * again byte for byte. A change of the stored shape fails here until it bumps
 * STATE_SCHEMA, adds a migration for the older schema, and a golden state of
 * the new one (the old goldens stay: they are what users have).
 */
const fs = require('node:fs');
const path = require('node:path');

const { STATE_SCHEMA, loadState, storeState } = require('../../nodes/BillOver/trigger/state');
const { toMicros } = require('../../nodes/BillOver/trigger/tracker/time');
const { useSimulator } = require('../harness/fixture');

const GOLDEN = path.join(__dirname, 'golden');
const goldens = fs
	.readdirSync(GOLDEN)
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(fs.readFileSync(path.join(GOLDEN, file), 'utf8'))]);

describe('golden stored states', () => {
	test('there is one for every schema up to the current one', () => {
		const schemas = new Set(goldens.map(([, golden]) => golden.stored.schema));
		for (let schema = 1; schema <= STATE_SCHEMA; schema++) expect(schemas).toContain(schema);
	});

	test.each(goldens)('%s loads to its named fields', (_file, golden) => {
		expect(loadState(golden.stored, 'stored state')).toEqual(golden.loaded);
	});

	test.each(goldens.filter(([, golden]) => golden.stored.schema === STATE_SCHEMA))('%s is stored again exactly as it was', (_file, golden) => {
		expect(storeState(loadState(golden.stored, 'stored state'))).toEqual(golden.stored);
	});

	test('a state of a newer schema is refused, saying what to do; nothing stored is none', () => {
		const [, golden] = goldens[0];
		expect(() => loadState({ ...golden.stored, schema: STATE_SCHEMA + 1 }, 'stored state of this trigger')).toThrow(/saved by a newer version of the BillOver nodes .* Update the package/);
		const { schema: _schema, ...unversioned } = golden.stored;
		expect(() => loadState(unversioned, 'stored state of this trigger')).toThrow(/state schema 0, which this version cannot read/);
		expect(loadState(undefined, 'x')).toBeUndefined();
		expect(loadState({}, 'x')).toBeUndefined();
	});
});

describe('a golden stored state in a running trigger', () => {
	const fx = useSimulator({ invoices: 20, ocrDelayMs: null });

	test('the trigger goes on from it (no new start from "now") and stores schema 1 under the same key', async () => {
		const [, golden] = goldens.find(([file]) => file === 'approval-sync.json');
		const trigger = fx.engine.poller({
			type: 'billOverTrigger',
			parameters: { events: ['invoiceApproved', 'invoiceApprovalRemoved'], options: { redeliverAfterRestart: true } },
			stored: golden.stored,
		});
		const { items } = await trigger.poll();
		// A start from "now" would keep a starting point in the global static data, and emit nothing.
		expect(trigger.savedGlobal()).toEqual({});
		expect(trigger.saved()).toMatchObject({ schema: STATE_SCHEMA, key: golden.stored.key });
		// The golden's outbox names an invoice this account never had: nothing to redeliver. The
		// approved invoices created after its cursor are new to it: each is reported, once.
		const approved = fx.sim.store
			.listInvoices({ approvement_status: 'approved' })
			.filter((invoice) => toMicros(invoice.created_at) > golden.stored.state.cursor.at)
			.map((invoice) => invoice.uid);
		expect(approved.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json.uid).sort()).toEqual([...approved].sort());
		expect(items.every((item) => item.json.event === 'invoice.approved' && !item.json.redelivered)).toBe(true);
	});
});
