'use strict';

// Deterministic seeding: reference data, seeded invoices, OCR results; and 100,000 invoices.

const { call, upload, waitFor, CREATED_AT } = require('./helpers');
const { startSimulator } = require('..');

const NOW = new Date('2025-06-15T12:00:00Z');
const DAY = 86_400_000;

async function withSim(options, fn) {
	const sim = await startSimulator({ now: () => NOW, ...options });
	try {
		return await fn(sim);
	} finally {
		await sim.close();
	}
}

/** Everything a client could see, minus the ports in file URLs. */
function snapshot(sim) {
	const strip = (value) =>
		JSON.parse(JSON.stringify(value).split(sim.storageBaseUrl).join('STORAGE'));
	return strip({
		companies: sim.store.companies,
		cards: sim.store.cards,
		users: sim.store.workspaceUsers,
		categories: sim.store.categories,
		invoices: sim.store.listInvoices().map((r) => sim.store.getInvoice(r.uid)),
	});
}

describe('determinism', () => {
	test('the same seed gives the same data', async () => {
		const a = await withSim({ seed: 99, invoices: 30 }, async (sim) => snapshot(sim));
		const b = await withSim({ seed: 99, invoices: 30 }, async (sim) => snapshot(sim));
		expect(a).toEqual(b);
		expect(a.invoices).toHaveLength(30);
	});

	test('another seed gives other data', async () => {
		const a = await withSim({ seed: 99, invoices: 30 }, async (sim) => snapshot(sim));
		const c = await withSim({ seed: 100, invoices: 30 }, async (sim) => snapshot(sim));
		expect(c.companies.map((x) => x.uid)).not.toEqual(a.companies.map((x) => x.uid));
		expect(c.invoices.map((x) => x.uid)).not.toEqual(a.invoices.map((x) => x.uid));
	});

	test('uploads get the same uids and the same OCR results for the same seed', async () => {
		const run = () =>
			withSim({ seed: 5, invoices: 2, ocrDelayMs: 10 }, async (sim) => {
				const { uid, hf_id } = (await upload(sim, { name: 'same.pdf' })).body;
				await waitFor(() => sim.store.getInvoice(uid).processing_status === 'finished');
				const d = sim.store.getInvoice(uid);
				return {
					uid,
					hf_id,
					items: d.items,
					total: d.total_price,
					company: d.company,
					number: d.invoice_number,
				};
			});
		const a = await run();
		const b = await run();
		expect(a).toEqual(b);
		expect(a.items.length).toBeGreaterThan(0);
	});
});

describe('seeded data', () => {
	test('reference data: companies, workspace users, cards, categories', async () => {
		await withSim({ seed: 1, invoices: 1 }, async (sim) => {
			const { companies, workspaceUsers, cards, categories } = sim.store;
			expect(companies).toHaveLength(8);
			expect(workspaceUsers).toHaveLength(3);
			expect(cards).toHaveLength(4);
			expect(categories).toHaveLength(5);
			expect(companies.some((c) => c.tax_number === null)).toBe(true);
			expect(companies.some((c) => c.phone === null)).toBe(true);
			expect(companies.some((c) => c.tax_office !== null)).toBe(true);
			for (const u of workspaceUsers)
				expect(u.user.full_name).toBe(`${u.user.first_name} ${u.user.last_name}`);
			expect(workspaceUsers[0].role_type).toBe('admin');
			for (const card of cards) expect(card.last_four).toMatch(/^\d{4}$/);
		});
	});

	test('a realistic mix over the last two years', async () => {
		await withSim({ seed: 3, invoices: 300 }, async (sim) => {
			const list = sim.store.listInvoices();
			const details = list.map((r) => sim.store.getInvoice(r.uid));
			const count = (key) =>
				details.reduce((acc, d) => ({ ...acc, [d[key]]: (acc[d[key]] || 0) + 1 }), {});
			expect(Object.keys(count('approvement_status')).sort()).toEqual([
				'approved',
				'rejected',
				'waiting',
			]);
			expect(Object.keys(count('payment_type')).sort()).toEqual([
				'bank_transfer',
				'cash',
				'credit_card',
				'null',
				'other',
			]);
			expect(Object.keys(count('currency')).sort()).toEqual(['EUR', 'GBP', 'TRY', 'USD', 'null']);
			const processing = count('processing_status');
			expect(processing.failed).toBeGreaterThanOrEqual(2);
			expect(processing.finished).toBeGreaterThan(280);
			expect(processing.processing).toBeUndefined();
			const times = list.map((r) => Date.parse(r.created_at));
			expect(Math.min(...times)).toBeGreaterThan(NOW.getTime() - 731 * DAY);
			expect(Math.max(...times)).toBeLessThan(NOW.getTime());
			expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(600 * DAY);
			expect(new Set(list.map((r) => r.created_at)).size).toBeLessThan(list.length);
			for (const r of list) expect(r.created_at).toMatch(CREATED_AT);
			const itemCounts = new Set(details.map((d) => d.items.length));
			expect([...itemCounts].sort()).toEqual([0, 1, 2, 3, 4]);
			const hfIds = list.map((r) => r.hf_id);
			expect(new Set(hfIds).size).toBe(hfIds.length);
			for (const id of hfIds) expect(id).toMatch(/^[A-Z]{3,4}$/);
			// An approved invoice's history ends with "approved".
			const approved = details.find((d) => d.approvement_status === 'approved');
			expect(approved.history[approved.history.length - 1].action).toBe('approved');
		});
	});

	test('25 seeded invoices by default, no transitions', async () => {
		const sim = await startSimulator();
		try {
			expect(sim.store.count()).toBe(25);
			expect(sim.transitions).toEqual([]);
			expect(sim.apiKey).toBe('test-key');
			expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		} finally {
			await sim.close();
		}
	});
});

describe('100,000 invoices', () => {
	test('seed quickly and list page 1000 fast', async () => {
		const started = Date.now();
		const sim = await startSimulator({ seed: 2, invoices: 100_000 });
		try {
			const seeded = Date.now() - started;
			const t = Date.now();
			const res = await call(sim, 'GET', '/v1/invoices/?page=1000&page_size=100');
			const listed = Date.now() - t;
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ count: 100_000, page_count: 1000, page_size: 100 });
			expect(res.body.results).toHaveLength(100);
			const all = sim.store.listInvoices();
			expect(res.body.results.map((r) => r.uid)).toEqual(all.slice(99_900).map((r) => r.uid));
			const hfIds = new Set(all.map((r) => r.hf_id));
			expect(hfIds.size).toBe(100_000);
			const filtered = await call(sim, 'GET', '/v1/invoices/?approvement_status=approved&page=10');
			expect(filtered.status).toBe(200);
			// Generous bounds: this is a smoke check against accidental quadratic work.
			expect(seeded).toBeLessThan(15_000);
			expect(listed).toBeLessThan(1_000);
		} finally {
			await sim.close();
		}
	}, 30_000);
});
